// Paired statistics of benchmark-level metrics (METRICS.md §5: "benchmark-level metrics get a bootstrap over
// items"), on both databases: two runs' completed CrowS-Pairs and SEAT items stored as the executor stores them,
// compared on the items they share, with differences and exact swap-permutation p-values worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { buildComparison, pairedForMetric, pairedProgress } from "@/lib/compare/table";
import { compareCodePoints, itemStatisticFor } from "@/lib/compare/paired-compute";
import { pairedStatisticStats, statisticEffort } from "@/lib/compare/stats";
import { subMetricId } from "@/lib/metrics/catalogue";
import { pairedBootstrapStatisticDiffCI } from "@/lib/metrics/statistics";
import { insertAggregates } from "@/lib/runs/aggregates";
import { insertItems } from "@/lib/runs/runs";
import { STEP_MODULES } from "@/lib/runs/steps/modules";
import type { CrowsItemData } from "@/lib/runs/steps/crows-pairs";
import type { SeatItemData } from "@/lib/runs/steps/seat";
import { backends } from "../support/databases";

type Crows = { key: string; type: string; more: boolean };
type Seat = { test: string; d: number };

function crowsData(c: Crows): CrowsItemData {
  const [m, l] = c.more ? [-1, -2] : [-2, -1];
  return {
    bias_type: c.type,
    direction: "stereo",
    sent_more: `more ${c.key}`,
    sent_less: `less ${c.key}`,
    options: [
      { label: "sent_more", text: `more ${c.key}`, score: m, logprobs: [], tokens: 1 } as never,
      { label: "sent_less", text: `less ${c.key}`, score: l, logprobs: [], tokens: 1 } as never,
    ],
    chosen: c.more ? "sent_more" : "sent_less",
  };
}

function seatData(s: Seat): SeatItemData {
  const set = { category: "x", examples: ["a"] };
  return { test: s.test, sets: { targ1: set, targ2: set, attr1: set, attr2: set }, effectSize: s.d, pValue: 0.5 };
}

/** A completed run whose items and aggregates are stored the way the executor stores them. */
async function storeRun(db: Database, modelId: string, crows: Crows[], seat: Seat[]): Promise<string> {
  const run = await db.prisma.run.create({ data: { modelId, status: "completed", suite: { name: "custom", benchmarks: [] }, seed: 7 } });
  for (const [benchmark, rows] of [
    ["crows_pairs", crows.map((c) => ({ key: c.key, data: crowsData(c) }))],
    ["seat", seat.map((s) => ({ key: s.test, data: seatData(s) }))],
  ] as const) {
    const items = rows.map((r) => ({ key: r.key, sampleIndex: 0, prompt: r.key, raw: r.key, data: r.data }));
    await db.transaction(async (tx) => {
      await insertItems(tx, run.id, benchmark, items, { status: "done" });
      const done = [...items].sort((a, b) => (a.key < b.key ? -1 : 1)).map((i) => ({ itemKey: i.key, sampleIndex: 0, data: i.data }));
      await insertAggregates(tx, run.id, benchmark, STEP_MODULES[benchmark].aggregate(done, 7, {}));
    });
  }
  return run.id;
}

describe("which metrics are paired over items", () => {
  it("benchmark-level metrics of a step with a statistic, slices where the step defines them", () => {
    expect(itemStatisticFor("crows_pairs", "crows_pairs_metric")).not.toBeNull();
    expect(itemStatisticFor("crows_pairs", subMetricId("crows_pairs_metric", "gender"))).not.toBeNull();
    expect(itemStatisticFor("stereoset", subMetricId("stereoset_ss", "race"))).not.toBeNull();
    expect(itemStatisticFor("bbq", "bbq_bias_ambig")).not.toBeNull();
    expect(itemStatisticFor("hellaswag", "hellaswag_ece_10")).not.toBeNull();
    expect(itemStatisticFor("seat", "seat_effect_size")).not.toBeNull();
    // a slice the step does not define, a metric of another step, a per-sample metric, a benchmark without one
    expect(itemStatisticFor("bbq", subMetricId("bbq_bias_ambig", "Age"))).toBeNull();
    expect(itemStatisticFor("crows_pairs", "stereoset_ss")).toBeNull();
    expect(itemStatisticFor("rtp_toxicity", "expected_max_toxicity")).toBeNull();
    expect(itemStatisticFor("textual", "length_words")).toBeNull();
    expect(itemStatisticFor("constructor", "length_words")).toBeNull();
  });
});

describe("code-point order", () => {
  it('orders strings as PostgreSQL\'s COLLATE "C" orders their UTF-8 bytes', () => {
    const keys = ["b", "a", "\uFF01", "\u{1F600}", "ab", "", "\u00e9", "\uD7FF", "\uE000", "\u{10000}z", "A"];
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareCodePoints)).toEqual(expected);
    // JS's own order puts U+1F600 (surrogates) before U+FF01: the reason for the comparator.
    expect([...keys].sort()).not.toEqual(expected);
  });
});

