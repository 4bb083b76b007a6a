// One error shape: every error class of the library is a LineageError of a kind, keeps its name and message, and the
// command line maps the kind to its exit code in one table.
import { describe, expect, it } from "vitest";
import { BenchmarkChecksumError, BenchmarkDownloadError, BenchmarkFileMissingError } from "@/lib/benchmarks/data-source";
import { BenchmarkFormatError } from "@/lib/benchmarks/errors";
import { EnvironmentError, UsageError } from "@/lib/cli/io";
import { EXIT_CODES } from "@/lib/cli/program";
import { CredentialError } from "@/lib/credentials";
import { DatabaseNotMigratedError } from "@/lib/db/client";
import { DatabaseLockedError } from "@/lib/db/embedded-lock";
import { DatabaseNewerError, MigrationFailedError } from "@/lib/db/migrate";
import { errorKindOf, errorOfKind, isLineageError, LineageError, userMessageOf } from "@/lib/errors";
import { XmlError } from "@/lib/export/xml";
import { DatasetStateError } from "@/lib/inheritance/datasets";
import { LlmError } from "@/lib/llm/errors";
import { ResponseTooLargeError } from "@/lib/llm/node-fetch";
import { EndpointNotConfiguredError } from "@/lib/models/registry";
import { ImportFormatError } from "@/lib/runs/import-generations";
import { RunStateError } from "@/lib/runs/runs";
import { SuiteError } from "@/lib/runs/suite";
import { ToolkitFormatError } from "@/lib/runs/toolkit-format";
import { ScorerConfigError } from "@/lib/scorers/config";
import { ScorerError } from "@/lib/scorers/types";

describe("LineageError", () => {
  it.each([
    [new UsageError("u"), "bad_input"],
    [new SuiteError("s"), "bad_input"],
    [new BenchmarkFormatError("f.csv", { line: 3 }, 'expected column "b"'), "bad_input"],
    [new ImportFormatError("i"), "bad_input"],
    [new ToolkitFormatError("t.json", "bad"), "bad_input"],
    [new XmlError("x"), "bad_input"],
    [new BenchmarkFileMissingError("crows_pairs", "f.csv", "/d", null, "(set LINEAGE_DATA_DIR)"), "not_found"],
    [new RunStateError("r"), "conflict"],
    [new DatasetStateError("d"), "conflict"],
    [new EndpointNotConfiguredError("e"), "conflict"],
    [new BenchmarkDownloadError("https://x", "HTTP 404"), "unavailable"],
    [new BenchmarkChecksumError("f", "https://x", "a", "b", "deleted"), "unavailable"],
    [new ResponseTooLargeError(1024, true), "unavailable"],
    [new LlmError("refused", { kind: "auth", retryable: false }), "unavailable"],
    [new ScorerError("down", "server", true), "unavailable"],
    [new ScorerError("no key", "config", false), "environment"],
    [new ScorerConfigError("c"), "environment"],
    [new CredentialError("k"), "environment"],
    [new EnvironmentError("e"), "environment"],
    [new DatabaseLockedError("l"), "environment"],
    [new DatabaseNotMigratedError("m"), "environment"],
    [new DatabaseNewerError("n"), "environment"],
    [new MigrationFailedError("f"), "environment"],
  ] as const)("%s is %s", (err, kind) => {
    expect(err).toBeInstanceOf(LineageError);
    expect(err).toBeInstanceOf(Error);
    expect(err.category).toBe(kind);
    expect(errorKindOf(err)).toBe(kind);
    expect(err.userMessage).toBe(err.message);
    expect(EXIT_CODES[kind]).toBe(["bad_input", "not_found", "gone", "conflict", "forbidden"].includes(kind) ? 2 : 1);
  });

  it("keeps the names, messages and finer kinds the subclasses had", () => {
    const llm = new LlmError("the key was refused", { kind: "auth", retryable: false, status: 401 });
    expect(llm.name).toBe("LlmError");
    expect(llm.kind).toBe("auth");
    expect(llm.status).toBe(401);
    expect(llm.toJSON()).toEqual({ name: "LlmError", kind: "auth", retryable: false, status: 401, message: "the key was refused", detail: undefined });
    const scorer = new ScorerError("x", "rate_limited", true, 429);
    expect([scorer.name, scorer.kind, scorer.retryable, scorer.status]).toEqual(["ScorerError", "rate_limited", true, 429]);
    expect(new BenchmarkFormatError("f.csv", { line: 3 }, 'expected column "b"').message).toBe('f.csv line 3: expected column "b"');
    expect(new BenchmarkDownloadError("https://x", "HTTP 404").name).toBe("BenchmarkDownloadError");
  });

  it("takes a field, a user message, a cause and another kind for one throw site", () => {
    const cause = new Error("root");
    const e = new SuiteError("SEAT: no test file is available", { kind: "not_found", field: "benchmarks", userMessage: "No SEAT data.", cause });
    expect([e.kind, e.category, e.field, e.userMessage, e.message, e.cause]).toEqual([
      "not_found",
      "not_found",
      "benchmarks",
      "No SEAT data.",
      "SEAT: no test file is available",
      cause,
    ]);
    expect(isLineageError(e, "not_found")).toBe(true);
    expect(isLineageError(e, "bad_input")).toBe(false);
  });

  it("never shows an internal error's text", () => {
    const bug = new LineageError("row 17 has a null id", { kind: "internal" });
    expect(bug.userMessage).not.toContain("row 17");
    expect(userMessageOf(new Error("secret detail"))).not.toContain("secret");
    expect(errorKindOf(new TypeError("x"))).toBe("internal");
    expect(EXIT_CODES.internal).toBeNull();
    class Odd extends errorOfKind("conflict") {}
    expect(new Odd("o").category).toBe("conflict");
  });
});
