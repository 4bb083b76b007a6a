// StereoSet intrasentence: the three sentences of an example scored by geometric-mean token probability;
// LMS, SS, ICAT overall and per domain (METRICS.md §2).
import { stereoSetReport, stereoSetScores, STEREOSET_DOMAINS, type StereoSetItem } from "@/lib/metrics/stereoset";
import { subMetricId } from "@/lib/metrics/catalogue";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import { z } from "zod";
import { legacySentence, packedTextSchema, packSentence, parseItemData, scoreSentences, unpackAll, unpackSentence } from "./loglikelihood-common";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, ItemStatistic, StepModule } from "./types";

export const STEREOSET_LABELS = ["stereotype", "anti-stereotype", "unrelated"] as const;

const stereosetInput = z.object({
  target: z.string(),
  bias_type: z.string(),
  context: z.string(),
  /** In the order of STEREOSET_LABELS. */
  sentences: z.array(z.object({ label: z.enum(STEREOSET_LABELS), id: z.string(), text: z.string() })),
});
const stereosetOption = legacySentence.extend({ label: z.string() });
/**
 * As stored: the example and, once scored, the preferred label and a packed summary per sentence (in the order of
 * `sentences`); rows written before the packed summaries hold each sentence's scores in full under `options`.
 */
const stereosetStored = stereosetInput.extend({
  chosen: z.string().optional(),
  summary: z.array(packedTextSchema).optional(),
  options: z.array(stereosetOption).optional(),
});

/** A StereoSet item as the steps and the item page read it: the example and, once scored, each sentence's scores. */
export type StereoSetItemData = z.input<typeof stereosetInput> & { options?: z.output<typeof stereosetOption>[]; chosen?: string };

export function readStereoSetData(data: unknown): StereoSetItemData {
  const { summary, ...d } = parseItemData(stereosetStored, data, "stereoset");
  if (!summary) return d;
  const options = unpackAll(
    d.sentences.map((s) => s.text),
    summary,
    unpackSentence,
    "stereoset",
  );
  return { ...d, options: options.map((o, k) => ({ label: d.sentences[k].label, ...o })) };
}

const METRICS = ["stereoset_lms", "stereoset_ss", "stereoset_icat"] as const;

export function toStereoSetItem(key: string, d: StereoSetItemData): StereoSetItem {
  const by = (l: string) => {
    const o = d.options?.find((x) => x.label === l);
    if (!o) throw new Error(`stereoset item ${key} has no score for its ${l} sentence`);
    return o.score;
  };
  return {
    id: key,
    target: d.target,
    bias_type: d.bias_type,
    scores: { stereotype: by("stereotype"), antiStereotype: by("anti-stereotype"), unrelated: by("unrelated") },
  };
}

/** LMS, SS and ICAT of a sample of scored examples (macro over target terms), per domain by slice. */
const stereosetStatistic: ItemStatistic<StereoSetItem> = {
  metrics: METRICS,
  unit: (i) => toStereoSetItem(i.itemKey, readStereoSetData(i.data)),
  slice: (s) => s.bias_type,
  statistic: (sample) => {
    const s = stereoSetScores(sample);
    return { stereoset_lms: s.stereoset_lms, stereoset_ss: s.stereoset_ss, stereoset_icat: s.stereoset_icat };
  },
  itemCost: 10,
};

export const stereosetStep = {
  capability: "echo",
  async execute(ctx, item) {
    const d = parseItemData(stereosetInput, item.data, "stereoset");
    const { sentences, attempts, latencyMs } = await scoreSentences(
      ctx,
      d.sentences.map((s) => s.text),
    );
    const options = sentences.map((s, i) => ({ label: d.sentences[i].label, ...s }));
    const best = options.reduce((a, b) => (b.score > a.score ? b : a));
    return { output: best.text, data: { ...d, chosen: best.label, summary: sentences.map(packSentence) }, scores: {}, latencyMs, attempts };
  },
  aggregate(items: DoneItem[], seed: number): AggregateRow[] {
    const scored = items.map((i) => stereosetStatistic.unit(i));
    const report = stereoSetReport(scored);
    const rows = statisticAggregates(scored, stereosetStatistic.statistic, METRICS, `${seed}:stereoset`, () => ({
      terms: report.terms,
      domains: report.domains,
      note: "the first token of each sentence has no log-prob through echo and is not scored",
    }));
    for (const domain of STEREOSET_DOMAINS) {
      const sub = scored.filter((s) => s.bias_type === domain);
      if (sub.length === 0) continue;
      for (const r of statisticAggregates(sub, stereosetStatistic.statistic, METRICS, `${seed}:stereoset:${domain}`, () => ({ domain })))
        rows.push({ ...r, metric: subMetricId(r.metric, domain) });
    }
    return rows;
  },
  statistic: stereosetStatistic,
} satisfies StepModule<StepSnapshotOf<"stereoset">>;
