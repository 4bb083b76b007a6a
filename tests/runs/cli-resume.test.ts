// The command line end to end, as separate processes: register a model, profile with --wait --json, kill -9 the
// process mid-run, resume, and end with exactly the expected items.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { startTestServer, type TestServer } from "../server/server";
import { lineageBin as bin, repoRoot as root, runCli } from "../support/cli";

const cli = runCli;

describe("lineage CLI on the embedded database", () => {
  let server: TestServer;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-cli-"));
  const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "cli-test" };
  const suiteFile = path.join(home, "suite.json");
  beforeAll(async () => {
    server = await startTestServer({ latencyMs: 100 });
    fs.writeFileSync(
      path.join(home, "prompts.jsonl"),
      Array.from({ length: 60 }, (_, i) => JSON.stringify({ prompt: `Question ${i}: why is the sky blue?` })).join("\n"),
    );
    fs.writeFileSync(
      suiteFile,
      JSON.stringify({
        name: "cli",
        benchmarks: [{ benchmark: "textual", prompts: "prompts.jsonl", limit: 50, decoding: { temperature: 0, max_tokens: 32 } }],
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it("adds a model, refuses a bad URL with exit code 2", async () => {
    const ok = await cli(["models", "add", "--name", "tiny", "--base-url", server.baseUrl, "--model-id", "tiny-llama", "--concurrency", "2"], env);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await cli(["models", "add", "--name", "bad", "--base-url", "nope", "--model-id", "x"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--base-url: Enter an http/);
    const list = await cli(["models", "list", "--json"], env);
    expect(JSON.parse(list.stdout).map((m: { name: string }) => m.name)).toEqual(["tiny"]);
  });

  it("survives kill -9 mid-run and resumes to exactly the expected items", async () => {
    const child = spawn(process.execPath, [bin, "profile", "--model", "tiny", "--suite", suiteFile, "--wait", "--json"], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    // Kill once some, but not all, items are done.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no progress: ${err}`)), 120_000);
      child.stderr.on("data", () => {
        const m = /textual (\d+)\/50/.exec(err.split("\n").filter(Boolean).pop() ?? "");
        if (m && Number(m[1]) >= 5) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const runs = JSON.parse((await cli(["runs", "list", "--json"], env)).stdout);
    expect(runs).toHaveLength(1);
    const runId = runs[0].id;
    const resumed = await cli(["runs", "resume", runId, "--wait", "--json"], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout.trim().split("\n").pop()!);
    expect(summary.run).toBe(runId);
    expect(summary.status).toBe("completed");
    expect(summary.metrics.length_words).toBeGreaterThan(0);

    const db = await openDatabase({ home });
    try {
      const items = await db.prisma.item.findMany({ where: { runId } });
      expect(items).toHaveLength(50);
      expect(items.every((i) => i.status === "done")).toBe(true);
      expect(new Set(items.map((i) => i.itemKey)).size).toBe(50);
      const { rows } = await db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Score" WHERE "runId" = $1 AND metric = 'length_words' AND value > 0`,
        [runId],
      );
      expect(rows[0].n).toBe(50);
    } finally {
      await db.close();
    }
  });

  it("refuses to open the embedded database while another process holds it", async () => {
    const db = await openDatabase({ home });
    try {
      const r = await cli(["runs", "list"], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/in use by process \d+/);
    } finally {
      await db.close();
    }
  });

  it("imports generations, rejecting a malformed file with its line and keeping nothing", async () => {
    const bad = path.join(home, "bad.jsonl");
    fs.writeFileSync(bad, '{"prompt":"a","output":"b"}\nnot json\n');
    const r = await cli(["import", "generations", bad, "--model", "tiny", "--json"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl line 2: not valid JSON/);
    const good = path.join(home, "good.jsonl");
    fs.writeFileSync(good, '{"prompt":"a","output":"The cat sat on the mat. It was warm there."}\n{"prompt":"b","output":"Dogs bark."}\n');
    const ok = await cli(["import", "generations", good, "--model", "tiny", "--json"], env);
    expect(ok.code, ok.stderr).toBe(0);
    const s = JSON.parse(ok.stdout.trim().split("\n").pop()!);
    expect(s.status).toBe("completed");
    // (10 + 2) / 2 words
    expect(s.metrics.length_words).toBe(6);
    expect(JSON.parse((await cli(["runs", "list", "--json"], env)).stdout)).toHaveLength(2);
  });
});
