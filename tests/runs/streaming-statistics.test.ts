// Statistics at scale (issue 17): a run's mean aggregates are read page by page; up to STREAMING_MEAN_MIN_N items
// they are exactly the step's seeded bootstrap (same values as aggregating every item at once), above it the
// interval comes from streaming sums, which must agree with the exact percentile bootstrap within the bootstrap's
// own Monte-Carlo error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createRng } from "@/lib/metrics/random";
import { STREAMING_INTERVAL, StreamingMean, bootstrapMeanCI, normalQuantileTwoSided, streamingMeanCI } from "@/lib/metrics/statistics";
import { compareCodePoints, storedMeanAggregates } from "@/lib/runs/aggregates";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { textualStep } from "@/lib/runs/steps/textual";
import { doneItems } from "@/lib/runs/store";
import { parseSuite, type TextualSnapshot } from "@/lib/runs/suite";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-streaming-statistics";

describe("streaming statistics (pure)", () => {
  it("the normal quantile is right to 1e-8", () => {
    expect(normalQuantileTwoSided(0.95)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantileTwoSided(0.99)).toBeCloseTo(2.5758293035489, 8);
    expect(normalQuantileTwoSided(0.5)).toBeCloseTo(0.6744897501960817, 8);
  });

  it("streamed mean and variance equal the two-pass ones, skipping missing values", () => {
    const acc = new StreamingMean();
    const xs = [3, null, 1, 4, Number.NaN, 1, 5, 9, 2, 6];
    for (const x of xs) acc.add(x);
    const present = [3, 1, 4, 1, 5, 9, 2, 6];
    const m = present.reduce((a, b) => a + b, 0) / present.length;
    const v = present.reduce((a, b) => a + (b - m) ** 2, 0) / (present.length - 1);
    expect(acc.n).toBe(8);
    expect(acc.mean).toBeCloseTo(m, 12);
    expect(acc.variance).toBeCloseTo(v, 12);
    expect(() => acc.add(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(streamingMeanCI(new StreamingMean())).toEqual({ mean: null, lo: null, hi: null, n: 0 });
  });

  // The percentile bootstrap's 2.5 % and 97.5 % points are estimated from R = 2000 resamples: their Monte-Carlo
  // standard error is √(p(1−p)/R) / f(q_p) ≈ 0.06 standard errors of the mean (f the normal density of the
  // resampled means). The streamed interval must lie within 4 of those of the exact one, on skewed data too.
  for (const [name, draw] of [
    ["exponential", (u: number) => -Math.log(1 - u)],
    ["Bernoulli(0.1)", (u: number) => (u < 0.1 ? 1 : 0)],
    ["heavy right tail (u^-1/3)", (u: number) => (1 - u) ** (-1 / 3)],
  ] as const) {
    it(`agrees with the exact percentile bootstrap within its Monte-Carlo error on 120,000 ${name} values`, () => {
      const rng = createRng(`streaming:${name}`);
      const n = 120_000;
      const xs = new Array<number>(n);
      const acc = new StreamingMean();
      for (let i = 0; i < n; i++) {
        xs[i] = draw(rng.nextFloat());
        acc.add(xs[i]);
      }
      const exact = bootstrapMeanCI(xs, { seed: 1, resamples: 2000 });
      const streamed = streamingMeanCI(acc);
      const se = Math.sqrt(acc.variance / n);
      const mcError = (Math.sqrt((0.025 * 0.975) / 2000) / (Math.exp(-(1.96 ** 2) / 2) / Math.sqrt(2 * Math.PI))) * se;
      expect(mcError / se).toBeCloseTo(0.0597, 3);
      expect(streamed.mean).toBeCloseTo(exact.mean!, 10);
      expect(Math.abs(streamed.lo! - exact.lo!)).toBeLessThan(4 * mcError);
      expect(Math.abs(streamed.hi! - exact.hi!)).toBeLessThan(4 * mcError);
    });
  }

  it('orders item keys by code point, as COLLATE "C" does', () => {
    const keys = ["ｚ", "😀", "b", "é", "a", "B"];
    expect([...keys].sort(compareCodePoints)).toEqual(["B", "a", "b", "é", "ｚ", "😀"]);
  });
});

const keys = ["p10", "p2", "Z", "a", "é", "😀", "ｚ", "p1"];
const prompts = keys.map((key, i) => ({ key, prompt: `Explain topic ${i} (${key}) in a few sentences.` }));

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`paged mean aggregates on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    let runId: string;
    let textual: TextualSnapshot;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 0 });
      const modelId = await addTestModel(db, server, "llama-stream", "tiny-llama", { concurrency: "4" });
      const suite = await resolveSuite(
        parseSuite({
          name: "s",
          benchmarks: [
            { benchmark: "textual", prompts: { source: "inline", items: prompts }, samples: 3, decoding: { temperature: 1, max_tokens: 32, seed: 5 } },
          ],
        }),
      );
      const snapshot = suite.steps[0].snapshot;
      if ("unavailable" in snapshot || snapshot.benchmark !== "textual") throw new Error("expected a textual step");
      textual = snapshot;
      runId = await createRun(db, modelId, suite, { seed: 11 });
      expect(await executeRun(db, runId)).toBe("completed");
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("stores exactly what aggregating every item at once gives (same order, same seeded bootstrap)", async () => {
      const stored = await db.prisma.aggregate.findMany({ where: { runId }, orderBy: { metric: "asc" } });
      const expected = textualStep.aggregate(await doneItems(db, runId, "textual"), 11, textual);
      expect(stored.length).toBe(expected.length);
      const paged = await storedMeanAggregates(db, runId, "textual", 11);
      expect(paged).toEqual(expected);
      for (const row of expected) {
        const s = stored.find((a) => a.metric === row.metric)!;
        expect([s.value, s.ciLow, s.ciHigh, s.n]).toEqual([row.value, row.ciLow, row.ciHigh, row.n]);
      }
    });

    it("above the threshold, streams: the mean is exact and the method is stated", async () => {
      const items = await doneItems(db, runId, "textual");
      const streamed = await storedMeanAggregates(db, runId, "textual", 11, 0);
      const words = streamed.find((r) => r.metric === "length_words")!;
      const xs = items.map((i) => i.scores?.length_words ?? null).filter((v): v is number => v !== null);
      expect(words.n).toBe(xs.length);
      expect(words.value).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 10);
      const acc = new StreamingMean();
      for (const x of xs) acc.add(x);
      expect(words.ciLow).toBeCloseTo(streamingMeanCI(acc).lo!, 10);
      expect(words.details).toMatchObject({ statistic: "mean", interval: STREAMING_INTERVAL, missing: items.length - xs.length });
    });
  });
}
