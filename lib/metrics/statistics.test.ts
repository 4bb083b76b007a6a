import { describe, expect, it } from "vitest";
import { createRng } from "./random";
import {
  bootstrapMeanCI,
  bootstrapMeanCIs,
  bootstrapStatisticCI,
  DEFAULT_RESAMPLES,
  mean,
  pairedBootstrapDiffCI,
  pairedBootstrapStatisticDiffCI,
  pairedBootstrapStatisticsDiffCI,
  pairedPermutationPValue,
  pairedPermutationStatisticPValue,
  pairedPermutationStatisticsPValue,
  percentChange,
  presentValues,
  quantileSorted,
} from "./statistics";

describe("mean and missing values", () => {
  it("drops null, undefined and NaN", () => {
    // (1 + 2 + 3) / 3 = 2
    expect(mean([1, null, 2, Number.NaN, undefined, 3])).toBe(2);
    expect(mean([])).toBeNull();
    expect(mean([null, Number.NaN])).toBeNull();
    expect(Array.from(presentValues([null, 4, Number.NaN, 5]))).toEqual([4, 5]);
  });

  it("refuses infinities", () => {
    expect(() => mean([1, Infinity])).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, -Infinity], { seed: 1 })).toThrow(/values\[1\]/);
  });
});

describe("quantileSorted", () => {
  it("interpolates linearly between order statistics (numpy's default)", () => {
    // h = (4 − 1)·0.5 = 1.5 → 2 + 0.5·(3 − 2) = 2.5
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    // h = 3·0.025 = 0.075 → 1 + 0.075·1 = 1.075
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });
});

