import { describe, expect, it } from "vitest";
import { averageRanks, meanAbsoluteDifference, spearman } from "./agreement";

// Expected values are worked out by hand below; each also equals scipy.stats.spearmanr's statistic (scipy 1.17.1).
describe("Spearman's ρ", () => {
  it("without ties: 1 − 6Σd²/(n(n²−1))", () => {
    // d = (−1, 1, −1, 1), Σd² = 4, n = 4: 1 − 24/60 = 0.6.
    const r = spearman([1, 2, 3, 4], [2, 1, 4, 3]);
    expect(r.ok && r.value).toBeCloseTo(0.6, 12);
    expect(r.n).toBe(4);
    expect(spearman([1, 2, 3, 4, 5], [50, 40, 30, 20, 10])).toMatchObject({ ok: true, value: -1, n: 5 });
    // Ranks only: any increasing transformation gives 1.
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toMatchObject({ ok: true, value: 1 });
  });

  it("average ranks for ties (scipy's documented example)", () => {
    expect(averageRanks([5, 6, 7, 8, 7])).toEqual([1, 2, 3.5, 5, 3.5]);
    // ranks x = 1…5, y = (1, 2, 3.5, 5, 3.5); centred: (−2,−1,0,1,2)·(−2,−1,0.5,2,0.5) = 8, Σdx² = 10, Σdy² = 9.5:
    // ρ = 8/√95.
    const r = spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
    expect(r.ok && r.value).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(r.ok && r.value).toBeCloseTo(0.8207826816681233, 12);
  });

  it("ties on both sides", () => {
    // x ranks (1.5, 1.5, 3.5, 3.5), y ranks (1, 2.5, 2.5, 4): Σ = 3, Σdx² = 4, Σdy² = 4.5 → 3/√18 = 1/√2.
    const r = spearman([1, 1, 2, 2], [1, 2, 2, 3]);
    expect(r.ok && r.value).toBeCloseTo(Math.SQRT1_2, 12);
    // x ranks (4, 1.5, 5, 1.5, 6, 8, 3, 7), y ranks (3.5, 5, 1.5, 7, 3.5, 7, 1.5, 7): Σ = 8, Σdx² = 41.5, Σdy² = 39.
    const s = spearman([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8]);
    expect(s.ok && s.value).toBeCloseTo(8 / Math.sqrt(41.5 * 39), 12);
    expect(s.ok && s.value).toBeCloseTo(0.19885368120992467, 12);
  });

  it("leaves out pairs with a missing side and counts them", () => {
    const r = spearman([1, null, 2, 3, 4, Number.NaN], [2, 5, 1, 4, 3, 1]);
    // Kept: (1,2), (2,1), (3,4), (4,3) → 0.6 as above.
    expect(r).toMatchObject({ ok: true, n: 4, dropped: 2 });
    expect(r.ok && r.value).toBeCloseTo(0.6, 12);
  });

  it("refuses the degenerate cases with the reason, never a number", () => {
    expect(spearman([], [])).toMatchObject({ ok: false, n: 0, reason: expect.stringMatching(/at least 2 pairs of scores \(none here\)/) });
    expect(spearman([3], [4])).toMatchObject({ ok: false, n: 1, reason: expect.stringMatching(/at least 2 pairs of scores \(1 here\)/) });
    expect(spearman([1, null], [null, 2])).toMatchObject({ ok: false, n: 0, dropped: 2 });
    expect(spearman([5, 5, 5], [1, 2, 3])).toMatchObject({
      ok: false,
      n: 3,
      reason: expect.stringMatching(/the first scoring gave every output the same score/),
    });
    expect(spearman([1, 2, 3], [7, 7, 7])).toMatchObject({ ok: false, reason: expect.stringMatching(/the second scoring/) });
    expect(spearman([4, 4], [4, 4])).toMatchObject({ ok: false, reason: expect.stringMatching(/both scorings/) });
    // Two distinct pairs are defined (±1), as scipy says.
    expect(spearman([1, 2], [3, 1])).toMatchObject({ ok: true, value: -1, n: 2 });
  });

  it("refuses unequal lengths and infinities", () => {
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
    expect(() => spearman([1, Infinity], [1, 2])).toThrow(RangeError);
  });
});

describe("mean absolute difference", () => {
  it("averages |a − b| over the complete pairs", () => {
    // |1−2| + |5−5| + |3−1| = 3 over 3 pairs; the pair with a null is left out.
    expect(meanAbsoluteDifference([1, 5, 3, null], [2, 5, 1, 9])).toEqual({ ok: true, value: 1, n: 3, dropped: 1 });
    expect(meanAbsoluteDifference([7, 7], [7, 7])).toEqual({ ok: true, value: 0, n: 2, dropped: 0 });
    expect(meanAbsoluteDifference([null], [1])).toMatchObject({ ok: false, reason: "no output has both scores" });
  });
});
