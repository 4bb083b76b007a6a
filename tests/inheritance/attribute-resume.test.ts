// A dataset targeting a judge attribute, its `lineage distill` process killed with SIGKILL while the judge scores
// the candidates, then resumed: every score the killed process stored is kept (cached per candidate and attribute
// version), the judge is asked exactly for the candidates without one, and no candidate is generated again.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { executeDataset } from "@/lib/inheritance/executor";
import { startTestServer, type TestServer } from "../server/server";
import { lineageBin, repoRoot } from "../support/cli";
import { judgeHome, killAfterJudged } from "../support/judge-home";

const PROMPTS = 30;
const K = 2;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ latencyMs: 40 });
});
afterAll(async () => {
  await server?.close();
});

describe("attribute scoring of a dataset survives a kill", () => {
  it("kill -9 while judging, resume: stored scores are not asked again, nothing is regenerated", async () => {
    const { home, env } = await judgeHome({
      name: "attr-crash",
      baseUrl: server.baseUrl,
      prompts: Array.from({ length: PROMPTS }, (_, i) => ({ prompt: `Write about subject ${i}.` })),
      genConcurrency: 8,
      judgeConcurrency: 2,
    });
    server.resetStats();
    const child = spawn(
      process.execPath,
      [
        lineageBin,
        "distill",
        "--teachers",
        "gen",
        "--prompts",
        path.join(home, "prompts.jsonl"),
        "--k",
        String(K),
        "--target",
        "Length judge@1",
        "--direction",
        "max",
        "--max-tokens",
        "40",
      ],
      { cwd: repoRoot, env: { ...process.env, ...env } },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const killAfter = 10 + Math.floor(Math.random() * 30);
    const killed = await killAfterJudged(child, server, killAfter);
    expect(killed, `the dataset finished before the kill: ${stderr}`).toBe(true);
    const generatedBefore = server.stats.byModel["tiny-llama"] ?? 0;
    expect(generatedBefore).toBeGreaterThan(0);

    const db = await openDatabase({ home });
    try {
      const ds = await db.prisma.dataset.findFirstOrThrow();
      const version = await db.prisma.attributeVersion.findFirstOrThrow();
      const stored = await db.prisma.candidateScore.findMany({ where: { attributeVersionId: version.id } });
      const storedBefore = new Map(stored.map((s) => [s.candidateId, s.value]));
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.length).toBeLessThan(PROMPTS * K);

      server.resetStats();
      expect(await executeDataset(db, ds.id, { controlPollMs: 50 })).toBe("completed");
      // Exactly the missing scores asked; no generation.
      expect(server.stats.byModel["tiny-judge"]).toBe(PROMPTS * K - stored.length);
      expect(server.stats.byModel["tiny-llama"] ?? 0).toBe(0);
      const after = await db.prisma.candidateScore.findMany({ where: { attributeVersionId: version.id } });
      expect(after).toHaveLength(PROMPTS * K);
      for (const s of after) if (storedBefore.has(s.candidateId)) expect(s.value).toBe(storedBefore.get(s.candidateId));
      expect(after.every((s) => typeof s.value === "number")).toBe(true);
      const sel = await db.prisma.selection.findFirstOrThrow({ where: { datasetId: ds.id } });
      expect(await db.prisma.selectionItem.count({ where: { selectionId: sel.id } })).toBe(PROMPTS);
    } finally {
      await db.close();
    }
  }, 240_000);
});
