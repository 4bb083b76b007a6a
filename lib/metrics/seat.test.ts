import { describe, expect, it } from "vitest";
import { cosineSimilarity, seatAssociations, seatEffectSize, seatRunEffectSize, seatTest, type SeatTestInput } from "./seat";

// A = {(1, 0)}, B = {(0, 1)}: for a vector w at angle θ, s(w) = cos θ − sin θ.
//   X: (1, 0) → 1 − 0 = 1;   (1, 1) → 1/√2 − 1/√2 = 0
//   Y: (0, 1) → 0 − 1 = −1;  (3, 4) → 3/5 − 4/5 = −0.2
// mean_X = 0.5, mean_Y = −0.6 → numerator 1.1
// over X∪Y: mean = (1 + 0 − 1 − 0.2)/4 = −0.05; squared deviations 1.05² + 0.05² + 0.95² + 0.15²
//   = 1.1025 + 0.0025 + 0.9025 + 0.0225 = 2.03; sample variance 2.03/3 → d = 1.1/√(2.03/3) ≈ 1.33723
//   (the population std √(2.03/4) would give ≈ 1.54411)
const test2d: SeatTestInput = {
  name: "hand-made",
  targ1: [
    [1, 0],
    [1, 1],
  ],
  targ2: [
    [0, 1],
    [3, 4],
  ],
  attr1: [[1, 0]],
  attr2: [[0, 1]],
};

describe("SEAT building blocks", () => {
  it("computes cosine similarities and associations", () => {
    expect(cosineSimilarity([1, 0], [3, 4])).toBeCloseTo(0.6, 15);
    expect(cosineSimilarity(new Float32Array([2, 0]), [5, 0])).toBe(1);
    const s = seatAssociations([...test2d.targ1, ...test2d.targ2], test2d.attr1, test2d.attr2);
    expect(Array.from(s).map((v) => Number(v.toFixed(12)))).toEqual([1, 0, -1, -0.2]);
  });

  it("refuses zero vectors, dimension mismatches and empty attribute sets", () => {
    expect(() => cosineSimilarity([0, 0], [1, 0])).toThrow(RangeError);
    expect(() => cosineSimilarity([1, 0, 0], [1, 0])).toThrow(/dimension/);
    expect(() => seatAssociations([[1, 0]], [], [[0, 1]])).toThrow(RangeError);
  });
});

describe("seatEffectSize", () => {
  it("uses the sample standard deviation over X∪Y", () => {
    expect(seatEffectSize(test2d)).toBeCloseTo(1.1 / Math.sqrt(2.03 / 3), 12);
    expect(seatEffectSize(test2d)).toBeCloseTo(1.33723, 4);
  });

  it("changes sign when the target sets are swapped", () => {
    const swapped = { ...test2d, targ1: test2d.targ2, targ2: test2d.targ1 };
    expect(seatEffectSize(swapped)).toBeCloseTo(-1.1 / Math.sqrt(2.03 / 3), 12);
  });

  it("averages over several attribute vectors", () => {
    // A = {(1,0), (1,1)}, B = {(0,1)}: s(1,0) = (1 + 1/√2)/2 − 0; s(0,1) = (0 + 1/√2)/2 − 1
    const input: SeatTestInput = {
      targ1: [[1, 0]],
      targ2: [[0, 1]],
      attr1: [
        [1, 0],
        [1, 1],
      ],
      attr2: [[0, 1]],
    };
    const sx = (1 + Math.SQRT1_2) / 2;
    const sy = Math.SQRT1_2 / 2 - 1;
    // two values: sample std = |sx − sy|/√2, so d = (sx − sy)/(|sx − sy|/√2) = √2
    expect(seatEffectSize(input)).toBeCloseTo(Math.SQRT2, 12);
    expect(sx - sy).toBeCloseTo(1.5, 12);
  });

  it("is null when every target has the same association", () => {
    const same: SeatTestInput = { targ1: [[1, 0]], targ2: [[2, 0]], attr1: [[1, 0]], attr2: [[0, 1]] };
    expect(seatEffectSize(same)).toBeNull();
  });
});

