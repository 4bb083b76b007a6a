// A disk that fills during a run: the command ends with "no space left on device in <folder>" and a non-zero exit
// instead of freezing (PGlite spins forever on a statement that cannot write its WAL), nothing of the user's data is
// printed, and resume after the disk has room completes the run. Needs a small tmpfs (root, mount allowed; CI runs so).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../server/server";
import { runCli } from "../support/cli";

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-small-disk-"));
const mounted = process.getuid?.() === 0 && spawnSync("mount", ["-t", "tmpfs", "-o", "size=60m", "tmpfs", mountPoint]).status === 0;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ latencyMs: 2 });
});
afterAll(async () => {
  await server?.close();
  if (mounted) spawnSync("umount", [mountPoint]);
});

describe.skipIf(!mounted)(`a full disk${mounted ? "" : " — skipped: a tmpfs cannot be mounted here (needs root)"}`, () => {
  it("a run that fills the disk ends with the reason and exit 1; after the disk grows, resume completes it", async () => {
    const home = path.join(mountPoint, "home");
    const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "disk-test" };
    expect((await runCli(["models", "add", "--name", "m", "--base-url", server.baseUrl, "--model-id", "tiny-verbose", "--concurrency", "16"], env)).code).toBe(
      0,
    );
    const prompts = path.join(os.tmpdir(), `disk-full-prompts-${process.pid}.jsonl`);
    fs.writeFileSync(
      prompts,
      Array.from({ length: 6000 }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `SECRET-PROMPT-${i} tell a long story.` })).join("\n"),
    );
    const suite = path.join(os.tmpdir(), `disk-full-suite-${process.pid}.json`);
    fs.writeFileSync(suite, JSON.stringify({ name: "fill", benchmarks: [{ benchmark: "textual", prompts, decoding: { temperature: 0, max_tokens: 400 } }] }));
    // Leave about 36 MB: enough to open and start, not for 6,000 long answers and their WAL.
    const st = fs.statfsSync(mountPoint);
    const freeMb = Math.floor((st.bavail * st.bsize) / 1048576);
    fs.writeFileSync(path.join(mountPoint, "filler"), Buffer.alloc(Math.max(0, freeMb - 36) * 1048576));

    const r = await runCli(["profile", "--model", "m", "--suite", suite, "--wait"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no space left on device in .*home/);
    expect(r.stderr).not.toMatch(/SECRET-PROMPT|at .*\.(ts|js):\d+/);
    const runId = r.stdout.trim().split("\n")[0];

    fs.rmSync(path.join(mountPoint, "filler"));
    execFileSync("mount", ["-o", "remount,size=300m", mountPoint]);
    const resumed = await runCli(["runs", "resume", runId, "--wait", "--json"], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split("\n").pop()!)).toMatchObject({ status: "completed" });
  }, 240_000);

  it("creating a large run on a full disk says so in one line, without the prompts", async () => {
    const home = path.join(mountPoint, "home2");
    const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "disk-test" };
    expect((await runCli(["models", "add", "--name", "m", "--base-url", server.baseUrl, "--model-id", "tiny-llama"], env)).code).toBe(0);
    const st = fs.statfsSync(mountPoint);
    fs.writeFileSync(path.join(mountPoint, "filler2"), Buffer.alloc(Math.max(0, Math.floor((st.bavail * st.bsize) / 1048576) - 2) * 1048576));
    const prompts = path.join(os.tmpdir(), `disk-full-prompts2-${process.pid}.jsonl`);
    fs.writeFileSync(
      prompts,
      Array.from({ length: 20000 }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `SECRET-PROMPT-${i} ${"words ".repeat(40)}` })).join("\n"),
    );
    const suite = path.join(os.tmpdir(), `disk-full-suite2-${process.pid}.json`);
    fs.writeFileSync(suite, JSON.stringify({ name: "create", benchmarks: [{ benchmark: "textual", prompts }] }));
    const r = await runCli(["profile", "--model", "m", "--suite", suite], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lineage profile: no space left on device in /);
    expect(r.stderr).not.toMatch(/SECRET-PROMPT/);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    fs.rmSync(path.join(mountPoint, "filler2"));
  }, 120_000);
});
