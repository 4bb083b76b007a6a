// Textual characteristics (the toolkit's default profile): one generation per prompt and sample, with the step's
// decoding (sample i of a prompt uses seed + i); each output's text metrics are its per-item scores, and the run's
// values are their means with bootstrap CIs (METRICS.md §1).
import { generate } from "@/lib/llm/generate";
import { textMetrics } from "@/lib/metrics/text";
import { meanAggregates, type AggregateRow } from "../aggregates";
import type { TextualSnapshot } from "../suite";
import type { DoneItem, StepModule } from "./types";
import { lexiconScores } from "@/lib/attributes/measure";
import type { AttributeVersionSnapshot } from "@/lib/attributes/spec";

/** An attribute's aggregate records the version it measured (the run's snapshot has its whole definition). */
export function withAttributeVersions(rows: AggregateRow[], attributes: readonly AttributeVersionSnapshot[]): AggregateRow[] {
  const byMetric = new Map(attributes.map((a) => [a.metric, a]));
  return rows.map((r) => {
    const a = byMetric.get(r.metric);
    return a ? { ...r, details: { ...r.details, attribute: { name: a.name, version: a.version, versionId: a.versionId, kind: a.definition.kind } } } : r;
  });
}

export const textualStep: StepModule<TextualSnapshot> = {
  capability: "generate",
  unsupportedStopsRun: true,
  meansOfScores: true,
  async execute(ctx, item) {
    const { step } = ctx;
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
    const text = out?.text ?? "";
    return {
      output: text,
      data: undefined,
      finishReason: out?.finishReason ?? null,
      latencyMs: r.latencyMs,
      promptTokens: r.usage?.promptTokens ?? null,
      completionTokens: r.usage?.completionTokens ?? null,
      attempts: r.attempts,
      scores: { ...textMetrics(text), length_tokens: r.usage ? r.usage.completionTokens : null, ...lexiconScores(step.attributes, text) },
    };
  },
  /** Per metric, the mean over items of the values stored on them (a metric an item lacks counts as missing there). */
  aggregate(items: DoneItem[], seed, step): AggregateRow[] {
    const metrics = new Set<string>();
    for (const i of items) for (const k of Object.keys(i.scores ?? {})) metrics.add(k);
    // An attribute no item could score (every judge answer unreadable) still gets its row: n = 0, value null.
    for (const a of step.attributes) metrics.add(a.metric);
    const byMetric: Record<string, (number | null)[]> = {};
    for (const m of metrics) byMetric[m] = items.map((i) => i.scores?.[m] ?? null);
    return withAttributeVersions(meanAggregates(byMetric, seed), step.attributes);
  },
};
