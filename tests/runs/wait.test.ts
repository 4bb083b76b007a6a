// `profile --wait` ends when its run's job ends in the same process, not at the next one-second poll; should the
// stored status lag behind the job's end, the polls go on at their pace (never a busy loop).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { waitForRun } from "@/lib/runs/wait";
import { backends } from "../support/databases";

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`waitForRun on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let modelId: string;
    beforeAll(async () => {
      db = await backend.open();
      modelId = (await db.prisma.model.create({ data: { name: "waited", baseUrl: "http://127.0.0.1:9/v1", servedModelId: "m" } })).id;
    });
    afterAll(async () => {
      await db?.close();
    });
    const running = async () => (await db.prisma.run.create({ data: { modelId, status: "running", suite: {}, name: "w" } })).id;

    it("returns as soon as the job's end is told, though the poll interval is a minute", async () => {
      const runId = await running();
      let end = () => {};
      const ended = new Promise<void>((r) => (end = r));
      setTimeout(async () => {
        await db.prisma.run.update({ where: { id: runId }, data: { status: "completed" } });
        end();
      }, 100);
      const p = await waitForRun(
        db,
        runId,
        () => undefined,
        60_000,
        () => null,
        ended,
      );
      expect(p.status).toBe("completed");
    });

    it("after the wake, a status that still lags is polled at the interval, not in a loop", async () => {
      const runId = await running();
      let polls = 0;
      // (A Prisma query runs when awaited.)
      setTimeout(async () => {
        await db.prisma.run.update({ where: { id: runId }, data: { status: "completed" } });
      }, 700);
      const p = await waitForRun(
        db,
        runId,
        () => void polls++,
        300,
        () => null,
        Promise.resolve(),
      );
      expect(p.status).toBe("completed");
      // One poll at once, one after the wake, then one every 300 ms until the update at 700 ms: a handful, not thousands.
      expect(polls).toBeGreaterThanOrEqual(3);
      expect(polls).toBeLessThanOrEqual(6);
    });
  });
}