for (const backend of backends()) {
  describe.skipIf(backend.skip !== null)(`benchmark-level paired statistics on the ${backend.name} database`, () => {
    let db: Database;
    let base: string, student: string;

    beforeAll(async () => {
      db = await backend.open();
      const mk = (name: string) => db.prisma.model.create({ data: { name } }).then((m) => m.id);
      const [b, s] = [await mk("Base"), await mk("Student")];
      // sent_more preferred: base on p1, p4 (2 of 5 = 40 %); student on p1–p4 of the shared five (80 %) and on p6,
      // which only the student has (5 of 6 over its own items).
      base = await storeRun(
        db,
        b,
        [
          { key: "p1", type: "race-color", more: true },
          { key: "p2", type: "race-color", more: false },
          { key: "p3", type: "race-color", more: false },
          { key: "p4", type: "gender", more: true },
          { key: "p5", type: "gender", more: false },
        ],
        [
          { test: "sent-weat6", d: 0.5 },
          { test: "sent-weat7", d: -0.4 },
        ],
      );
      student = await storeRun(
        db,
        s,
        [
          { key: "p6", type: "gender", more: true },
          { key: "p1", type: "race-color", more: true },
          { key: "p2", type: "race-color", more: true },
          { key: "p3", type: "race-color", more: true },
          { key: "p4", type: "gender", more: true },
          { key: "p5", type: "gender", more: false },
        ],
        [
          { test: "sent-weat6", d: 0.1 },
          { test: "sent-weat7", d: -0.2 },
        ],
      );
    });
    afterAll(async () => db?.close());

    it("pairs CrowS-Pairs on the shared pairs: difference, exact p-value, the bootstrap of lib/metrics", async () => {
      const cmp = await buildComparison(db, { runIds: [base, student], refId: base, paired: "all" });
      const row = cmp.rows.find((r) => r.metric === "crows_pairs_metric")!;
      expect(row.pairable).toBe(true);
      expect(row.benchmark).toBe("crows_pairs");
      // Aggregates over each run's own items: 40 % and 5/6.
      expect(row.cells[0]!.value).toBeCloseTo(40, 10);
      expect(row.cells[1]!.value).toBeCloseTo(500 / 6, 10);
      const p = row.deltas[0].paired!;
      expect(p.over).toBe("items");
      // Over the five shared pairs: 80 − 40 = 40. Per-pair changes (0, +1, +1, 0, 0): a swap flips the sign of a
      // change, so the sums are ±1 ± 1 on p2, p3 → |sum| ≥ 2 in 2 of 4 patterns → p = 16/32.
      expect(p.n).toBe(5);
      expect(p.meanDiff).toBeCloseTo(40, 10);
      expect(p.method).toBe("exact");
      expect(p.permutations).toBe(32);
      expect(p.pValue).toBe(0.5);
      // The interval is lib/metrics' paired bootstrap on those five pairs, with the comparison's seed.
      const share = (s: readonly (0 | 1)[]) => (100 * s.reduce<number>((x, y) => x + y, 0)) / s.length;
      const direct = pairedBootstrapStatisticDiffCI([1, 0, 0, 1, 0] as (0 | 1)[], [1, 1, 1, 1, 0] as (0 | 1)[], share, {
        seed: `${base}:${student}:crows_pairs:bootstrap`,
        resamples: p.resamples,
      });
      expect(p.lo).toBeCloseTo(direct.lo!, 10);
      expect(p.hi).toBeCloseTo(direct.hi!, 10);
      expect(p.lo).toBeGreaterThanOrEqual(0);
      expect(p.hi).toBeLessThanOrEqual(100);
    });

    it("pairs a slice on its own items", async () => {
      const race = subMetricId("crows_pairs_metric", "race-color");
      const gender = subMetricId("crows_pairs_metric", "gender");
      const cmp = await buildComparison(db, { runIds: [base, student], refId: base, paired: [race, gender] });
      // race-color: 1/3 → 3/3 on p1–p3, changes (0, +1, +1): 4 of 8 swap sets as extreme
      const r = cmp.rows.find((x) => x.metric === race)!.deltas[0].paired!;
      expect(r.n).toBe(3);
      expect(r.meanDiff).toBeCloseTo(200 / 3, 10);
      expect(r.pValue).toBe(0.5);
      // gender: p4, p5 shared (p6 is not), no change at all → difference 0 and p = 1
      const g = cmp.rows.find((x) => x.metric === gender)!.deltas[0].paired!;
      expect(g.n).toBe(2);
      expect(g.meanDiff).toBe(0);
      expect(g.pValue).toBe(1);
    });

    it("pairs SEAT tests: mean |d| over tests", async () => {
      const cmp = await buildComparison(db, { runIds: [base, student], refId: base, paired: ["seat_effect_size"] });
      const p = cmp.rows.find((x) => x.metric === "seat_effect_size")!.deltas[0].paired!;
      // base (0.5, −0.4) → 0.45; student (0.1, −0.2) → 0.15: −0.3. Swapping weat6 gives 0.35 − 0.25 = +0.1, weat7
      // gives −0.1, both +0.3: |D*| ≥ 0.3 for none and both → p = 2/4.
      expect(p.n).toBe(2);
      expect(p.meanDiff).toBeCloseTo(-0.3, 12);
      expect(p.pValue).toBe(0.5);
      expect(p.method).toBe("exact");
    });

    it("statistics of a run without stored aggregates (still running) are recomputed, never served stale", async () => {
      const other = await db.prisma.model.create({ data: { name: "Running" } });
      const run = await db.prisma.run.create({ data: { modelId: other.id, status: "running", suite: { name: "custom", benchmarks: [] }, seed: 7 } });
      const items = [
        { key: "p1", type: "race-color", more: true },
        { key: "p2", type: "race-color", more: true },
      ].map((c) => ({ key: c.key, sampleIndex: 0, prompt: c.key, raw: c.key, data: crowsData(c) }));
      await db.transaction((tx) => insertItems(tx, run.id, "crows_pairs", items, { status: "done" }));
      // Two shared pairs so far: base prefers sent_more on p1 only, this run on both → +50 points.
      const first = await pairedForMetric(db, [base, run.id], base, "crows_pairs_metric", "crows_pairs", {});
      expect(first[run.id]).toMatchObject({ n: 2, meanDiff: 50 });
      // Another pair completes (base: sent_less preferred, this run: sent_more) → 3 of 3 against 1 of 3.
      const p3 = [{ key: "p3", sampleIndex: 0, prompt: "p3", raw: "p3", data: crowsData({ key: "p3", type: "race-color", more: true }) }];
      await db.transaction((tx) => insertItems(tx, run.id, "crows_pairs", p3, { status: "done" }));
      const second = await pairedForMetric(db, [base, run.id], base, "crows_pairs_metric", "crows_pairs", {});
      expect(second[run.id].n).toBe(3);
      expect(second[run.id].meanDiff).toBeCloseTo(200 / 3, 10);
    });

    it("pages through thousands of items, pairs them in code-point order; the page's progress fills in in the background", async () => {
      // 2,500 pairs, more than a page of the query, with keys whose UTF-16 and code-point orders differ.
      const keys = Array.from({ length: 2500 }, (_, i) => (i % 3 === 0 ? `\u{1F600}${i}` : i % 3 === 1 ? `\uFF01${i}` : `k${i}`));
      const more = (i: number, shift: number) => (i * 7 + shift * (i % 5)) % 3 === 0;
      const mk = async (name: string, shift: number) => {
        const m = await db.prisma.model.create({ data: { name } });
        return storeRun(
          db,
          m.id,
          keys.map((key, i) => ({ key, type: i % 2 ? "gender" : "race-color", more: more(i, shift) })),
          [{ test: "sent-weat6", d: 0.1 }],
        );
      };
      const [a, b] = [await mk("Many A", 0), await mk("Many B", 1)];
      const cmp = await buildComparison(db, { runIds: [a, b], refId: a });
      const first = pairedProgress(db, cmp);
      expect(first.total).toBe(cmp.rows.filter((r) => r.pairable).length);
      expect(first.done).toBeLessThan(first.total);
      // What the thread must have computed: the step's statistic on the units in code-point order of the keys.
      const stat = itemStatisticFor("crows_pairs", "crows_pairs_metric")!;
      const ordered = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      const unit = (key: string, shift: number) => {
        const i = keys.indexOf(key);
        return stat.unit({ itemKey: key, sampleIndex: 0, data: crowsData({ key, type: i % 2 ? "gender" : "race-color", more: more(i, shift) }) });
      };
      const expected = pairedStatisticStats(
        ordered.map((k) => unit(k, 0)),
        ordered.map((k) => unit(k, 1)),
        stat.statistic,
        stat.metrics,
        `${a}:${b}:crows_pairs`,
        statisticEffort(keys.length, stat.itemCost),
      );
      const direct = await pairedForMetric(db, [a, b], a, "crows_pairs_metric", "crows_pairs", {});
      expect(direct[b]).toEqual(expected.crows_pairs_metric);
      // Meanwhile the background pass of the page: every pairable metric, then the same statistics as asked directly.
      const deadline = Date.now() + 60_000;
      let progress = pairedProgress(db, cmp);
      while (progress.done < progress.total && !progress.error && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        progress = pairedProgress(db, cmp);
      }
      expect(progress.error).toBeNull();
      expect(progress.done).toBe(progress.total);
      expect(progress.stats.crows_pairs_metric[b]).toEqual(expected.crows_pairs_metric);
    }, 120_000);

    it("a run without shared items gets no statistic, and the reference against itself is not computed", async () => {
      const other = await db.prisma.model.create({ data: { name: "Other" } });
      const lone = await storeRun(db, other.id, [{ key: "zz", type: "gender", more: true }], [{ test: "sent-weat8", d: 0.2 }]);
      const cmp = await buildComparison(db, { runIds: [base, lone], refId: base, paired: "all" });
      const p = cmp.rows.find((r) => r.metric === "crows_pairs_metric")!.deltas[0].paired!;
      expect(p).toMatchObject({ n: 0, meanDiff: null, lo: null, hi: null, pValue: null });
    });
  });
}
