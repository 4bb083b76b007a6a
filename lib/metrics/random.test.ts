import { describe, expect, it } from "vitest";
import { createRng, rngFromState, seedToUint32, shuffled } from "./random";

describe("xoshiro128**", () => {
  it("matches the reference outputs from state [1, 2, 3, 4]", () => {
    // Worked by hand from the algorithm (result = rotl(s1·5, 7)·9, then the state update):
    // 1: s1 = 2 → rotl(10, 7) = 1280 → ·9 = 11520; state becomes s0=7, s1=0, s2=1026, s3=rotl(6, 11)=12288
    // 2: s1 = 0 → 0; state becomes s0=12295, s1=1029, s2=1029, s3=25165824
    // 3: s1 = 1029 → 5145·128 = 658560 → ·9 = 5927040; state becomes s1 = 1029 ^ (1029 ^ 12295) = 12295
    // 4: s1 = 12295 → 61475·128 = 7868800 → ·9 = 70819200
    const rng = rngFromState([1, 2, 3, 4]);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it("rejects an all-zero state", () => {
    expect(() => rngFromState([0, 0, 0, 0])).toThrow(RangeError);
  });
});

describe("seeds", () => {
  it("gives the same stream for the same seed and different streams for different seeds", () => {
    const draw = (seed: number | string) => {
      const r = createRng(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw("run-1:mtld")).toEqual(draw("run-1:mtld"));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw("a")).not.toEqual(draw("b"));
    expect(draw(0)).not.toEqual(draw("0"));
  });

  it("uses the high bits of large integers and hashes fractional numbers", () => {
    expect(seedToUint32(1)).not.toBe(seedToUint32(2 ** 32 + 1));
    expect(seedToUint32(-1)).not.toBe(seedToUint32(1));
    expect(seedToUint32(0.5)).not.toBe(seedToUint32(0));
    expect(() => seedToUint32(Number.NaN)).toThrow(RangeError);
    for (const s of [0, 1, 2 ** 40, -7, 0.25, "x"]) {
      const v = seedToUint32(s);
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    }
  });
});

describe("draws", () => {
  it("nextFloat stays in [0, 1)", () => {
    const r = createRng(1);
    for (let i = 0; i < 10_000; i++) {
      const x = r.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it("nextInt covers [0, n) evenly", () => {
    const r = createRng(7);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.nextInt(6)]++;
    // expected 10,000 each, sd ≈ 91: ±500 is more than 5 sd
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(createRng(1).nextInt(1)).toBe(0);
  });

  it("nextInt is even for a bound above the fast path (2^21) too", () => {
    const r = createRng(9);
    const n = 3 * 2 ** 22; // 12,582,912: takes the modulo-rejection path
    let low = 0;
    for (let i = 0; i < 20_000; i++) {
      const k = r.nextInt(n);
      expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      if (k < n / 3) low++;
    }
    // expected 6,667, sd ≈ 67
    expect(Math.abs(low - 20_000 / 3)).toBeLessThan(400);
  });

  it("refuses bounds that are not integers in [1, 2^32]", () => {
    const r = createRng(1);
    for (const n of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) expect(() => r.nextInt(n)).toThrow(RangeError);
  });

  it("fillInts yields exactly the values of repeated nextInt calls", () => {
    for (const n of [1, 2, 3, 1000, 2 ** 21, 2 ** 21 + 1, 2 ** 32]) {
      const a = createRng("same");
      const b = createRng("same");
      const out = new Float64Array(500);
      a.fillInts(out, n);
      const expected = Array.from({ length: 500 }, () => b.nextInt(n));
      expect(Array.from(out)).toEqual(expected);
      // and the streams stay aligned afterwards
      expect(a.nextUint32()).toBe(b.nextUint32());
    }
  });

  it("sampleSumWithReplacement sums the values at the indices fillInts would draw", () => {
    const values = Float64Array.from({ length: 37 }, (_, i) => i * i - 3.5);
    const idx = new Uint32Array(37);
    createRng(5).fillInts(idx, 37);
    let expected = 0;
    for (const j of idx) expected += values[j];
    expect(createRng(5).sampleSumWithReplacement(values)).toBe(expected);
  });

  it("shuffle is a seeded permutation", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(items, 3);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i)); // input untouched
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).toEqual(shuffled(items, 3));
    expect(a).not.toEqual(shuffled(items, 4));
    expect(a).not.toEqual(items);
  });

  it("shuffle puts every item in every position about equally often", () => {
    const r = createRng(11);
    const firstCounts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) firstCounts[r.shuffle([0, 1, 2, 3])[0]]++;
    for (const c of firstCounts) expect(Math.abs(c - 10_000)).toBeLessThan(450); // sd ≈ 87
  });
});
