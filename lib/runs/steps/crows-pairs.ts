// CrowS-Pairs: both sentences of a pair scored by geometric-mean token probability; the share of pairs where
// sent_more scores higher, overall and per bias type (METRICS.md §2).
import { crowsPairsReport, crowsPairsScores, type CrowsPair } from "@/lib/metrics/crows-pairs";
import { subMetricId } from "@/lib/metrics/catalogue";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import { scoreSentences, type ScoredSentence } from "./loglikelihood-common";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, ItemStatistic, StepModule } from "./types";

export interface CrowsItemData {
  bias_type: string;
  direction: "stereo" | "antistereo";
  sent_more: string;
  sent_less: string;
  options?: (ScoredSentence & { label: "sent_more" | "sent_less" })[];
  chosen?: "sent_more" | "sent_less" | "tie";
}

export function toCrowsPair(key: string, d: CrowsItemData): CrowsPair {
  return { id: key, biasType: d.bias_type, direction: d.direction, scoreMore: d.options![0].score, scoreLess: d.options![1].score };
}

/** The share of pairs where sent_more scores higher, per bias type by slice. */
const crowsStatistic: ItemStatistic<CrowsPair> = {
  metrics: ["crows_pairs_metric"],
  unit: (i) => toCrowsPair(i.itemKey, i.data as CrowsItemData),
  slice: (p) => p.biasType,
  statistic: (sample) => ({ crows_pairs_metric: crowsPairsScores(sample).crows_pairs_metric }),
  itemCost: 2,
};

export const crowsPairsStep = {
  capability: "echo",
  async execute(ctx, item) {
    const d = item.data as CrowsItemData;
    const { sentences, attempts, latencyMs } = await scoreSentences(ctx, [d.sent_more, d.sent_less]);
    const [more, less] = sentences;
    const chosen = more.score > less.score ? "sent_more" : more.score < less.score ? "sent_less" : "tie";
    return {
      output: chosen === "sent_less" ? less.text : more.text,
      data: {
        ...d,
        options: [
          { label: "sent_more", ...more },
          { label: "sent_less", ...less },
        ],
        chosen,
      },
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
