import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { executeRun } from "@/lib/runs/executor";
import { claim } from "@/lib/runs/queue";
import { controlRun, createRun, runMetrics, runProgress } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";
import { textMetrics } from "@/lib/metrics/text";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";

const prompts = Array.from({ length: 40 }, (_, i) => ({ key: `p${i}`, prompt: `Explain topic number ${i} in a few sentences.` }));

async function suite(limit?: number) {
  return resolveSuite(
    parseSuite({
      name: "t",
      benchmarks: [{ benchmark: "textual", prompts: { source: "inline", items: prompts }, limit, decoding: { temperature: 0, max_tokens: 48 } }],
    }),
  );
}

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`textual runs on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 5 });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("runs every item once, stores outputs, per-item scores and aggregates with CIs", async () => {
      const modelId = await addTestModel(db, server, "llama-a", "tiny-llama", { concurrency: "8" });
      const runId = await createRun(db, modelId, await suite(), { seed: 7 });
      const job = await claim(db.sql, "test", 60_000, ["run"]);
      expect(job?.payload.runId).toBe(runId);
      expect(await executeRun(db, runId)).toBe("completed");
      const items = await db.prisma.item.findMany({ where: { runId } });
      expect(items).toHaveLength(40);
      expect(items.every((i) => i.status === "done" && typeof i.output === "string")).toBe(true);
      const one = items[0];
      const expected = textMetrics(one.output!);
      const byMetric = one.scores as Record<string, number | null>;
      for (const [k, v] of Object.entries(expected)) expect(byMetric[k]).toBe(v);
      expect(byMetric.length_tokens).toBe(one.completionTokens);
      const metrics = await runMetrics(db, runId);
      const words = items.map((i) => textMetrics(i.output!).length_words!);
      expect(metrics.length_words).toBeCloseTo(words.reduce((a, b) => a + b, 0) / words.length, 10);
      const agg = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId, metric: "length_words" } } });
      expect(agg.n).toBe(40);
      expect(agg.ciLow!).toBeLessThanOrEqual(agg.value!);
      expect(agg.ciHigh!).toBeGreaterThanOrEqual(agg.value!);
      const progress = await runProgress(db, runId);
      expect(progress?.benchmarks[0]).toMatchObject({ total: 40, done: 40, failed: 0, pending: 0, status: "completed" });
      // Re-executing a completed run requests nothing.
      server.resetStats();
      expect(await executeRun(db, runId)).toBe("completed");
      expect(server.stats.total).toBe(0);
    });

    it("completes exactly through a storm of 429s, 500s, dropped connections and malformed bodies", async () => {
      const modelId = await addTestModel(db, server, "llama-storm", "tiny-gemma", { concurrency: "6" });
      server.setFaults({
        seed: 3,
        rules: [
          { kind: "429", probability: 0.15, retryAfterSeconds: 0 },
          { kind: "500", probability: 0.1 },
          { kind: "drop", probability: 0.05 },
          { kind: "malformed", probability: 0.05 },
        ],
      });
      const runId = await createRun(db, modelId, await suite(), { seed: 1 });
      try {
        expect(await executeRun(db, runId)).toBe("completed");
      } finally {
        server.setFaults({ rules: [] });
      }
      const items = await db.prisma.item.findMany({ where: { runId } });
      expect(items).toHaveLength(40);
      expect(items.filter((i) => i.status === "done")).toHaveLength(40);
      expect(items.some((i) => i.attempts > 1)).toBe(true);
      const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Score" WHERE "runId" = $1 AND metric = 'mtld'`, [runId]);
      expect(rows[0].n).toBe(40);
    });

    it("stops on a non-retryable error with a message that says what to fix; retry after fixing completes", async () => {
      const modelId = await addTestModel(db, server, "wrong-id", "no-such-model", { concurrency: "8" });
      const runId = await createRun(db, modelId, await suite(5));
      expect(await executeRun(db, runId)).toBe("failed");
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect(run.error).toMatch(/no-such-model/);
      expect(run.error).toMatch(/served model id/);
      await db.prisma.model.update({ where: { id: modelId }, data: { servedModelId: "tiny-llama" } });
      expect(await controlRun(db, runId, "retry-failed")).toBe("queued");
      expect(await executeRun(db, runId)).toBe("completed");
      expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(5);
    });

    it("pause keeps completed work; resume requests only the rest", async () => {
      const modelId = await addTestModel(db, server, "llama-pause", "tiny-llama", { concurrency: "2" });
      server.setLatency(150);
      const runId = await createRun(db, modelId, await suite());
      const exec = executeRun(db, runId, { controlPollMs: 50 });
      // Pause once some items are stored (40 items at 2 × 150 ms take 3 s: far from done).
      for (let i = 0; i < 200 && (await db.prisma.item.count({ where: { runId, status: "done" } })) === 0; i++) await new Promise((r) => setTimeout(r, 25));
      await controlRun(db, runId, "pause");
      expect(await exec).toBe("paused");
      const done = await db.prisma.item.count({ where: { runId, status: "done" } });
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(40);
      server.setLatency(5);
      // Requests cut off by the pause still reach the server's counters; let them land before counting.
      await new Promise((r) => setTimeout(r, 400));
      server.resetStats();
      await controlRun(db, runId, "resume");
      expect(await executeRun(db, runId)).toBe("completed");
      expect(server.stats.byRoute["/v1/completions"]).toBe(40 - done);
      expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(40);
    });
  });
}
