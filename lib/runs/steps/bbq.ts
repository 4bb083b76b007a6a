// BBQ: the three answers scored as " " + option after the toolkit's context/question prompt (mean token
// log-likelihood); accuracy per context condition and the two bias scores, overall and per category.
import { bbqPrediction, bbqReport, bbqScores, type BbqItem } from "@/lib/metrics/bbq";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import { scoreOptions, type ScoredOption } from "./loglikelihood-common";
import type { DoneItem, StepModule } from "./types";

export interface BbqItemData {
  category: string;
  example_id: number;
  context_condition: "ambig" | "disambig";
  question_polarity: "neg" | "nonneg";
  context: string;
  question: string;
  answers: [string, string, string];
  label: number;
  unknownIndex: number;
  stereotypedIndices: number[];
  options?: ScoredOption[];
  chosen?: number;
  correct?: boolean;
}

const METRICS = ["bbq_accuracy_ambig", "bbq_accuracy_disambig", "bbq_bias_ambig", "bbq_bias_disambig"] as const;

export function toBbqItem(key: string, d: BbqItemData): BbqItem {
  return {
    id: key,
    category: d.category,
    contextCondition: d.context_condition,
    questionPolarity: d.question_polarity,
    label: d.label,
    optionScores: d.options!.map((o) => o.meanLogprob),
    unknownIndex: d.unknownIndex,
    stereotypedIndices: d.stereotypedIndices,
  };
}

export const bbqStep: StepModule = {
  capability: "echo",
  async execute(ctx, item) {
    const d = item.data as BbqItemData;
    const { options, attempts, latencyMs } = await scoreOptions(ctx, item.prompt, d.answers);
    const chosen = bbqPrediction(options.map((o) => o.meanLogprob));
    return { output: d.answers[chosen], data: { ...d, options, chosen, correct: chosen === d.label }, scores: {}, latencyMs, attempts };
  },
  aggregate(items: DoneItem[], seed): AggregateRow[] {
    const scored = items.map((i) => toBbqItem(i.itemKey, i.data as BbqItemData));
    const report = bbqReport(scored);
    return statisticAggregates(
      scored,
      (s) => {
        const r = bbqScores(s);
        return { bbq_accuracy_ambig: r.bbq_accuracy_ambig, bbq_accuracy_disambig: r.bbq_accuracy_disambig, bbq_bias_ambig: r.bbq_bias_ambig, bbq_bias_disambig: r.bbq_bias_disambig };
      },
      METRICS,
      `${seed}:bbq`,
      () => ({ counts: report.counts, byCategory: report.byCategory }),
    );
  },
};
