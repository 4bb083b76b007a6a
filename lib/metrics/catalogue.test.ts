import { describe, expect, it } from "vitest";
import {
  betterDirection,
  compareForBetter,
  getMetric,
  isImprovement,
  isMetricId,
  METRIC_CATEGORIES,
  METRICS,
  metricsByCategory,
  parseBetter,
  splitMetricId,
  subMetricId,
} from "./catalogue";
import { TEXT_METRIC_IDS } from "./text";

// Every id named in METRICS.md, written out by hand.
const METRICS_MD_IDS = [
  // §1
  "length_words",
  "length_chars",
  "length_sentences",
  "length_tokens",
  "mean_sentence_length",
  "mean_word_length",
  "ttr",
  "mtld",
  "flesch_reading_ease",
  "flesch_kincaid_grade",
  "gunning_fog",
  "smog",
  "coleman_liau",
  "automated_readability_index",
  "lix",
  "rix",
  // §2
  "stereoset_lms",
  "stereoset_ss",
  "stereoset_icat",
  "crows_pairs_metric",
  "bbq_accuracy_ambig",
  "bbq_accuracy_disambig",
  "bbq_bias_disambig",
  "bbq_bias_ambig",
  "seat_effect_size",
  // §3
  "expected_max_toxicity",
  "toxicity_probability",
  "expected_max_severe_toxicity",
  "expected_max_identity_attack",
  "expected_max_insult",
  "expected_max_profanity",
  "expected_max_threat",
  // §4
  ...["hellaswag", "openbookqa"].flatMap((set) => ["accuracy", "ece_10", "ece_1", "ece_10_width", "mce_10", "brier"].map((m) => `${set}_${m}`)),
];

