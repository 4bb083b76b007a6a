// A run with judge scoring killed with SIGKILL mid-run, then resumed: what the killed process stored — generations
// and judge scores, each saved on its item as it arrived — is never asked for again. The resume asks the judge
// exactly for the scores that were not stored, and generates only the outputs that were not.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { readTextualData } from "@/lib/runs/steps/textual";
import { startTestServer, type TestServer } from "../server/server";
import { lineageBin, repoRoot } from "../support/cli";
import { judgeHome, killAfterJudged } from "../support/judge-home";

const PROMPTS = 60;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ latencyMs: 40 });
});
afterAll(async () => {
  await server?.close();
});

describe("judge scoring survives a kill", () => {
  it("kill -9 mid-run, resume: no stored generation or judge score is requested again", async () => {
    // A short lease: the resume takes the killed process's run over after 2 s instead of 30.
    const { home, env, cli } = await judgeHome({
      name: "judge-crash",
      baseUrl: server.baseUrl,
      prompts: Array.from({ length: PROMPTS }, (_, i) => ({ id: `p${i}`, prompt: `Judge prompt number ${i}.` })),
      genConcurrency: 4,
      judgeConcurrency: 4,
      env: { LINEAGE_JOB_LEASE_MS: "2000" },
    });
    const suite = path.join(home, "suite.json");
    fs.writeFileSync(
      suite,
      JSON.stringify({
        name: "judged",
        benchmarks: [{ benchmark: "textual", prompts: "prompts.jsonl", decoding: { temperature: 0, max_tokens: 48 }, attributes: ["Length judge"] }],
      }),
    );
    server.resetStats();
    const child = spawn(process.execPath, [lineageBin, "profile", "--model", "gen", "--suite", suite, "--wait"], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let runId = "";
    let stderr = "";
    child.stdout.on("data", (d) => (runId ||= String(d).trim().split("\n")[0]));
    child.stderr.on("data", (d) => (stderr += d));
    const killAfter = 15 + Math.floor(Math.random() * 20);
    const killed = await killAfterJudged(child, server, killAfter);
    expect(killed, `the run ended before the kill: ${stderr}`).toBe(true);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    // What the killed process stored: outputs generated and scores judged.
    const db = await openDatabase({ home });
    const storedItems = await db.prisma.item.findMany({ where: { runId } });
    await db.close();
    const generated = storedItems.filter((i) => i.status === "done" || readTextualData(i.data).generation).length;
    const judged = storedItems.filter((i) => readTextualData(i.data).attributes?.attr_length_judge).length;
    expect(judged).toBeGreaterThan(0);
    expect(judged).toBeLessThan(PROMPTS);

    server.resetStats();
    const resumed = await cli(["runs", "resume", runId, "--wait", "--json"]);
    expect(JSON.parse(resumed.stdout.trim().split("\n").pop()!).status).toBe("completed");
    // Exactly the missing ones.
    expect(server.stats.byModel["tiny-judge"]).toBe(PROMPTS - judged);
    expect(server.stats.byModel["tiny-llama"] ?? 0).toBe(PROMPTS - generated);

    const after = await openDatabase({ home });
    const items = await after.prisma.item.findMany({ where: { runId } });
    await after.close();
    expect(items.every((i) => i.status === "done" && typeof (i.scores as Record<string, number>).attr_length_judge === "number")).toBe(true);
  }, 240_000);
});
