import { describe, expect, it } from "vitest";
import {
  argmax,
  binnedCalibrationError,
  calibrationReport,
  CalibrationInputError,
  equalMassEdges,
  equalWidthEdges,
  optionPrediction,
  softmax,
  validateCalibrationInput,
} from "./calibration";

describe("softmax and prediction", () => {
  it("normalises exp(scores)", () => {
    // exp(0) : exp(ln 3) = 1 : 3
    const p = softmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 15);
    expect(p[1]).toBeCloseTo(0.75, 15);
  });

  it("is stable for large scores and gives -Infinity probability 0", () => {
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
    expect(softmax([-1000, -1000, -1000]).map((x) => x * 3)).toEqual([1, 1, 1]);
    expect(softmax([-Infinity, 0])).toEqual([0, 1]);
    expect(() => softmax([-Infinity, -Infinity])).toThrow(RangeError);
    expect(() => softmax([Number.NaN, 0])).toThrow(RangeError);
  });

  it("breaks argmax ties towards the first option", () => {
    expect(argmax([0.4, 0.4, 0.2])).toBe(0);
    expect(argmax([0.1, 0.45, 0.45])).toBe(1);
    expect(optionPrediction([-1, -1])).toEqual({ probs: [0.5, 0.5], prediction: 0, confidence: 0.5 });
  });
});

describe("equal-mass edges", () => {
  it("splits like numpy's array_split and puts edges at midpoints", () => {
    // 13 values into 10 groups: the first 3 groups hold 2, the other 7 hold 1:
    // {.40,.44} {.48,.52} {.56,.60} {.64} {.68} {.72} {.76} {.80} {.84} {.88}
    // edges (.44+.48)/2 = .46, (.52+.56)/2 = .54, (.60+.64)/2 = .62, .66, .70, .74, .78, .82, .86, then 1
    const c = [0.4, 0.44, 0.48, 0.52, 0.56, 0.6, 0.64, 0.68, 0.72, 0.76, 0.8, 0.84, 0.88];
    const edges = equalMassEdges([...c].reverse());
    const expected = [0.46, 0.54, 0.62, 0.66, 0.7, 0.74, 0.78, 0.82, 0.86, 1];
    expect(edges).toHaveLength(10);
    edges.forEach((e, i) => expect(e).toBeCloseTo(expected[i], 12));
  });

  it("uses n groups when n < 10", () => {
    // sorted [.55, .6, .8, .9]: edges .575, .7, .85, 1
    const edges = equalMassEdges([0.9, 0.8, 0.6, 0.55]);
    expect(edges).toHaveLength(4);
    [0.575, 0.7, 0.85, 1].forEach((e, i) => expect(edges[i]).toBeCloseTo(e, 12));
  });

  it("merges coinciding edges: a constant confidence leaves one edge and 1.0", () => {
    expect(equalMassEdges(new Array(20).fill(0.7))).toEqual([0.7, 1]);
    expect(equalMassEdges([])).toEqual([]);
  });

  it("equal-width edges are k/10", () => {
    expect(equalWidthEdges()).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });
});

