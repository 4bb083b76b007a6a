// `lineage attributes rejudge` killed with SIGKILL mid-pass, then run again with the same run, sample and seed: the
// second scores the killed process stored (each as it arrived) are never asked for again, and the agreement is
// printed once the sample is complete.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { startTestServer, type TestServer } from "../server/server";
import { lineageBin, repoRoot } from "../support/cli";
import { judgeHome, killAfterJudged } from "../support/judge-home";

const PROMPTS = 50;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ latencyMs: 40 });
});
afterAll(async () => {
  await server?.close();
});

describe("re-judging survives a kill", () => {
  it("kill -9 mid-pass, run again: no stored second score is requested again", async () => {
    const { home, env, cli } = await judgeHome({
      name: "rejudge-crash",
      baseUrl: server.baseUrl,
      prompts: Array.from({ length: PROMPTS }, (_, i) => ({ id: `p${i}`, prompt: `Judge prompt number ${i}.` })),
      genConcurrency: 4,
      judgeConcurrency: 2,
      temperature: 0.7, // tiny-judge wavers between asks: the agreement is not trivially perfect
    });
    const suite = path.join(home, "suite.json");
    fs.writeFileSync(
      suite,
      JSON.stringify({
        name: "judged",
        benchmarks: [{ benchmark: "textual", prompts: "prompts.jsonl", decoding: { temperature: 0, max_tokens: 48 }, attributes: ["Length judge"] }],
      }),
    );
    const profiled = await cli(["profile", "--model", "gen", "--suite", suite, "--wait", "--json"]);
    const runId = JSON.parse(profiled.stdout.trim().split("\n").pop()!).run as string;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    server.resetStats();
    const args = ["attributes", "rejudge", "Length judge", "--run", runId, "--sample", "40", "--seed", "11"];
    const child = spawn(process.execPath, [lineageBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const killAfter = 8 + Math.floor(Math.random() * 16);
    const killed = await killAfterJudged(child, server, killAfter);
    expect(killed, `the pass ended before the kill: ${stderr}`).toBe(true);

    const db = await openDatabase({ home });
    const stored = await db.prisma.rejudgeScore.count();
    const pass = await db.prisma.rejudge.findFirstOrThrow({ where: { runId } });
    await db.close();
    expect(pass.finishedAt).toBeNull();
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(40);

    server.resetStats();
    const again = await cli([...args, "--json"]);
    // Exactly the missing ones.
    expect(server.stats.byModel["tiny-judge"]).toBe(40 - stored);
    expect(server.stats.byModel["tiny-llama"] ?? 0).toBe(0);
    const summary = JSON.parse(again.stdout.trim().split("\n").pop()!);
    expect(summary).toMatchObject({ id: pass.id, runId, sampleSize: 40, stored: 40, seed: 11, version: 1 });
    expect(summary.spearman).toMatchObject({ ok: true, n: 40 });
    expect(summary.spearman.value).toBeGreaterThan(0);
    expect(summary.spearman.value).toBeLessThan(1);

    // The plain output prints the agreement; asking again asks nobody.
    server.resetStats();
    const text = await cli(args);
    expect(server.stats.total).toBe(0);
    expect(text.stdout).toMatch(/re-judged 40 of 40 outputs/);
    expect(text.stdout).toContain(`Spearman rho ${summary.spearman.value.toFixed(4)}`);
    expect(text.stdout).toMatch(/mean \|diff\| \d\.\d{4}\nn 40\n/);
  }, 240_000);
});
