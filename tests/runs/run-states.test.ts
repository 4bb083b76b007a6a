// Honest end states: a run whose endpoint refuses every connection stops early, failed, with its items still
// pending, and resume completes it once the server is up; a run where some items failed is "completed with
// failures"; a run with nothing usable is "failed", never "completed".
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { CONNECTION_FAILURES_TO_STOP, executeRun } from "@/lib/runs/executor";
import { runHealth } from "@/lib/runs/run-state";
import { workerJobsFromEnv } from "@/lib/runs/queue";
import { controlRun, createRun, runProgress } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";
import { startTestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";
const FIXTURES = path.resolve(__dirname, "../../lib/benchmarks/fixtures");

const prompts = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, prompt: `Say something about ${i}.` }));
const suite = () =>
  resolveSuite(
    parseSuite({
      name: "t",
      benchmarks: [{ benchmark: "textual", prompts: { source: "inline", items: prompts }, decoding: { temperature: 0, max_tokens: 16 } }],
    }),
  );

/** A free port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`run end states on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it("an unreachable endpoint fails the run early with the fix; resume completes it once the server is up", async () => {
      const port = await closedPort();
      const modelId = await addTestModel(db, { baseUrl: `http://127.0.0.1:${port}/v1` }, "unreachable", "tiny-llama", { concurrency: "4" });
      const runId = await createRun(db, modelId, await suite(), { seed: 1 });
      expect(await executeRun(db, runId, { controlPollMs: 50 })).toBe("failed");
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect(run.error).toMatch(new RegExp(`stopped after ${CONNECTION_FAILURES_TO_STOP} requests in a row could not connect: .*connection refused`));
      expect(run.error).toMatch(/resume the run/);
      // Nothing was burnt through: no item is marked failed, all are still pending.
      expect(await db.prisma.item.count({ where: { runId, status: "failed" } })).toBe(0);
      expect(await db.prisma.item.count({ where: { runId, status: "pending" } })).toBe(100);
      expect((await runHealth(db, [runId])).get(runId)?.state).toBe("failed");

      const server = await startTestServer({ port });
      try {
        await controlRun(db, runId, "resume");
        expect(await executeRun(db, runId, { controlPollMs: 50 })).toBe("completed");
        expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(100);
        expect((await runHealth(db, [runId])).get(runId)).toMatchObject({ state: "completed", label: "completed", failedItems: 0 });
      } finally {
        await server.close();
      }
    });

    it("a queued run says how many jobs are ahead and how many execute at once", async () => {
      const server = await startTestServer();
      try {
        const m = await addTestModel(db, server, "queued-model");
        const ids = [];
        for (let i = 0; i < 3; i++) ids.push(await createRun(db, m, await suite(), { seed: i }));
        const third = await runProgress(db, ids[2]);
        expect(third?.queue).toMatchObject({ ahead: expect.any(Number), active: 0, slots: 2 });
        expect(third!.queue!.ahead).toBeGreaterThanOrEqual(2);
        const first = await runProgress(db, ids[0]);
        expect(first!.queue!.ahead).toBe(third!.queue!.ahead - 2);
        for (const id of ids) await controlRun(db, id, "cancel");
        expect((await runProgress(db, ids[2]))?.queue).toBeNull();
      } finally {
        await server.close();
      }
      expect(workerJobsFromEnv({ LINEAGE_WORKER_JOBS: "4" })).toBe(4);
      expect(() => workerJobsFromEnv({ LINEAGE_WORKER_JOBS: "0" })).toThrow(/1 to 64/);
    });

    it("some failed items: completed with failures; every step unsupported: failed with the reason, never completed", async () => {
      const server = await startTestServer();
      try {
        const ok = await addTestModel(db, server, "partial", "tiny-llama");
        const okRun = await createRun(db, ok, await suite(), { seed: 1 });
        expect(await executeRun(db, okRun, { controlPollMs: 50 })).toBe("completed");
        expect((await runHealth(db, [okRun])).get(okRun)?.state).toBe("completed");
        // Two items that failed for good (as after their retries): the run's numbers are not whole.
        await db.sql.query(`UPDATE "Item" SET status = 'failed', error = 'server error 500' WHERE "runId" = $1 AND "itemKey" IN ('p1', 'p2')`, [okRun]);
        const h = (await runHealth(db, [okRun])).get(okRun)!;
        expect(h).toMatchObject({ state: "completed_with_failures", label: "completed with failures", failedItems: 2 });
        expect(h.problems).toEqual([{ benchmark: "textual", status: "completed", reason: null, failedItems: 2 }]);

        server.setModel("no-echo", { flags: { echo: false } });
        const noEcho = await addTestModel(db, server, "no-echo", "no-echo");
        const resolved = await resolveSuite(parseSuite({ name: "bias", benchmarks: [{ benchmark: "crows_pairs", limit: 5 }] }), {
          data: { dataDir: FIXTURES },
        });
        const badRun = await createRun(db, noEcho, resolved, { seed: 1 });
        expect(await executeRun(db, badRun, { controlPollMs: 50 })).toBe("failed");
        const run = await db.prisma.run.findUniqueOrThrow({ where: { id: badRun } });
        expect(run.error).toMatch(/nothing usable: no item completed \(crows_pairs unsupported: not supported by this endpoint/);
      } finally {
        await server.close();
      }
    });
  });
}
