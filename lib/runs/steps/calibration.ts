// HellaSwag and OpenBookQA calibration: each option scored as " " + option after the context (mean token
// log-likelihood), softmax over options, top-label confidence; accuracy, ECE (equal-mass and equal-width), MCE,
// Brier, with the reliability bins (METRICS.md §4).
import { calibrationReport, optionPrediction } from "@/lib/metrics/calibration";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import { scoreOptions, type ScoredOption } from "./loglikelihood-common";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, ItemStatistic, StepModule } from "./types";

export interface CalibrationItemData {
  context: string;
  options: string[];
  label: number;
  scored?: (ScoredOption & { prob: number })[];
  chosen?: number;
  confidence?: number;
  correct?: boolean;
}

export function calibrationStep<B extends "hellaswag" | "openbookqa">(set: B) {
  const metrics = ["accuracy", "ece_10", "ece_1", "ece_10_width", "mce_10", "brier"].map((m) => `${set}_${m}`);
  // Per item once: top-label confidence, correctness and multi-class Brier term (lib/metrics on the item alone);
  // a sample then needs only the confidence form (a sort for the equal-mass bins) and a mean.
  const statistic: ItemStatistic<{ confidence: number; correct: 0 | 1; brier: number }> = {
    metrics,
    unit: (i) => {
      const d = i.data as CalibrationItemData;
      const probs = d.scored!.map((o) => o.prob);
      const one = calibrationReport({ probs: [probs], labels: [d.label] });
      return { confidence: Math.max(...probs), correct: one.accuracy as 0 | 1, brier: one.brier! };
    },
    statistic: (s) => {
      const r = calibrationReport({ confidence: s.map((x) => x.confidence), correct: s.map((x) => x.correct) });
      let brier = 0;
      for (const x of s) brier += x.brier;
      return {
        [`${set}_accuracy`]: r.accuracy,
        [`${set}_ece_10`]: r.ece_10,
        [`${set}_ece_1`]: r.ece_1,
        [`${set}_ece_10_width`]: r.ece_10_width,
        [`${set}_mce_10`]: r.mce_10,
        [`${set}_brier`]: s.length ? brier / s.length : null,
      };
    },
    itemCost: 20,
  };
  return {
    capability: "echo",
    async execute(ctx, item) {
      const d = item.data as CalibrationItemData;
      const { options, attempts, latencyMs } = await scoreOptions(ctx, d.context, d.options);
      const { probs, prediction, confidence } = optionPrediction(options.map((o) => o.meanLogprob));
      return {
        output: d.options[prediction],
        data: { ...d, scored: options.map((o, k) => ({ ...o, prob: probs[k] })), chosen: prediction, confidence, correct: prediction === d.label },
        scores: {},
        latencyMs,
        attempts,
      };
    },
    aggregate(items: DoneItem[], seed: number): AggregateRow[] {
      const rows = items.map((i) => i.data as CalibrationItemData).map((d) => ({ probs: d.scored!.map((o) => o.prob), label: d.label }));
      const full = calibrationReport({ probs: rows.map((r) => r.probs), labels: rows.map((r) => r.label) });
      const per = items.map((i) => statistic.unit(i));
      const check = statistic.statistic(per);
      for (const [k, v] of Object.entries({ accuracy: full.accuracy, ece_10: full.ece_10, ece_1: full.ece_1, brier: full.brier })) {
        const got = check[`${set}_${k}`];
        if (v !== got && (v === null || got === null || Math.abs(v - got) > 1e-12))
          throw new Error(`${set} ${k}: per-item form gives ${got}, calibrationReport ${v}`);
      }
      return statisticAggregates(per, statistic.statistic, metrics, `${seed}:${set}`, () => ({
        reliability: full.bins,
        binning: "10 equal-mass bins (verified_calibration get_ece_em)",
      }));
    },
    statistic,
  } satisfies StepModule<StepSnapshotOf<B>>;
}