describe("bootstrapMeanCI", () => {
  it("returns nulls for no data and the value itself for one value", () => {
    expect(bootstrapMeanCI([], { seed: 1 })).toEqual({ mean: null, lo: null, hi: null, n: 0 });
    expect(bootstrapMeanCI([null, Number.NaN], { seed: 1 })).toEqual({ mean: null, lo: null, hi: null, n: 0 });
    expect(bootstrapMeanCI([5, null], { seed: 1 })).toEqual({ mean: 5, lo: 5, hi: 5, n: 1 });
  });

  it("gives a zero-width interval for constant data", () => {
    expect(bootstrapMeanCI([2, 2, 2, 2], { seed: 1 })).toEqual({ mean: 2, lo: 2, hi: 2, n: 4 });
  });

  it("reaches the extremes for two values", () => {
    // Resampling [0, 1] twice gives means 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4. Of 2000 resamples about 500
    // have mean 0 and 500 mean 1, so the 2.5 % quantile (position 49.975) is 0 and the 97.5 % one is 1.
    expect(bootstrapMeanCI([0, 1], { seed: 3 })).toEqual({ mean: 0.5, lo: 0, hi: 1, n: 2 });
  });

  it("is reproducible from its seed and changes with it", () => {
    const r = createRng(99);
    const values = Array.from({ length: 200 }, () => r.nextFloat());
    const a = bootstrapMeanCI(values, { seed: "s" });
    expect(bootstrapMeanCI(values, { seed: "s" })).toEqual(a);
    const b = bootstrapMeanCI(values, { seed: "t" });
    expect(b.mean).toBe(a.mean);
    expect([b.lo, b.hi]).not.toEqual([a.lo, a.hi]);
    expect(a.lo!).toBeLessThan(a.mean!);
    expect(a.hi!).toBeGreaterThan(a.mean!);
  });

  it("narrows with a lower level and honours the resample count", () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const wide = bootstrapMeanCI(values, { seed: 1, level: 0.99 });
    const narrow = bootstrapMeanCI(values, { seed: 1, level: 0.5 });
    expect(narrow.hi! - narrow.lo!).toBeLessThan(wide.hi! - wide.lo!);
    expect(() => bootstrapMeanCI(values, { seed: 1, level: 1 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI(values, { seed: 1, resamples: 0 })).toThrow(RangeError);
    expect(DEFAULT_RESAMPLES).toBe(2000);
  });

  it("covers the true mean about 95 % of the time", () => {
    // 200 samples of 40 Uniform(0, 1) values (true mean 0.5); the percentile interval of the mean should cover it
    // in roughly 93–95 % of them. With 200 trials the sd of the coverage is ≈ 1.6 %.
    const r = createRng("coverage");
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const values = Array.from({ length: 40 }, () => r.nextFloat());
      const ci = bootstrapMeanCI(values, { seed: t, resamples: 1000 });
      if (ci.lo! <= 0.5 && 0.5 <= ci.hi!) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  // Speed is measured by benchmarks, not asserted here (a timed test fails on a loaded machine).
  it("handles 2000 resamples of 100,000 values", () => {
    const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i));
    const ci = bootstrapMeanCI(values, { seed: 1 });
    expect(ci.n).toBe(100_000);
    expect(ci.lo!).toBeLessThan(ci.mean!);
    expect(ci.mean!).toBeLessThan(ci.hi!);
  });
});

describe("pairedBootstrapDiffCI", () => {
  it("pairs by index, drops incomplete pairs and reports b − a", () => {
    // complete pairs: (1, 2) and (2, 4) → differences 1 and 2, mean 1.5
    const ci = pairedBootstrapDiffCI([1, 2, null, 4], [2, 4, 5, Number.NaN], { seed: 1 });
    expect(ci.n).toBe(2);
    expect(ci.mean).toBe(1.5);
    expect(ci.lo).toBe(1);
    expect(ci.hi).toBe(2);
  });

  it("gives a zero-width interval for a constant shift", () => {
    expect(pairedBootstrapDiffCI([1, 5, 9], [3, 7, 11], { seed: 1 })).toEqual({ mean: 2, lo: 2, hi: 2, n: 3 });
  });

  it("throws on a length mismatch", () => {
    expect(() => pairedBootstrapDiffCI([1, 2], [1], { seed: 1 })).toThrow(/differ in length: 2 reference values, 1/);
  });

  it("returns nulls without complete pairs", () => {
    expect(pairedBootstrapDiffCI([null], [1], { seed: 1 })).toEqual({ mean: null, lo: null, hi: null, n: 0 });
  });
});

describe("pairedPermutationPValue", () => {
  it("enumerates all sign flips for small n", () => {
    // d = [1, 2, 3], S = 6. The 8 sums ±1±2±3 are 6, 4, 2, 0, 0, −2, −4, −6; |S*| ≥ 6 for two of them → 2/8
    const r = pairedPermutationPValue([0, 0, 0], [1, 2, 3], { seed: 1 });
    expect(r).toEqual({ pValue: 0.25, n: 3, meanDiff: 2, method: "exact", permutations: 8 });
  });

  it("leaves zero differences out of the enumeration without changing p", () => {
    // d = [0, 0, 1, 2, 3]: the zeros flip to themselves, so p is the 2/8 above; n counts all 5 pairs
    const r = pairedPermutationPValue([5, 5, 0, 0, 0], [5, 5, 1, 2, 3], { seed: 1 });
    expect(r.pValue).toBe(0.25);
    expect(r.n).toBe(5);
    expect(r.permutations).toBe(8);
  });

  it("gives p = 1 when the differences cancel or vanish", () => {
    // d = [1, −1]: S = 0 and every |S*| ≥ 0
    expect(pairedPermutationPValue([0, 0], [1, -1], { seed: 1 }).pValue).toBe(1);
    expect(pairedPermutationPValue([3, 4], [3, 4], { seed: 1 })).toMatchObject({ pValue: 1, permutations: 1 });
  });

  it("counts ties of the observed sum", () => {
    // d = [1, 1, 2]: S = 4. Sums: +1+1+2 = 4, −1−1+2 = 0, … , and −1−1−2 = −4, but also +1+1−2 = 0 and … :
    // all 8: (+,+,+) 4, (−,+,+) 2, (+,−,+) 2, (−,−,+) 0, (+,+,−) 0, (−,+,−) −2, (+,−,−) −2, (−,−,−) −4 → 2/8
    expect(pairedPermutationPValue([0, 0, 0], [1, 1, 2], { seed: 1 }).pValue).toBe(0.25);
    // d = [1, 1]: S = 2; sums 2, 0, 0, −2 → |S*| ≥ 2 twice → 2/4
    expect(pairedPermutationPValue([0, 0], [1, 1], { seed: 1 }).pValue).toBe(0.5);
  });

  it("samples with the +1 correction when n is large", () => {
    // 30 differences all equal to 1: only the all-+ and all-− vectors reach |S| = 30 (probability 2^−29), so
    // none of 999 random vectors does and p = (0 + 1)/(999 + 1)
    const a = new Array(30).fill(0);
    const b = new Array(30).fill(1);
    expect(pairedPermutationPValue(a, b, { seed: 1, permutations: 999 })).toEqual({
      pValue: 0.001,
      n: 30,
      meanDiff: 1,
      method: "sampled",
      permutations: 999,
    });
  });

  it("approximates the exact p-value when forced to sample, reproducibly", () => {
    const opts = { seed: "perm", permutations: 20_000, exactMaxN: 0 };
    const r = pairedPermutationPValue([0, 0, 0], [1, 2, 3], opts);
    expect(r.method).toBe("sampled");
    expect(Math.abs(r.pValue! - 0.25)).toBeLessThan(0.015); // sd ≈ 0.003
    expect(pairedPermutationPValue([0, 0, 0], [1, 2, 3], opts)).toEqual(r);
  });

  it("returns null without pairs and throws on a length mismatch", () => {
    expect(pairedPermutationPValue([], [], { seed: 1 }).pValue).toBeNull();
    expect(pairedPermutationPValue([null], [1], { seed: 1 }).pValue).toBeNull();
    expect(() => pairedPermutationPValue([1], [1, 2], { seed: 1 })).toThrow(RangeError);
  });
});

describe("percentChange", () => {
  it("is 100·(value − reference)/|reference|", () => {
    expect(percentChange(10, 15)).toBe(50); // 100·5/10
    expect(percentChange(4, 3)).toBe(-25); // 100·(−1)/4
    expect(percentChange(-10, -5)).toBe(50); // 100·5/|−10|: moving up from a negative reference is +
    expect(percentChange(-10, -15)).toBe(-50);
  });

  it("is null for a zero reference or a missing side", () => {
    expect(percentChange(0, 5)).toBeNull();
    expect(percentChange(0, 0)).toBeNull();
    expect(percentChange(null, 5)).toBeNull();
    expect(percentChange(5, Number.NaN)).toBeNull();
  });
});

describe("bootstrapStatisticCI", () => {
  it("resamples items and recomputes the statistic", () => {
    const max = (s: readonly number[]) => Math.max(...s);
    const ci = bootstrapStatisticCI([1, 2, 3], max, { seed: 1 });
    expect(ci.estimate).toBe(3);
    expect(ci.n).toBe(3);
    expect(ci.validResamples).toBe(DEFAULT_RESAMPLES);
    // max of a resample of 3 is 1 with probability 1/27, 2 with 7/27, 3 with 19/27: the 2.5 % quantile is 1 or 2
    expect(ci.hi).toBe(3);
    expect([1, 2]).toContain(ci.lo);
    expect(bootstrapStatisticCI([1, 2, 3], max, { seed: 1 })).toEqual(ci);
  });

  it("skips resamples where the statistic is undefined", () => {
    // defined only when the resample contains a 1: probability 1 − (1/2)^2 = 3/4 per resample
    const stat = (s: readonly number[]) => (s.includes(1) ? s.reduce((a, b) => a + b, 0) / s.length : null);
    const ci = bootstrapStatisticCI([0, 1], stat, { seed: 2 });
    expect(ci.estimate).toBe(0.5);
    expect(ci.validResamples / DEFAULT_RESAMPLES).toBeGreaterThan(0.7);
    expect(ci.validResamples / DEFAULT_RESAMPLES).toBeLessThan(0.8);
    // the defined resamples have mean 0.5 or 1
    expect(ci.lo).toBe(0.5);
    expect(ci.hi).toBe(1);
  });

  it("returns nulls without items or without a defined estimate", () => {
    expect(bootstrapStatisticCI([], () => 1, { seed: 1 })).toEqual({
      estimate: null,
      lo: null,
      hi: null,
      n: 0,
      validResamples: 0,
    });
    expect(bootstrapStatisticCI([1, 2], () => null, { seed: 1 }).estimate).toBeNull();
  });

  it("pairs item resampling across two models", () => {
    const share = (s: readonly number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    // identical results → every paired resample differs by exactly 0
    expect(pairedBootstrapStatisticDiffCI([1, 0, 1], [1, 0, 1], share, { seed: 1 })).toMatchObject({
      estimate: 0,
      lo: 0,
      hi: 0,
    });
    // b = a + 1 item-wise → every resample differs by 1 (up to rounding of the two divisions by 3)
    const shifted = pairedBootstrapStatisticDiffCI([0, 1, 2], [1, 2, 3], share, { seed: 1 });
    expect(shifted.estimate).toBe(1);
    expect(shifted.lo).toBeCloseTo(1, 12);
    expect(shifted.hi).toBeCloseTo(1, 12);
    expect(() => pairedBootstrapStatisticDiffCI([1], [], share, { seed: 1 })).toThrow(RangeError);
  });
});

describe("pairedPermutationStatisticPValue", () => {
  const share = (s: readonly number[]) => s.reduce((x, y) => x + y, 0) / s.length;

  it("enumerates every swap set when 2^n fits in the permutations", () => {
    // a = 000, b = 111: D = 1. Swapping k items gives shares k/3 and (3 − k)/3, |D*| = |3 − 2k|/3,
    // which reaches 1 only for k = 0 and k = 3: 2 of the 8 swap sets → p = 0.25
    expect(pairedPermutationStatisticPValue([0, 0, 0], [1, 1, 1], share, { seed: 1, permutations: 8 })).toEqual({
      pValue: 0.25,
      n: 3,
      method: "exact",
      permutations: 8,
    });
    // identical results: D = 0 and every assignment ties → p = 1
    expect(pairedPermutationStatisticPValue([1, 0, 1], [1, 0, 1], share, { seed: 1 }).pValue).toBe(1);
  });

  it("for a mean it is the sign-flip test of the differences", () => {
    const a = [0.3, 1.2, 0.7, 0.1, 0.9, 0.4, 0.8, 0.2, 0.6, 0.5];
    const b = [0.9, 1.0, 1.1, 0.5, 1.3, 0.4, 1.2, 0.3, 0.7, 1.4];
    const swap = pairedPermutationStatisticPValue(a, b, share, { seed: 1, permutations: 1024 });
    expect(swap.method).toBe("exact");
    expect(swap.pValue).toBeCloseTo(pairedPermutationPValue(a, b, { seed: 1 }).pValue!, 12);
  });

  it("samples swap sets beyond, never reaching 0, and is reproducible", () => {
    // 40 items, a all 0 and b all 1: only the empty and the full swap set are as extreme (2 in 2^40), so no random
    // assignment is → p = (0 + 1)/(999 + 1)
    const a = new Array(40).fill(0);
    const b = new Array(40).fill(1);
    const r = pairedPermutationStatisticPValue(a, b, share, { seed: 7, permutations: 999 });
    expect(r).toEqual({ pValue: 0.001, n: 40, method: "sampled", permutations: 999 });
    const noisy = a.map((_, i) => (i % 3 === 0 ? 1 : 0));
    const once = pairedPermutationStatisticPValue(a, noisy, share, { seed: 7, permutations: 500 });
    expect(pairedPermutationStatisticPValue(a, noisy, share, { seed: 7, permutations: 500 })).toEqual(once);
    expect(once.pValue).toBeGreaterThan(0.001);
  });

  it("has no p-value when the statistic is undefined, and refuses unpaired samples", () => {
    const none = (s: readonly number[]) => (s.some((v) => v > 0) ? 1 : null);
    expect(pairedPermutationStatisticPValue([0, 0], [1, 1], none, { seed: 1 })).toMatchObject({ pValue: null, method: "none" });
    expect(() => pairedPermutationStatisticPValue([1], [], share, { seed: 1 })).toThrow(RangeError);
  });
});

describe("several metrics from one statistic", () => {
  it("give each metric what the one-metric functions give, from the same resamples and swap sets", () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0, 2, 8];
    const b = a.map((v, i) => v + (i % 4) - 1);
    const mean = (s: readonly number[]) => s.reduce((x, y) => x + y, 0) / s.length;
    const max = (s: readonly number[]) => Math.max(...s);
    // "never" is undefined on every sample: null results, and the other metrics are unaffected
    const both = (s: readonly number[]) => ({ mean: mean(s), max: max(s), never: null });
    const metrics = ["mean", "max", "never"];
    const ci = pairedBootstrapStatisticsDiffCI(a, b, both, metrics, { seed: "m", resamples: 500 });
    expect(ci.mean).toEqual(pairedBootstrapStatisticDiffCI(a, b, mean, { seed: "m", resamples: 500 }));
    expect(ci.max).toEqual(pairedBootstrapStatisticDiffCI(a, b, max, { seed: "m", resamples: 500 }));
    expect(ci.never).toMatchObject({ estimate: null, lo: null, hi: null, validResamples: 0 });
    const p = pairedPermutationStatisticsPValue(a, b, both, metrics, { seed: "m", permutations: 300 });
    expect(p.mean).toEqual(pairedPermutationStatisticPValue(a, b, mean, { seed: "m", permutations: 300 }));
    expect(p.max).toEqual(pairedPermutationStatisticPValue(a, b, max, { seed: "m", permutations: 300 }));
    expect(p.never).toMatchObject({ pValue: null, method: "none" });
    expect(p.mean.method).toBe("sampled");
  });
});