describe("seatTest p-value", () => {
  it("is exact over all equal-size partitions when there are few", () => {
    // pooled s = [1, 0, −1, −0.2], |X| = 2, observed Σ_X = 1. The C(4, 2) = 6 subsets sum to
    // {1,0} 1, {1,−1} 0, {1,−0.2} 0.8, {0,−1} −1, {0,−0.2} −0.2, {−1,−0.2} −1.2 → only one reaches 1 → p = 1/6
    const r = seatTest(test2d, { seed: 1 });
    expect(r.method).toBe("exact");
    expect(r.partitions).toBe(6);
    expect(r.pValue).toBeCloseTo(1 / 6, 15);
    expect(r.effectSize).toBeCloseTo(1.33723, 4);
    expect(r.sizes).toEqual({ targ1: 2, targ2: 2, attr1: 1, attr2: 1 });
    expect(r.name).toBe("hand-made");
  });

  it("counts tied partitions as exceeding (the conservative reference rule)", () => {
    // X = {(1,0)}, Y = {(2,0)}: both s = 1. Partitions {x}: 1, {y}: 1 — both ≥ 1 → p = 2/2
    const tie: SeatTestInput = { targ1: [[1, 0]], targ2: [[2, 0]], attr1: [[1, 0]], attr2: [[0, 1]] };
    expect(seatTest(tie, { seed: 1 }).pValue).toBe(1);
  });

  it("handles target sets of different sizes", () => {
    // X = {(1,0)} s = 1; Y = {(0,1), (1,1)} s = −1, 0. Partitions of size 1: 1, −1, 0 → one ≥ 1 → p = 1/3
    const uneven: SeatTestInput = {
      targ1: [[1, 0]],
      targ2: [
        [0, 1],
        [1, 1],
      ],
      attr1: [[1, 0]],
      attr2: [[0, 1]],
    };
    const r = seatTest(uneven, { seed: 1 });
    expect(r.partitions).toBe(3);
    expect(r.pValue).toBeCloseTo(1 / 3, 15);
  });

  it("samples with the observed partition counted once when partitions are many", () => {
    // 10 targets near A and 10 near B: C(20, 10) = 184,756 partitions > 1,000, so 999 random ones are drawn. Only
    // the observed split puts all ten high associations in X, so (almost surely) none beats it: p = 1/1000.
    const near = (angle: number) => [Math.cos(angle), Math.sin(angle)];
    const input: SeatTestInput = {
      targ1: Array.from({ length: 10 }, (_, i) => near(0.01 * i)),
      targ2: Array.from({ length: 10 }, (_, i) => near(Math.PI / 2 - 0.01 * i)),
      attr1: [[1, 0]],
      attr2: [[0, 1]],
    };
    const r = seatTest(input, { seed: "seat", permutations: 1000 });
    expect(r.method).toBe("sampled");
    expect(r.partitions).toBe(1000);
    expect(r.pValue).toBe(0.001);
    expect(seatTest(input, { seed: "seat", permutations: 1000 })).toEqual(r);
  });

  it("gives p near 1/2 without an effect, reproducibly per seed", () => {
    // X and Y alternate around the diagonal: no association difference in expectation
    const vec = (i: number) => [Math.cos((i * 0.7) % 1.5), Math.sin((i * 0.7) % 1.5)];
    const input: SeatTestInput = {
      targ1: Array.from({ length: 12 }, (_, i) => vec(2 * i)),
      targ2: Array.from({ length: 12 }, (_, i) => vec(2 * i + 1)),
      attr1: [[1, 0]],
      attr2: [[0, 1]],
    };
    const a = seatTest(input, { seed: 1, permutations: 5000 });
    expect(a.method).toBe("sampled"); // C(24, 12) = 2,704,156 partitions
    expect(a.pValue).toBeGreaterThan(0.05);
    expect(a.pValue).toBeLessThan(0.95);
    expect(seatTest(input, { seed: 1, permutations: 5000 }).pValue).toBe(a.pValue);
    expect(seatTest(input, { seed: 2, permutations: 5000 }).pValue).not.toBe(a.pValue);
  });
});

describe("seatRunEffectSize", () => {
  it("averages |d| over tests with a defined d", () => {
    // (|1| + |−0.5|)/2 = 0.75; the null test is left out
    expect(seatRunEffectSize([{ effectSize: 1 }, { effectSize: -0.5 }, { effectSize: null }])).toEqual({
      seat_effect_size: 0.75,
      tests: 2,
    });
    expect(seatRunEffectSize([])).toEqual({ seat_effect_size: null, tests: 0 });
  });
});
