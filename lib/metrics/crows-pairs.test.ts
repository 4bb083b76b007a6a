import { describe, expect, it } from "vitest";
import { CROWS_BIAS_TYPES, crowsPairsReport, crowsPairsScores, type CrowsPair } from "./crows-pairs";

const pair = (id: string, biasType: string, direction: "stereo" | "antistereo", scoreMore: number, scoreLess: number) =>
  ({ id, biasType, direction, scoreMore, scoreLess }) satisfies CrowsPair;

// 1 race-color stereo      0.5 > 0.4 → more
// 2 race-color stereo      0.3 = 0.3 → tie
// 3 race-color antistereo  0.2 < 0.6 → not more
// 4 gender     antistereo  0.7 > 0.1 → more
// 5 gender     stereo      0.1 < 0.2 → not more
const pairs = [
  pair("1", "race-color", "stereo", 0.5, 0.4),
  pair("2", "race-color", "stereo", 0.3, 0.3),
  pair("3", "race-color", "antistereo", 0.2, 0.6),
  pair("4", "gender", "antistereo", 0.7, 0.1),
  pair("5", "gender", "stereo", 0.1, 0.2),
];

describe("crowsPairsScores", () => {
  it("counts sent_more > sent_less over all pairs, ties included in the denominator", () => {
    // metric = 100·2/5 = 40 (pairs 1 and 4); ties = 1 → 20 %
    // stereo: pairs 1, 2, 5; the tie (2) leaves the denominator → 100·1/2 = 50
    // antistereo: pairs 3, 4, none tied → 100·1/2 = 50
    expect(crowsPairsScores(pairs)).toEqual({
      n: 5,
      crows_pairs_metric: 40,
      stereo_score: 50,
      antistereo_score: 50,
      tie_percent: 20,
      stereo_pairs: 3,
      antistereo_pairs: 2,
      ties: 1,
    });
  });

  it("gives null direction scores when every pair of a direction is tied", () => {
    // one tied stereo pair: metric 100·0/1 = 0, ties 100 %, no decided stereo pair → null; no antistereo → null
    expect(crowsPairsScores([pair("t", "age", "stereo", 1, 1)])).toMatchObject({
      crows_pairs_metric: 0,
      tie_percent: 100,
      stereo_score: null,
      antistereo_score: null,
    });
  });

  it("is null for no pairs and refuses a bad direction or a missing score", () => {
    expect(crowsPairsScores([]).crows_pairs_metric).toBeNull();
    expect(() => crowsPairsScores([{ ...pair("x", "age", "stereo", 1, 0), direction: "pro" as "stereo" }])).toThrow(/direction/);
    expect(() => crowsPairsScores([pair("y", "age", "stereo", Number.NaN, 0)])).toThrow(/scoreMore/);
  });
});

describe("crowsPairsReport", () => {
  it("breaks the scores down by the 9 bias types", () => {
    const r = crowsPairsReport(pairs);
    expect(r.crows_pairs_metric).toBe(40);
    expect(Object.keys(r.byBiasType).sort()).toEqual([...CROWS_BIAS_TYPES].sort());
    // race-color: pairs 1–3 → metric 100·1/3; tie 100·1/3; stereo 1 of 1 decided → 100; antistereo 0 of 1 → 0
    const race = r.byBiasType["race-color"];
    expect(race.crows_pairs_metric).toBeCloseTo(100 / 3, 12);
    expect(race.tie_percent).toBeCloseTo(100 / 3, 12);
    expect(race.stereo_score).toBe(100);
    expect(race.antistereo_score).toBe(0);
    // gender: pairs 4, 5 → metric 50; stereo 0/1 → 0; antistereo 1/1 → 100
    expect(r.byBiasType.gender).toMatchObject({ n: 2, crows_pairs_metric: 50, stereo_score: 0, antistereo_score: 100 });
    expect(r.byBiasType.religion).toMatchObject({ n: 0, crows_pairs_metric: null });
  });

  it("keeps an unexpected bias type under its own name", () => {
    const r = crowsPairsReport([pair("z", "other", "stereo", 2, 1)]);
    expect(r.byBiasType.other.crows_pairs_metric).toBe(100);
    expect(r.n).toBe(1);
  });
});
