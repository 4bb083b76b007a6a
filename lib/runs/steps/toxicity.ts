// RealToxicityPrompts: k continuations per prompt (T = 1.0, top_p = 0.9 by default), each scored by the run's
// toxicity scorer; expected maximum toxicity and toxicity probability over prompts (METRICS.md §3).
// Two phases per item, both resumable: the continuations are stored on the item as soon as they are generated,
// so a scorer failure or a stop never costs a regeneration; an item is done once every continuation is scored.
import { generate } from "@/lib/llm/generate";
import { RTP_SYSTEM_INSTRUCTION } from "@/lib/benchmarks/templates";
import { expectedMaxToxicity, promptMaxima, toxicityProbability, toxicityReport, type PromptToxicity } from "@/lib/metrics/toxicity";
import type { ScoreResult } from "@/lib/scorers/types";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, StepModule } from "./types";

export interface RtpContinuation {
  text: string;
  finishReason: string | null;
  /** Scorer output; null for an empty continuation (not scored); absent until scored. */
  scores?: ScoreResult;
}

export interface RtpItemData {
  prompt_index: number;
  /** The raw RTP prompt (the request applies the template). */
  prompt: string;
  prompt_toxicity: number | null;
  continuations?: RtpContinuation[];
  scorer?: string;
  max?: Record<string, number>;
  usage?: { promptTokens: number; completionTokens: number } | null;
}

export const rtpToxicityStep: StepModule<StepSnapshotOf<"rtp_toxicity">> = {
  capability: "generate",
  async execute(ctx, item) {
    const { step } = ctx;
    let d = item.data as RtpItemData;
    let attempts = 0;
    let latencyMs = 0;
    if (!d.continuations) {
      const seed = step.decoding.seed === undefined ? undefined : step.decoding.seed + d.prompt_index * 1000;
      const r = await generate(
        ctx.endpoint,
        {
          mode: step.mode,
          prompt: step.mode === "chat" ? d.prompt : item.prompt,
          ...(step.mode === "chat" ? { system: RTP_SYSTEM_INSTRUCTION } : {}),
          temperature: step.decoding.temperature,
          top_p: step.decoding.top_p,
          max_tokens: step.decoding.max_tokens,
          seed,
          stop: step.decoding.stop,
          n: step.samples,
        },
        { signal: ctx.signal },
      );
      attempts += r.attempts;
      latencyMs += r.latencyMs;
      d = { ...d, continuations: r.outputs.map((o) => ({ text: o.text, finishReason: o.finishReason })), usage: r.usage };
      await ctx.saveProgress(item.id, d);
    }
    if (!ctx.scorer) throw new Error("no toxicity scorer for this run");
    const scorer = ctx.scorer;
    const started = performance.now();
    const continuations: RtpContinuation[] = d.continuations!.map((c) => ({ ...c }));
    try {
      await Promise.all(
        continuations.map(async (c) => {
          if (c.scores === undefined) c.scores = await scorer.score(c.text, { signal: ctx.signal });
        }),
      );
    } catch (err) {
      // Keep what was scored: a retry scores only the rest (at 1 QPS, each score is a second of quota).
      if (!ctx.signal.aborted) await ctx.saveProgress(item.id, { ...d, continuations }).catch(() => undefined);
      throw err;
    }
    latencyMs += performance.now() - started;
    const [pm] = promptMaxima(continuations.map((c) => ({ promptId: String(d.prompt_index), scores: c.scores ?? null })));
    const top = continuations.reduce<RtpContinuation | null>((a, c) => ((c.scores?.TOXICITY ?? -1) > (a?.scores?.TOXICITY ?? -1) ? c : a), null);
    const scores: Record<string, number | null> = {};
    for (const [attr, v] of Object.entries(pm.max)) if (!attr.startsWith("MOD_")) scores[`expected_max_${attr.toLowerCase()}`] = v;
    // Per prompt 1/0 (some sample ≥ threshold): its mean is toxicity_probability, so compare can pair it.
    const maxTox = pm.max.TOXICITY;
    scores.toxicity_probability = maxTox === undefined || maxTox === null ? null : maxTox >= step.threshold ? 1 : 0;
    return {
      output: top?.text ?? "",
      data: { ...d, continuations, scorer: scorer.config.name, max: pm.max },
      scores,
      latencyMs,
      attempts: Math.max(1, attempts),
      completionTokens: d.usage?.completionTokens ?? null,
      promptTokens: d.usage?.promptTokens ?? null,
    };
  },
  aggregate(items: DoneItem[], seed, step): AggregateRow[] {
    const samples = items.flatMap((i) => {
      const d = i.data as RtpItemData;
      return (d.continuations ?? []).map((c) => ({ promptId: i.itemKey, scores: c.scores ?? null }));
    });
    const report = toxicityReport(samples, { threshold: step.threshold });
    const perPrompt = report.perPrompt.filter((p) => p.scoredSamples > 0);
    const attributes = [...new Set(["expected_max_toxicity", ...Object.keys(report.attributes).filter((id) => !id.startsWith("expected_max_mod_"))])];
    const metrics = ["toxicity_probability", ...attributes];
    return statisticAggregates(
      perPrompt,
      (s: readonly PromptToxicity[]) => {
        const out: Record<string, number | null> = { toxicity_probability: toxicityProbability(s, step.threshold) };
        for (const id of attributes) out[id] = expectedMaxToxicity(s, id.slice("expected_max_".length).toUpperCase());
        return out;
      },
      metrics,
      `${seed}:rtp_toxicity`,
      (metric) => ({
        scorer: step.scorer ?? null,
        threshold: step.threshold,
        samplesPerPrompt: step.samples,
        prompts: report.prompts,
        excludedPrompts: report.excludedPrompts,
        ...(metric === "toxicity_probability" ? {} : { attributeN: report.attributes[metric]?.n }),
      }),
    );
  },
};
