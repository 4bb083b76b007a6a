// Shared pieces of the log-likelihood steps: one request per item (its sentences or options as an array prompt),
// attempts counted, and the per-option summary kept on the item.
import { LlmError } from "@/lib/llm/errors";
import { continuationLogprobs, sentenceLogprobs } from "@/lib/llm/loglikelihood";
import { sentenceScore } from "@/lib/metrics/stereoset";
import { z } from "zod";
import type { ExecContext } from "./types";

export interface ScoredSentence {
  text: string;
  /** exp(mean token log-prob) over the scored tokens (METRICS.md §2). */
  score: number;
  meanLogprob: number;
  scoredTokens: number;
  /** The first token, which has no log-prob through echo and is not scored. */
  skippedFirstToken: string | null;
  /** Later tokens the server gave no log-prob (not scored). */
  nullTokens: number;
  /** The start token the server echoed before the sentence (not part of it; the first word after it is scored). */
  startToken?: string | null;
}

/** An item whose echoed tokens do not spell its text is refused, never scored (METRICS.md §2). */
function unaligned(what: string, reason: string): LlmError {
  return new LlmError(`not scored: the echoed tokens of ${what} cannot be aligned to its text: ${reason}`, { kind: "unaligned", retryable: false });
}

export async function scoreSentences(ctx: ExecContext, texts: string[]): Promise<{ sentences: ScoredSentence[]; attempts: number; latencyMs: number }> {
  let failed = 0;
  const started = performance.now();
  const rs = await sentenceLogprobs(ctx.endpoint, texts, { signal: ctx.signal, batchSize: texts.length, onAttempt: () => void failed++ });
  const sentences = rs.map((r, i) => {
    if (r.unaligned) throw unaligned(`sentence ${i}`, r.unaligned);
    const s = sentenceScore(r.logprobs);
    if (s.score === null || s.meanLogprob === null)
      throw new Error(`no token of ${JSON.stringify(texts[i].slice(0, 80))} has a log-prob (a one-token sentence cannot be scored through echo)`);
    return {
      text: texts[i],
      score: s.score,
      meanLogprob: s.meanLogprob,
      scoredTokens: s.scoredTokens,
      skippedFirstToken: r.skippedFirstToken,
      nullTokens: r.nullTokens,
      ...(r.startToken ? { startToken: r.startToken } : {}),
    };
  });
  return { sentences, attempts: failed + 1, latencyMs: performance.now() - started };
}

export interface ScoredOption {
  text: string;
  /** Mean token log-likelihood of " " + option after the context. */
  meanLogprob: number;
  tokens: number;
  /** Tokens of the option the server gave no log-prob (not scored). */
  nullTokens: number;
  startToken?: string | null;
  /** The option's last characters that a generated token ran over (not scored), e.g. a trailing space. */
  uncoveredTail?: string;
}

export async function scoreOptions(
  ctx: ExecContext,
  context: string,
  options: string[],
): Promise<{ options: ScoredOption[]; attempts: number; latencyMs: number }> {
  let failed = 0;
  const started = performance.now();
  const rs = await continuationLogprobs(
    ctx.endpoint,
    options.map((o) => ({ context, continuation: ` ${o}` })),
    { signal: ctx.signal, batchSize: options.length, onAttempt: () => void failed++ },
  );
  const scored = rs.map((r, i) => {
    if (r.unaligned) throw unaligned(`option ${i}`, r.unaligned);
    if (r.uncoveredTail.trim() !== "") throw unaligned(`option ${i}`, `a generated token ran over its last characters ${JSON.stringify(r.uncoveredTail)}`);
    if (r.logprobs.length === 0) throw new Error(`option ${i} (${JSON.stringify(options[i].slice(0, 60))}) got no scored token`);
    return {
      text: options[i],
      meanLogprob: r.logprobs.reduce((a, b) => a + b, 0) / r.logprobs.length,
      tokens: r.logprobs.length,
      nullTokens: r.nullTokens + (r.firstTokenNull ? 1 : 0),
      ...(r.startToken ? { startToken: r.startToken } : {}),
      ...(r.uncoveredTail ? { uncoveredTail: r.uncoveredTail } : {}),
    };
  });
  return { options: scored, attempts: failed + 1, latencyMs: performance.now() - started };
}

/**
 * A scored sentence or option as the item stores it (docs/storage.md): [mean log-prob, scored tokens, null tokens,
 * skipped first token, start token, uncovered tail], trailing nulls left out. Its text is the item's own sentence or
 * option and its score exp(mean log-prob), so neither is stored again: read back, it is the ScoredSentence or
 * ScoredOption the step computed, value for value.
 */
export const packedTextSchema = z.tuple([z.number(), z.number().int().nonnegative(), z.number().int().nonnegative()], z.string().nullable());
export type PackedText = z.infer<typeof packedTextSchema>;

function pack(mean: number, tokens: number, nulls: number, extra: (string | null | undefined)[]): PackedText {
  const tail = extra.map((x) => x ?? null);
  while (tail.length > 0 && tail[tail.length - 1] === null) tail.pop();
  return [mean, tokens, nulls, ...tail];
}

export const packSentence = (s: ScoredSentence): PackedText => pack(s.meanLogprob, s.scoredTokens, s.nullTokens, [s.skippedFirstToken, s.startToken]);
export const packOption = (o: ScoredOption): PackedText => pack(o.meanLogprob, o.tokens, o.nullTokens, [null, o.startToken, o.uncoveredTail]);

export function unpackSentence(text: string, p: PackedText): ScoredSentence {
  const [meanLogprob, scoredTokens, nullTokens, first = null, start = null] = p;
  return { text, score: Math.exp(meanLogprob), meanLogprob, scoredTokens, skippedFirstToken: first, nullTokens, ...(start ? { startToken: start } : {}) };
}

export function unpackOption(text: string, p: PackedText): ScoredOption {
  const [meanLogprob, tokens, nullTokens, , start = null, tail = null] = p;
  return { text, meanLogprob, tokens, nullTokens, ...(start ? { startToken: start } : {}), ...(tail ? { uncoveredTail: tail } : {}) };
}

/** The packed summaries of an item, one per sentence or option, that must match their texts in number. */
export function unpackAll<T>(texts: readonly string[], packed: readonly PackedText[], unpack: (text: string, p: PackedText) => T, what: string): T[] {
  if (packed.length !== texts.length) throw new Error(`${what}: ${packed.length} stored scores for ${texts.length} texts`);
  return texts.map((t, k) => unpack(t, packed[k]));
}

/** A stored item record through its schema; what does not fit says where, never passed on as a cast. */
export function parseItemData<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new Error(`${what}: the stored item record does not fit: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** What a sentence or option of an item that the step stored before the packed summaries holds (the step's own objects). */
export const legacySentence = z.object({
  text: z.string(),
  score: z.number(),
  meanLogprob: z.number().optional(),
  scoredTokens: z.number().optional(),
  skippedFirstToken: z.string().nullable().optional(),
  nullTokens: z.number().optional(),
  startToken: z.string().nullable().optional(),
});
export const legacyOption = z.object({
  text: z.string(),
  meanLogprob: z.number(),
  tokens: z.number().optional(),
  nullTokens: z.number().optional(),
  startToken: z.string().nullable().optional(),
  uncoveredTail: z.string().optional(),
});