describe("catalogue contents", () => {
  it("has every METRICS.md id as a base metric, and no other base metric", () => {
    const base = METRICS.filter((m) => m.baseId === undefined).map((m) => m.id);
    expect([...base].sort()).toEqual([...METRICS_MD_IDS].sort());
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
  });

  it("covers every id textMetrics produces", () => {
    for (const id of TEXT_METRIC_IDS) expect(getMetric(id)?.category).toBe("textual");
  });

  it("gives every metric complete fields", () => {
    for (const m of METRICS) {
      expect(m.id).toMatch(/^[a-z0-9_]+(@[a-z-]+)?$/);
      expect(m.label.length).toBeGreaterThan(2);
      expect(METRIC_CATEGORIES).toContain(m.category);
      expect(typeof m.unit).toBe("string");
      expect(() => parseBetter(m.better)).not.toThrow();
      expect(typeof m.perSample).toBe("boolean");
      expect(m.reference.length).toBeGreaterThan(2);
      expect(m.description).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("uses the directions and sample levels of METRICS.md", () => {
    expect(getMetric("stereoset_ss")?.better).toBe("target:50");
    expect(getMetric("crows_pairs_metric")?.better).toBe("target:50");
    expect(getMetric("bbq_bias_ambig")?.better).toBe("target:0");
    expect(getMetric("bbq_bias_disambig")?.better).toBe("target:0");
    expect(getMetric("seat_effect_size")?.better).toBe("target:0");
    expect(getMetric("stereoset_lms")?.better).toBe("higher");
    expect(getMetric("stereoset_icat")?.better).toBe("higher");
    expect(getMetric("length_words")?.better).toBe("neutral");
    expect(getMetric("flesch_reading_ease")?.better).toBe("neutral");
    expect(getMetric("expected_max_toxicity")?.better).toBe("lower");
    expect(getMetric("toxicity_probability")?.better).toBe("lower");
    expect(getMetric("hellaswag_ece_10")?.better).toBe("lower");
    expect(getMetric("openbookqa_accuracy")?.better).toBe("higher");
    expect(getMetric("flesch_reading_ease")?.label).toBe("Flesch reading ease");
    for (const m of METRICS) {
      if (m.category === "textual" || m.category === "toxicity") expect(m.perSample).toBe(true);
      else expect(m.perSample).toBe(false);
    }
  });

  it("has StereoSet per-domain and CrowS-Pairs per-bias-type sub-metrics with the @ scheme", () => {
    const gender = getMetric("stereoset_ss@gender");
    expect(gender).toMatchObject({ baseId: "stereoset_ss", slice: "gender", better: "target:50", unit: "%" });
    expect(gender?.label).toBe("StereoSet stereotype score (gender)");
    for (const domain of ["gender", "profession", "race", "religion"])
      for (const base of ["stereoset_lms", "stereoset_ss", "stereoset_icat"]) expect(isMetricId(`${base}@${domain}`)).toBe(true);
    expect(getMetric("crows_pairs_metric@race-color")?.label).toBe("CrowS-Pairs stereotype score (race color)");
    expect(METRICS.filter((m) => m.baseId === "crows_pairs_metric")).toHaveLength(9);
    expect(isMetricId("stereoset_ss@weather")).toBe(false);
    expect(subMetricId("stereoset_ss", "race")).toBe("stereoset_ss@race");
    expect(splitMetricId("crows_pairs_metric@sexual-orientation")).toEqual({
      baseId: "crows_pairs_metric",
      slice: "sexual-orientation",
    });
    expect(splitMetricId("mtld")).toEqual({ baseId: "mtld", slice: null });
  });
});

describe("lookups", () => {
  it("getMetric / isMetricId", () => {
    expect(getMetric("mtld")?.shortLabel).toBe("MTLD");
    expect(getMetric("nope")).toBeUndefined();
    expect(isMetricId("smog")).toBe(true);
    expect(isMetricId("SMOG")).toBe(false);
    expect(isMetricId(42)).toBe(false);
  });

  it("metricsByCategory keeps catalogue order and can leave sub-metrics out", () => {
    const groups = metricsByCategory();
    expect(Object.keys(groups)).toEqual([...METRIC_CATEGORIES]);
    expect(groups.textual[0].id).toBe("length_words");
    expect(groups.toxicity.map((m) => m.id)).toHaveLength(7);
    expect(groups.calibration).toHaveLength(12);
    const baseOnly = metricsByCategory({ includeSubMetrics: false });
    expect(baseOnly.social_bias.map((m) => m.id)).toEqual([
      "stereoset_lms",
      "stereoset_ss",
      "stereoset_icat",
      "crows_pairs_metric",
      "bbq_accuracy_ambig",
      "bbq_accuracy_disambig",
      "bbq_bias_ambig",
      "bbq_bias_disambig",
      "seat_effect_size",
    ]);
    expect(groups.social_bias.length).toBe(9 + 12 + 9);
  });
});

describe("better direction", () => {
  it("parses target:<v>", () => {
    expect(betterDirection("stereoset_ss")).toEqual({ kind: "target", target: 50 });
    expect(betterDirection("bbq_bias_ambig")).toEqual({ kind: "target", target: 0 });
    expect(betterDirection("mtld")).toEqual({ kind: "higher" });
    expect(parseBetter("target:-1.5")).toEqual({ kind: "target", target: -1.5 });
    expect(() => parseBetter("target:" as `target:${number}`)).toThrow();
    expect(() => parseBetter("target:abc" as `target:${number}`)).toThrow();
    expect(() => betterDirection("nope")).toThrow(/unknown metric/);
  });

  it("compareForBetter / isImprovement", () => {
    expect(compareForBetter("mtld", 60, 50)).toBe("better");
    expect(compareForBetter("mtld", 40, 50)).toBe("worse");
    expect(compareForBetter("mtld", 50, 50)).toBe("same");
    expect(compareForBetter("expected_max_toxicity", 0.2, 0.3)).toBe("better");
    expect(compareForBetter("expected_max_toxicity", 0.4, 0.3)).toBe("worse");
    expect(compareForBetter("length_words", 10, 500)).toBe("neutral");
    // target 50: closer is better, both sides of the target count
    expect(compareForBetter("stereoset_ss", 52, 60)).toBe("better");
    expect(compareForBetter("stereoset_ss", 45, 52)).toBe("worse");
    expect(compareForBetter("stereoset_ss", 48, 52)).toBe("same");
    expect(compareForBetter("bbq_bias_disambig", -0.1, 0.2)).toBe("better");
    // sub-metrics inherit their base's direction
    expect(compareForBetter("stereoset_ss@race", 55, 65)).toBe("better");
    // isImprovement(id, reference, value): value compared with reference
    expect(isImprovement("mtld", 50, 70)).toBe("better");
    expect(isImprovement("stereoset_ss", 50, 58)).toBe("worse");
    expect(() => compareForBetter("mtld", NaN, 1)).toThrow();
  });

  it("equal values or distances to a target within a relative 1e-9 are the same, never better by rounding", () => {
    // 200/3 and 100/3 as two runs' aggregates come out as 66.66666666666667 and 33.333333333333336: distances to
    // 50 of 16.66666666666667 and 16.666666666666664.
    const hi = 66.66666666666667;
    const lo = 33.333333333333336;
    expect(Math.abs(hi - 50)).not.toBe(Math.abs(lo - 50));
    expect(compareForBetter("stereoset_ss", hi, lo)).toBe("same");
    expect(compareForBetter("stereoset_ss", lo, hi)).toBe("same");
    expect(isImprovement("crows_pairs_metric", lo, hi)).toBe("same");
    expect(compareForBetter("bbq_bias_ambig", 0.1 + 0.2, -0.3)).toBe("same"); // target:0
    expect(compareForBetter("mtld", 0.1 + 0.2, 0.3)).toBe("same");
    expect(compareForBetter("expected_max_toxicity", 0.3, 0.1 + 0.2)).toBe("same");
    // Beyond the tolerance a difference counts.
    expect(compareForBetter("mtld", 1 + 1e-8, 1)).toBe("better");
    expect(compareForBetter("stereoset_ss", 50 + 1e-6, 50 - 2e-6)).toBe("better");
  });
});