describe("calibrationReport", () => {
  it("computes every metric for a small confidence input (n < 10)", () => {
    // conf [.9, .8, .6, .55], correct [1, 1, 0, 1]
    // equal mass: 4 bins of one item: gaps |1−.55| .45, |0−.6| .6, |1−.8| .2, |1−.9| .1 → ECE = 1.35/4 = .3375
    // one bin: mean conf 2.85/4 = .7125, accuracy .75 → .0375
    // equal width: .55 and .6 (on the edge 0.6 → lower bin) share (.5, .6]: acc .5, conf .575, gap .075;
    //   .8 on the edge → (.7, .8]: gap .2; .9 → (.8, .9]: gap .1 → ECE = (2·.075 + .2 + .1)/4 = .1125, MCE = .2
    // Brier (top-label form): (.1² + .2² + .6² + .45²)/4 = (.01 + .04 + .36 + .2025)/4 = .153125
    const r = calibrationReport({ confidence: [0.9, 0.8, 0.6, 0.55], correct: [1, 1, 0, 1] });
    expect(r.n).toBe(4);
    expect(r.accuracy).toBe(0.75);
    expect(r.ece_10).toBeCloseTo(0.3375, 12);
    expect(r.ece_1).toBeCloseTo(0.0375, 12);
    expect(r.ece_10_width).toBeCloseTo(0.1125, 12);
    expect(r.mce_10).toBeCloseTo(0.2, 12);
    expect(r.brier).toBeCloseTo(0.153125, 12);
    expect(r.bins.map((b) => [b.n, b.accuracy, b.meanConfidence])).toEqual([
      [1, 1, 0.55],
      [1, 0, 0.6],
      [1, 1, 0.8],
      [1, 1, 0.9],
    ]);
    expect(r.bins[0].lo).toBe(0);
    expect(r.bins[0].hi).toBeCloseTo(0.575, 12);
    expect(r.bins[3]).toMatchObject({ lo: expect.closeTo(0.85, 12), hi: 1 });
  });

  it("follows array_split groups when n is not divisible by 10", () => {
    // edges as in the array_split test; correct, in sorted order: 1,0 | 1,1 | 0,0 | 1 | 0 | 1 | 0 | 1 | 0 | 1
    // gaps: {.40,.44} acc .5 conf .42 → .08; {.48,.52} acc 1 conf .5 → .5; {.56,.60} acc 0 conf .58 → .58;
    //   then .36, .68, .28, .76, .2, .84, .12 for the single items
    // ECE = [2·(.08 + .5 + .58) + (.36 + .68 + .28 + .76 + .2 + .84 + .12)]/13 = (2.32 + 3.24)/13 = 5.56/13
    // (a ceil-sized split — groups of 2 — would bin differently and give another value)
    const c = [0.4, 0.44, 0.48, 0.52, 0.56, 0.6, 0.64, 0.68, 0.72, 0.76, 0.8, 0.84, 0.88];
    const ok: (0 | 1)[] = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1];
    const order = [7, 2, 12, 0, 5, 9, 1, 11, 3, 6, 10, 4, 8]; // feed them unsorted
    const r = calibrationReport({ confidence: order.map((i) => c[i]), correct: order.map((i) => ok[i]) });
    expect(r.ece_10).toBeCloseTo(5.56 / 13, 12);
    expect(r.bins.map((b) => b.n)).toEqual([2, 2, 2, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("bins a constant confidence into one bin and reports the empty one", () => {
    // all 0.7, 10 of 20 correct: edges [0.7, 1]; every value is ≤ 0.7 → first bin; (0.7, 1] is empty
    // ECE = |0.5 − 0.7| = 0.2; equal width: 0.7 is on the edge 7/10 → (0.6, 0.7], also 0.2
    const correct = Array.from({ length: 20 }, (_, i) => (i % 2) as 0 | 1);
    const r = calibrationReport({ confidence: new Array(20).fill(0.7), correct });
    expect(r.ece_10).toBeCloseTo(0.2, 12);
    expect(r.ece_10_width).toBeCloseTo(0.2, 12);
    expect(r.mce_10).toBeCloseTo(0.2, 12);
    expect(r.ece_1).toBeCloseTo(0.2, 12);
    expect(r.bins).toEqual([
      { lo: 0, hi: 0.7, n: 20, accuracy: 0.5, meanConfidence: expect.closeTo(0.7, 12) },
      { lo: 0.7, hi: 1, n: 0, accuracy: null, meanConfidence: null },
    ]);
  });

  it("assigns a value on an equal-mass edge to the lower bin, by edges rather than by group", () => {
    // sorted [.2, .4, .4, .6] → 4 groups of one; edges .3, .4, .5, 1. Both 0.4s are ≤ the edge .4, so they share
    // (.3, .4] and (.4, .5] stays empty. correct [0, 1, 0, 1]:
    // gaps .2 (n 1), |.5 − .4| = .1 (n 2), .4 (n 1) → ECE = (.2 + 2·.1 + .4)/4 = .2
    // (by group membership the two 0.4s would be separate bins: (.2 + .6 + .4 + .4)/4 = .4)
    const r = calibrationReport({ confidence: [0.4, 0.2, 0.6, 0.4], correct: [1, 0, 1, 0] });
    expect(r.ece_10).toBeCloseTo(0.2, 12);
    expect(r.bins.map((b) => b.n)).toEqual([1, 2, 0, 1]);
    expect(r.bins[2]).toMatchObject({ accuracy: null, meanConfidence: null });
  });

  it("puts 0 and exactly 0.1 in the first equal-width bin, 1 in the last", () => {
    // widths: [0, .1] holds 0 (wrong) and .1 (right): acc .5, conf .05, gap .45; (.1, .2] holds .1000001 (right):
    // gap .8999999; (.9, 1] holds 1 (right): gap 0 → ECE = (2·.45 + .8999999 + 0)/4 = .449999975; MCE = .8999999
    const conf = [0, 0.1, 0.1000001, 1];
    const correct = [0, 1, 1, 1];
    const width = binnedCalibrationError(conf, correct, equalWidthEdges());
    expect(width.ece).toBeCloseTo(0.449999975, 12);
    expect(width.mce).toBeCloseTo(0.8999999, 12);
    expect(width.bins.map((b) => b.n)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(width.bins[1]).toMatchObject({ lo: 0.1, hi: 0.2, n: 1 });
    expect(width.bins[4]).toEqual({ lo: 0.4, hi: 0.5, n: 0, accuracy: null, meanConfidence: null });
  });

  it("handles a single item", () => {
    // one group, edges [1]: ECE = |1 − .8| = .2; Brier (.8 − 1)² = .04
    const r = calibrationReport({ confidence: [0.8], correct: [1] });
    expect(r.ece_10).toBeCloseTo(0.2, 12);
    expect(r.brier).toBeCloseTo(0.04, 12);
    expect(r.bins).toHaveLength(1);
  });

  it("computes top-label metrics and the multi-class Brier score from probabilities", () => {
    // item 1: [.7, .2, .1], label 0 → predicts 0, right, conf .7; Brier .3² + .2² + .1² = .14
    // item 2: [.4, .4, .2], label 1 → tie → predicts 0 (first), wrong, conf .4; Brier .4² + .6² + .2² = .56
    // accuracy .5; Brier (.14 + .56)/2 = .35; ECE_10 (n = 2 → 2 groups, edges .55, 1): (.4 + .3)/2 = .35;
    // ECE_1 = |.55 − .5| = .05
    const r = calibrationReport({
      probs: [
        [0.7, 0.2, 0.1],
        [0.4, 0.4, 0.2],
      ],
      labels: [0, 1],
    });
    expect(r.accuracy).toBe(0.5);
    expect(r.brier).toBeCloseTo(0.35, 12);
    expect(r.ece_10).toBeCloseTo(0.35, 12);
    expect(r.ece_1).toBeCloseTo(0.05, 12);
    expect(r.bins.map((b) => [b.n, b.accuracy])).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it("returns nulls for no items", () => {
    expect(calibrationReport({ confidence: [], correct: [] })).toEqual({
      n: 0,
      accuracy: null,
      ece_10: null,
      ece_1: null,
      ece_10_width: null,
      mce_10: null,
      brier: null,
      bins: [],
    });
  });
});

describe("validateCalibrationInput", () => {
  const bad = (value: unknown) => {
    try {
      validateCalibrationInput(value);
    } catch (err) {
      expect(err).toBeInstanceOf(CalibrationInputError);
      return (err as Error).message;
    }
    throw new Error("expected a CalibrationInputError");
  };

  it("accepts both forms", () => {
    expect(validateCalibrationInput({ probs: [[0.5, 0.5]], labels: [1] })).toEqual({ probs: [[0.5, 0.5]], labels: [1] });
    expect(validateCalibrationInput({ confidence: [0.3], correct: [0] })).toEqual({ confidence: [0.3], correct: [0] });
    // within the ±0.001 tolerance
    expect(() => validateCalibrationInput({ probs: [[0.3334, 0.3333, 0.3334]], labels: [0] })).not.toThrow();
  });

  it("says what is wrong and where", () => {
    expect(
      bad({
        probs: [
          [0.5, 0.5],
          [0.2, 0.3, 0.5],
        ],
        labels: [0, 1],
      }),
    ).toBe("probs[1] has 3 values, expected 2");
    expect(
      bad({
        probs: [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        labels: [0, 2],
      }),
    ).toBe("labels[1] is 2, expected an integer from 0 to 1");
    expect(bad({ probs: [[0.5, 0.4]], labels: [0] })).toBe("probs[0] sums to 0.9, expected 1 (±0.001)");
    expect(bad({ probs: [[1.5, -0.5]], labels: [0] })).toBe("probs[0][0] is 1.5, outside [0, 1]");
    expect(bad({ probs: [[0.5, 0.5]], labels: [0, 1] })).toBe(`"probs" has 1 items but "labels" has 2`);
    expect(bad({ probs: [], labels: [] })).toBe(`"probs" is empty`);
    expect(bad({ confidence: [0.2, 0.3, 1.5], correct: [0, 1, 1] })).toBe("confidence[2] is 1.5, outside [0, 1]");
    expect(bad({ confidence: [0.2], correct: [2] })).toBe("correct[0] is 2, expected 0 or 1");
    expect(bad({ confidence: [0.2], correct: [true] })).toBe("correct[0] is true, expected 0 or 1");
    expect(bad({ confidence: ["0.2"], correct: [1] })).toBe(`confidence[0] is the string "0.2", expected a number in [0, 1]`);
    expect(bad({ confidence: [0.2] })).toBe(`missing "correct"`);
    expect(bad({ probs: [[1]], labels: [0], confidence: [1], correct: [1] })).toMatch(/not both/);
    expect(bad({})).toMatch(/missing "probs"/);
    expect(bad([1, 2])).toMatch(/expected a JSON object/);
    expect(bad({ probs: "x", labels: [] })).toBe(`"probs" must be an array, got the string "x"`);
  });
});
