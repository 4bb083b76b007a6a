// Shared pieces of the log-likelihood steps: one request per item (its sentences or options as an array prompt),
// attempts counted, and the per-option summary kept on the item.
import { LlmError } from "@/lib/llm/errors";
import { continuationLogprobs, sentenceLogprobs } from "@/lib/llm/loglikelihood";
import { sentenceScore } from "@/lib/metrics/stereoset";
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
