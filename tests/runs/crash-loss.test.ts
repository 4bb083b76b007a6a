// What a crash costs in paid answers: `lineage profile --wait` is killed with SIGKILL while answers arrive, then
// resumed; every prompt requested more than once counts against the bound the README states — the requests in
// flight plus at most a second of answers (MAX_UNSTORED_MS).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_UNSTORED_MS } from "@/lib/db/batch-writer";
import { startTestServer, type TestServer } from "../server/server";
import { lineageBin, repoRoot, runCli } from "../support/cli";

const PROMPTS = 400;
const CONCURRENCY = 8;
const LATENCY_MS = 60;

let server: TestServer;
const seen = new Map<string, number>();
beforeAll(async () => {
  server = await startTestServer({ latencyMs: LATENCY_MS });
});
afterAll(async () => {
  await server?.close();
});

describe("crash loss", () => {
  it("kill -9 mid-run, resume: re-requested prompts stay within in-flight + one second of answers", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-crash-"));
    const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "crash-test" };
    const prompts = path.join(home, "prompts.jsonl");
    fs.writeFileSync(prompts, Array.from({ length: PROMPTS }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `Crash prompt number ${i}.` })).join("\n"));
    const suite = path.join(home, "suite.json");
    fs.writeFileSync(
      suite,
      JSON.stringify({ name: "crash", benchmarks: [{ benchmark: "textual", prompts: "prompts.jsonl", decoding: { temperature: 0, max_tokens: 8 } }] }),
    );
    expect(
      (await runCli(["models", "add", "--name", "m", "--base-url", server.baseUrl, "--model-id", "tiny-llama", "--concurrency", String(CONCURRENCY)], env))
        .code,
    ).toBe(0);
    server.resetStats();

    // Kill it once answers are flowing, at a point that varies from run to run.
    const child = spawn(process.execPath, [lineageBin, "profile", "--model", "m", "--suite", suite, "--wait"], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let runId = "";
    child.stdout.on("data", (d) => (runId ||= String(d).trim().split("\n")[0]));
    const killAfter = 50 + Math.floor(Math.random() * 100);
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if ((server.stats.byRoute["/v1/completions"] ?? 0) >= killAfter) {
          clearInterval(t);
          child.kill("SIGKILL");
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => child.once("exit", r));
    const beforeCrash = server.stats.byRoute["/v1/completions"] ?? 0;

    const resumed = await runCli(["runs", "resume", runId, "--wait", "--json"], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const total = server.stats.byRoute["/v1/completions"] ?? 0;
    const requestedAgain = total - PROMPTS;
    // Answers per second at this latency and concurrency, and the bound the README states.
    const perSecond = (CONCURRENCY * 1000) / LATENCY_MS;
    const bound = CONCURRENCY + Math.ceil((perSecond * MAX_UNSTORED_MS) / 1000);
    expect(beforeCrash).toBeGreaterThanOrEqual(killAfter);
    expect(requestedAgain).toBeGreaterThanOrEqual(0);
    expect(requestedAgain, `${requestedAgain} re-requested after a kill at ${beforeCrash} requests (bound ${bound})`).toBeLessThanOrEqual(bound);
    seen.set("requestedAgain", requestedAgain);
  }, 120_000);
});
