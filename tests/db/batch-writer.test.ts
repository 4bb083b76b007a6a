// The batch writer says how long its oldest unstored result has waited, and a caller can wait until nothing older
// than a bound is unstored: what bounds the answers a crash can lose while the database is slow to write.
import { describe, expect, it } from "vitest";
import { BatchWriter } from "@/lib/db/batch-writer";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("BatchWriter freshness", () => {
  it("ages unstored results, waits until they are stored, and is fresh again after", async () => {
    const stored: number[] = [];
    const w = new BatchWriter<number>(
      async (batch) => {
        await sleep(250); // a database busy serving pages
        stored.push(...batch);
      },
      1000,
      10,
    );
    expect(w.unstoredAgeMs()).toBe(0);
    w.add(1, 2);
    await sleep(60);
    w.add(3);
    expect(w.unstoredAgeMs()).toBeGreaterThanOrEqual(50);
    await sleep(80); // the first batch is still being written, 140 ms after it arrived
    const t0 = Date.now();
    await w.waitUntilStored(100);
    expect(w.unstoredAgeMs()).toBeLessThanOrEqual(100);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(80);
    expect(stored).toEqual(expect.arrayContaining([1, 2]));
    await w.flush();
    expect(stored).toEqual([1, 2, 3]);
    expect(w.unstoredAgeMs()).toBe(0);
  });

  it("a failed write surfaces in the wait instead of waiting forever", async () => {
    const w = new BatchWriter<number>(
      async () => {
        throw new Error("disk full");
      },
      1000,
      5,
    );
    w.add(1);
    await sleep(20);
    await expect(w.waitUntilStored(0)).rejects.toThrow("disk full");
  });
});
