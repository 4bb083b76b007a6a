// Bytes PostgreSQL refuses (NUL) and text that is not Unicode (an unpaired surrogate) are refused when a file is
// read, with the file and line, in every import path — never a database error halfway through an import.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePromptList } from "@/lib/benchmarks/prompt-lists";
import { ImportFormatError, parseGenerations } from "@/lib/runs/import-generations";
import { runCli as cli } from "../support/cli";

const cases: [string, string][] = [
  ["a JSON \\u0000 escape", '{"prompt": "ok"}\n{"prompt": "bad \\u0000 byte"}\n'],
  ["an unpaired surrogate", '{"prompt": "ok"}\n{"prompt": "half \\ud800 a pair"}\n'],
];

describe("unstorable text in imported files", () => {
  for (const [what, jsonl] of cases) {
    it(`prompt lists: ${what} is refused with its line`, () => {
      expect(() => parsePromptList(Buffer.from(jsonl), "prompts.jsonl")).toThrow(
        /prompts\.jsonl line 2: expected text the database can store, found .*(NUL|unpaired surrogate)/,
      );
    });
    it(`generations: ${what} is refused with its line`, () => {
      const gen = jsonl.replace(/"prompt": ("[^"]*")/g, '"prompt": "p", "output": $1');
      expect(() => parseGenerations(gen, "gen.jsonl")).toThrow(ImportFormatError);
      expect(() => parseGenerations(gen, "gen.jsonl")).toThrow(/gen\.jsonl line 2: .*"output" holds .*(NUL|unpaired surrogate)/);
    });
  }

  it("a raw 0x00 byte in a text prompt file, and in a CSV cell", () => {
    const txt = Buffer.concat([Buffer.from("first prompt\nsecond "), Buffer.from([0]), Buffer.from(" prompt\n")]);
    expect(() => parsePromptList(txt, "p.txt")).toThrow(/p\.txt line 2: .*NUL/);
    const csv = Buffer.concat([Buffer.from("id,prompt\n1,fine\n2,bro"), Buffer.from([0]), Buffer.from("ken\n")]);
    expect(() => parsePromptList(csv, "p.csv")).toThrow(/p\.csv line 3: .*NUL/);
  });

  it("the CLI says `<file> line N: …` and exits 2", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-nul-"));
    const file = path.join(home, "gen.jsonl");
    fs.writeFileSync(file, '{"prompt": "p", "output": "fine"}\n{"prompt": "p", "output": "bad \\u0000"}\n');
    const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "cli-test" };
    expect((await cli(["models", "add", "--name", "m", "--base-url", "http://127.0.0.1:9/v1", "--model-id", "x"], env)).code).toBe(0);
    const r = await cli(["import", "generations", file, "--model", "m"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gen\.jsonl line 2: expected text the database can store/);
    expect(r.stderr).not.toMatch(/invalid byte sequence|at .*\.ts:\d+/);
  });
});
