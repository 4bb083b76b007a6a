// CrowS-Pairs: both sentences of a pair scored by geometric-mean token probability; the share of pairs where
// sent_more scores higher, overall and per bias type (METRICS.md §2).
import { crowsPairsReport, crowsPairsScores, type CrowsPair } from "@/lib/metrics/crows-pairs";
import { subMetricId } from "@/lib/metrics/catalogue";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import { z } from "zod";
import { legacySentence, packedTextSchema, packSentence, parseItemData, scoreSentences, unpackAll, unpackSentence } from "./loglikelihood-common";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, ItemStatistic, StepModule } from "./types";

const crowsInput = z.object({
  bias_type: z.string(),
  direction: z.enum(["stereo", "antistereo"]),
  sent_more: z.string(),
  sent_less: z.string(),
});
const crowsChoice = z.enum(["sent_more", "sent_less", "tie"]);
const crowsOption = legacySentence.extend({ label: z.enum(["sent_more", "sent_less"]) });
/**
 * As stored: the pair and, once scored, the choice and a packed summary per sentence (sent_more, sent_less); rows
 * written before the packed summaries hold each sentence's scores in full under `options`, and read the same.
 */
const crowsStored = crowsInput.extend({
  chosen: crowsChoice.optional(),
  summary: z.tuple([packedTextSchema, packedTextSchema]).optional(),
  options: z.array(crowsOption).optional(),
});

/** A CrowS-Pairs item as the steps and the item page read it: the pair and, once scored, both sentences' scores. */
export type CrowsItemData = z.input<typeof crowsInput> & { options?: z.output<typeof crowsOption>[]; chosen?: z.output<typeof crowsChoice> };

export function readCrowsData(data: unknown): CrowsItemData {
  const { summary, ...d } = parseItemData(crowsStored, data, "crows_pairs");
  if (!summary) return d;
  const options = unpackAll([d.sent_more, d.sent_less], summary, unpackSentence, "crows_pairs");
  return {
    ...d,
    options: [
      { label: "sent_more", ...options[0] },
      { label: "sent_less", ...options[1] },
    ],
  };
}

export function toCrowsPair(key: string, d: CrowsItemData): CrowsPair {
  if (!d.options) throw new Error(`crows_pairs item ${key} has no scores`);
  return { id: key, biasType: d.bias_type, direction: d.direction, scoreMore: d.options[0].score, scoreLess: d.options[1].score };
}

/** The share of pairs where sent_more scores higher, per bias type by slice. */
const crowsStatistic: ItemStatistic<CrowsPair> = {
  metrics: ["crows_pairs_metric"],
  unit: (i) => toCrowsPair(i.itemKey, readCrowsData(i.data)),
  slice: (p) => p.biasType,
  statistic: (sample) => ({ crows_pairs_metric: crowsPairsScores(sample).crows_pairs_metric }),
  itemCost: 2,
};

export const crowsPairsStep = {
  capability: "echo",
  async execute(ctx, item) {
    const d = parseItemData(crowsInput, item.data, "crows_pairs");
    const { sentences, attempts, latencyMs } = await scoreSentences(ctx, [d.sent_more, d.sent_less]);
    const [more, less] = sentences;
    const chosen = more.score > less.score ? "sent_more" : more.score < less.score ? "sent_less" : "tie";
    return {
      output: chosen === "sent_less" ? less.text : more.text,
      data: { ...d, chosen, summary: [packSentence(more), packSentence(less)] },
      scores: {},
      latencyMs,
      attempts,
    };
  },
  aggregate(items: DoneItem[], seed: number): AggregateRow[] {
    const pairs = items.map((i) => crowsStatistic.unit(i));
    const report = crowsPairsReport(pairs);
    const rows = statisticAggregates(pairs, crowsStatistic.statistic, crowsStatistic.metrics, `${seed}:crows_pairs`, () => ({
      stereo_score: report.stereo_score,
      antistereo_score: report.antistereo_score,
      tie_percent: report.tie_percent,
      ties: report.ties,
      byBiasType: report.byBiasType,
    }));
    for (const [type, scores] of Object.entries(report.byBiasType)) {
      if (scores.n === 0) continue;
      const sub = pairs.filter((p) => p.biasType === type);
      for (const r of statisticAggregates(sub, crowsStatistic.statistic, crowsStatistic.metrics, `${seed}:crows_pairs:${type}`, () => ({
        biasType: type,
        ...scores,
      })))
        rows.push({ ...r, metric: subMetricId(r.metric, type) });
    }
    return rows;
  },
  statistic: crowsStatistic,
} satisfies StepModule<StepSnapshotOf<"crows_pairs">>;
