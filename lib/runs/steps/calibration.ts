// HellaSwag and OpenBookQA calibration: each option scored as " " + option after the context (mean token
// log-likelihood), softmax over options, top-label confidence; accuracy, ECE (equal-mass and equal-width), MCE,
// Brier, with the reliability bins (METRICS.md §4).
import { calibrationReport, optionPrediction } from "@/lib/metrics/calibration";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import { z } from "zod";
import { legacyOption, packedTextSchema, packOption, parseItemData, scoreOptions, unpackAll, unpackOption } from "./loglikelihood-common";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, ItemStatistic, StepModule } from "./types";

const calibrationInput = z.object({ context: z.string(), options: z.array(z.string()), label: z.number().int() });
const scoredOption = legacyOption.extend({ prob: z.number() });
/**
 * As stored: the question and, once scored, the prediction, its confidence, whether it is correct and a packed
 * summary per option (in the order of `options`); each option's probability is the softmax of the mean log-probs
 * (lib/metrics/calibration optionPrediction), computed again when read. Rows written before the packed summaries
 * hold each option's scores and probability in full under `scored`.
 */
const calibrationStored = calibrationInput.extend({
  chosen: z.number().int().optional(),
  confidence: z.number().optional(),
  correct: z.boolean().optional(),
  summary: z.array(packedTextSchema).optional(),
  scored: z.array(scoredOption).optional(),
});

/** A HellaSwag or OpenBookQA item as the steps and the item page read it: the question and each option's scores. */
export type CalibrationItemData = z.input<typeof calibrationInput> & {
  scored?: z.output<typeof scoredOption>[];
  chosen?: number;
  confidence?: number;
  correct?: boolean;
};

export function readCalibrationData(data: unknown, set: string): CalibrationItemData {
  const { summary, ...d } = parseItemData(calibrationStored, data, set);
  if (!summary) return d;
  const options = unpackAll(d.options, summary, unpackOption, set);
  const { probs } = optionPrediction(options.map((o) => o.meanLogprob));
  return { ...d, scored: options.map((o, k) => ({ ...o, prob: probs[k] })) };
}

function probsOf(set: string, key: string, d: CalibrationItemData): number[] {
  if (!d.scored) throw new Error(`${set} item ${key} has no scores`);
  return d.scored.map((o) => o.prob);
}

export function calibrationStep<B extends "hellaswag" | "openbookqa">(set: B) {
  const metrics = ["accuracy", "ece_10", "ece_1", "ece_10_width", "mce_10", "brier"].map((m) => `${set}_${m}`);
  // Per item once: top-label confidence, correctness and multi-class Brier term (lib/metrics on the item alone);
  // a sample then needs only the confidence form (a sort for the equal-mass bins) and a mean.
  const statistic: ItemStatistic<{ confidence: number; correct: 0 | 1; brier: number }> = {
    metrics,
    unit: (i) => {
      const d = readCalibrationData(i.data, set);
      const probs = probsOf(set, i.itemKey, d);
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
      const d = parseItemData(calibrationInput, item.data, set);
      const { options, attempts, latencyMs } = await scoreOptions(ctx, d.context, d.options);
      const { prediction, confidence } = optionPrediction(options.map((o) => o.meanLogprob));
      return {
        output: d.options[prediction],
        data: { ...d, chosen: prediction, confidence, correct: prediction === d.label, summary: options.map(packOption) },
        scores: {},
        latencyMs,
        attempts,
      };
    },
    aggregate(items: DoneItem[], seed: number): AggregateRow[] {
      const rows = items.map((i) => {
        const d = readCalibrationData(i.data, set);
        return { probs: probsOf(set, i.itemKey, d), label: d.label };
      });
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
