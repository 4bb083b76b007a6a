// Textual characteristics (the toolkit's default profile): one generation per prompt and sample, with the step's
// decoding (sample i of a prompt uses seed + i); each output's text metrics are its per-item scores, and the run's
// values are their means with bootstrap CIs (METRICS.md §1). Custom attributes (lib/attributes) are per-item scores
// too: lexicons computed here, judges and classifiers asked after the generation. The generation and each service
// score are stored on the item as they arrive (saveProgress), so a run killed mid-item resumes without generating
// again or re-asking a judge for a score it stored.
import { z } from "zod";
import { judgedScoreSchema, type JudgedScore } from "@/lib/attributes/judge";
import { measureText } from "@/lib/attributes/measure";
import { needsServices, serviceScore } from "@/lib/attributes/services";
import type { AttributeVersionSnapshot } from "@/lib/attributes/spec";
import { generate } from "@/lib/llm/generate";
import { meanAggregates, type AggregateRow } from "../aggregates";
import type { TextualSnapshot } from "../suite";
import type { DoneItem, StepModule } from "./types";

/** An attribute's aggregate records the version it measured (the run's snapshot has its whole definition). */
export function withAttributeVersions(rows: AggregateRow[], attributes: readonly AttributeVersionSnapshot[]): AggregateRow[] {
  const byMetric = new Map(attributes.map((a) => [a.metric, a]));
  return rows.map((r) => {
    const a = byMetric.get(r.metric);
    return a ? { ...r, details: { ...r.details, attribute: { name: a.name, version: a.version, versionId: a.versionId, kind: a.definition.kind } } } : r;
  });
}

/** What a textual item holds: its prompt as written, and once generated its output and service scores. */
const textualDataSchema = z
  .object({
    prompt: z.string().optional(),
    generation: z
      .object({
        text: z.string(),
        finishReason: z.string().nullable(),
        latencyMs: z.number().nullable(),
        promptTokens: z.number().nullable(),
        completionTokens: z.number().nullable(),
        attempts: z.number(),
      })
      .optional(),
    /** judge and classifier scores by metric id, with the raw answers */
    attributes: z.record(z.string(), judgedScoreSchema).optional(),
  })
  .catch({});
export type TextualItemData = z.output<typeof textualDataSchema>;

export function readTextualData(data: unknown): TextualItemData {
  return textualDataSchema.parse(data ?? {});
}

export const textualStep: StepModule<TextualSnapshot> = {
  capability: "generate",
  unsupportedStopsRun: true,
  meansOfScores: true,
  async execute(ctx, item) {
    const { step } = ctx;
    const saved = readTextualData(item.data);
    const services = needsServices(step.attributes);
    let gen = saved.generation;
    if (!gen) {
      const seed = step.decoding.seed === undefined ? undefined : step.decoding.seed + item.sampleIndex;
      const r = await generate(
        ctx.endpoint,
        {
          mode: step.mode,
          prompt: item.prompt,
          temperature: step.decoding.temperature,
          top_p: step.decoding.top_p,
          max_tokens: step.decoding.max_tokens,
          seed,
          stop: step.decoding.stop,
          n: 1,
        },
        { signal: ctx.signal, onAttempt: ctx.onAttempt },
      );
      const out = r.outputs[0];
      gen = {
        text: out?.text ?? "",
        finishReason: out?.finishReason ?? null,
        latencyMs: r.latencyMs,
        promptTokens: r.usage?.promptTokens ?? null,
        completionTokens: r.usage?.completionTokens ?? null,
        attempts: r.attempts,
      };
      if (services) await ctx.saveProgress(item.id, { prompt: saved.prompt, generation: gen });
    }
    const text = gen.text;
    const judged: Record<string, JudgedScore> = { ...saved.attributes };
    if (services) {
      if (!ctx.attributes) throw new Error("the textual step's judge and classifier services were not opened");
      for (const a of step.attributes) {
        if (a.definition.kind === "lexicon" || judged[a.metric]) continue;
        judged[a.metric] = await serviceScore(ctx.attributes, a, saved.prompt ?? item.prompt, text, { signal: ctx.signal });
        await ctx.saveProgress(item.id, { prompt: saved.prompt, generation: gen, attributes: judged });
      }
    }
    const serviceValues = Object.fromEntries(Object.entries(judged).map(([m, s]) => [m, s.value]));
    const measured = measureText(step.attributes, text);
    return {
      output: text,
      // The raw answers stay with the scores (and the generation record is dropped: the item's columns hold it).
      data: services ? { prompt: saved.prompt, attributes: judged } : undefined,
      finishReason: gen.finishReason,
      latencyMs: gen.latencyMs,
      promptTokens: gen.promptTokens,
      completionTokens: gen.completionTokens,
      attempts: gen.attempts,
      scores: { ...measured.metrics, length_tokens: gen.completionTokens, ...measured.lexicon, ...serviceValues },
    };
  },
  /** Per metric, the mean over items of the values stored on them (a metric an item lacks counts as missing there). */
  aggregate(items: DoneItem[], seed, step): AggregateRow[] {
    const metrics = new Set<string>();
    for (const i of items) for (const k of Object.keys(i.scores ?? {})) metrics.add(k);
    const byMetric: Record<string, (number | null)[]> = {};
    for (const m of metrics) byMetric[m] = items.map((i) => i.scores?.[m] ?? null);
    return annotateAttributes(meanAggregates(byMetric, seed), step.attributes);
  },
  annotateMeans: (rows, step) => annotateAttributes(rows, step.attributes),
};

/**
 * An attribute's aggregate names the version it measured; a judge's or classifier's also counts its unreadable
 * answers (on a completed item a missing service score is one: a failed request fails the item), so that a missing
 * value is never silent.
 */
function annotateAttributes(rows: AggregateRow[], attributes: readonly AttributeVersionSnapshot[]): AggregateRow[] {
  return withAttributeVersions(rows, attributes).map((r) => {
    const a = attributes.find((x) => x.metric === r.metric);
    if (!a || a.definition.kind === "lexicon") return r;
    const missing = typeof r.details.missing === "number" ? r.details.missing : 0;
    return { ...r, details: { ...r.details, unreadable: missing } };
  });
}