describe("bootstrapMeanCIs", () => {
  it("resamples metrics with values on the same items together, each as bootstrapMeanCI with the group's seed", () => {
    const n = 300;
    const columns: Record<string, (number | null)[]> = {};
    for (let k = 0; k < 6; k++) columns[`m${k}`] = Array.from({ length: n }, (_, i) => Math.sin((i + 1) * (k + 2)) * (k + 1) + k);
    // m6 misses every fifth value: resampled on its own items, with the seed it would get alone
    columns.m6 = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : (i % 11) / 3));
    const cis = bootstrapMeanCIs(columns, { seed: 42, resamples: 400 });
    const together = ["m0", "m1", "m2", "m3", "m4", "m5"];
    for (const id of together) {
      const { group, ...ci } = cis[id];
      expect(group).toEqual(together);
      expect(ci).toEqual(bootstrapMeanCI(columns[id], { seed: `42:${together.join(",")}`, resamples: 400 }));
    }
    const { group, ...m6 } = cis.m6;
    expect(group).toEqual(["m6"]);
    expect(m6.n).toBe(240);
    expect(m6).toEqual(bootstrapMeanCI(columns.m6, { seed: "42:m6", resamples: 400 }));
  });

  it("handles no value and one value, and refuses infinities and columns of different lengths", () => {
    const cis = bootstrapMeanCIs({ a: [null, null], b: [null, 3] }, { seed: 1 });
    expect(cis.a).toMatchObject({ mean: null, lo: null, hi: null, n: 0 });
    expect(cis.b).toMatchObject({ mean: 3, lo: 3, hi: 3, n: 1 });
    expect(() => bootstrapMeanCIs({ a: [1, Infinity] }, { seed: 1 })).toThrow(/a\[1\]/);
    expect(() => bootstrapMeanCIs({ a: [1, 2], b: [1] }, { seed: 1 })).toThrow(RangeError);
  });
});
