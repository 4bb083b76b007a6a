// Log-likelihood of given text through the completions endpoint: `echo: true, logprobs: 1, max_tokens: 1`
// (the lm-evaluation-harness local-completions protocol). The prompt is context + continuation. The echoed tokens
// are aligned to the prompt by their text (token-alignment.ts), never by raw `text_offset`: a start token the
// server adds is not part of the text, and the first word after it is scored (METRICS.md §2). A token that
// starts at or after the context's end belongs to the continuation (the harness rule); tokens after the prompt,
// or running past its end, are generated ones and never scored. As in the harness, trailing whitespace of the
// context is moved to the continuation first ("The cat " + "sat" → "The cat" + " sat").

import { endpointKey, type Endpoint } from "./endpoint";
import { LlmError } from "./errors";
import { callEndpoint, malformed, type CallOptions } from "./request";
import { alignTokens, byteOffset } from "./token-alignment";

export interface ContinuationPair {
  context: string;
  continuation: string;
}

export interface ContinuationLogprobs {
  /** Continuation tokens that have a log-prob (parallel to `logprobs`). */
  tokens: string[];
  logprobs: number[];
  /** Tokens of the context (after moving its trailing whitespace to the continuation). */
  contextTokenCount: number;
  /** The first continuation token came back with a null log-prob (empty context) and is not in `tokens`. */
  firstTokenNull: boolean;
  /** Later continuation tokens that came back with a null log-prob: not in `tokens`, so not scored. */
  nullTokens: number;
  /** A token starts exactly at the context/continuation boundary (false: a token straddles it). */
  boundaryAligned: boolean;
  /** Every continuation token was the top-1 token (null when the server gave no top_logprobs). */
  isGreedy: boolean | null;
  /** The start token the server echoed before the text (not scored), if any. */
  startToken: string | null;
  /** Why the tokens could not be aligned to the text: the text must not be scored (the rest is empty). */
  unaligned: string | null;
  /** Continuation characters at the end that a generated token ran over (not scored), e.g. a trailing space. */
  uncoveredTail: string;
}

export interface SentenceLogprobs {
  /** Scored tokens (the first token has no log-prob and is not included). */
  tokens: string[];
  logprobs: number[];
  /** The first token, whose log-prob the server reports as null (METRICS.md §2): skipped, reported here. */
  skippedFirstToken: string | null;
  /** Later tokens the server gave no log-prob: not scored, counted so that the run can say so. */
  nullTokens: number;
  /** Sum and mean of `logprobs` (mean is null when nothing was scored). */
  sum: number;
  mean: number | null;
  startToken: string | null;
  /** Why the tokens could not be aligned to the sentence: it must not be scored. */
  unaligned: string | null;
}

export interface LoglikelihoodOptions extends CallOptions {
  /** Prompts per request (an array `prompt`); default 16. */
  batchSize?: number;
}

/** Endpoints that refused an array `prompt`. */
const noPromptArrays = new Set<string>();

/** An array prompt answered with fewer choices than prompts: the server read one prompt of the array only. */
class FewerChoicesThanPrompts extends LlmError {}

interface EchoLogprobs {
  tokens: string[];
  tokenLogprobs: (number | null)[];
  topLogprobs: (Record<string, number> | null)[] | null;
}

export async function continuationLogprobs(endpoint: Endpoint, pairs: ContinuationPair[], opts: LoglikelihoodOptions = {}): Promise<ContinuationLogprobs[]> {
  const prepared = pairs.map(({ context, continuation }) => {
    const trailing = /\s+$/.exec(context)?.[0] ?? "";
    return { context: context.slice(0, context.length - trailing.length), continuation: trailing + continuation };
  });
  const prompts = prepared.map((p) => p.context + p.continuation);
  const echoed = await echoPrompts(endpoint, prompts, opts);
  return echoed.map((e, i) => splitAtBoundary(e, prompts[i], prepared[i].context.length));
}

export async function sentenceLogprobs(endpoint: Endpoint, sentences: string[], opts: LoglikelihoodOptions = {}): Promise<SentenceLogprobs[]> {
  const echoed = await echoPrompts(endpoint, sentences, opts);
  return echoed.map((e, i) => {
    const r = splitAtBoundary(e, sentences[i], 0);
    // After a start token the first word has a log-prob and is scored; without one it comes back null: skipped.
    const sum = r.logprobs.reduce((s, x) => s + x, 0);
    return {
      tokens: r.tokens,
      logprobs: r.logprobs,
      skippedFirstToken: r.firstTokenNull ? r.firstToken : null,
      nullTokens: r.nullTokens,
      sum,
      mean: r.logprobs.length ? sum / r.logprobs.length : null,
      startToken: r.startToken,
      unaligned:
        r.unaligned ?? (r.uncoveredTail.trim() ? `a generated token ran over the sentence's last characters ${JSON.stringify(r.uncoveredTail)}` : null),
    };
  });
}

/** Splits the echoed tokens of `prompt` at character `boundary`: context before, scored continuation after. */
export function splitAtBoundary(e: EchoLogprobs, prompt: string, boundary: number): ContinuationLogprobs & { firstToken: string | null } {
  const out = {
    tokens: [] as string[],
    logprobs: [] as number[],
    contextTokenCount: 0,
    firstTokenNull: false,
    nullTokens: 0,
    boundaryAligned: boundary === 0,
    isGreedy: e.topLogprobs ? (true as boolean | null) : null,
    startToken: null as string | null,
    unaligned: null as string | null,
    uncoveredTail: "",
    firstToken: null as string | null,
  };
  const a = alignTokens(e.tokens, prompt, e.tokenLogprobs);
  if (!a.ok) return { ...out, unaligned: a.reason };
  out.startToken = a.startTokens.length ? a.startTokens.join("") : null;
  out.uncoveredTail = a.uncoveredTail;
  const b = byteOffset(prompt, boundary);
  let firstCont = true;
  for (const t of a.tokens) {
    if (t.start < b) {
      out.contextTokenCount++;
      continue;
    }
    if (t.start === b) out.boundaryAligned = true;
    const text = e.tokens[t.index];
    const lp = e.tokenLogprobs[t.index];
    if (firstCont) out.firstToken = text;
    if (lp === null || lp === undefined) {
      // Only the very first token of the prompt has no log-prob by nature (nothing before it conditions it).
      if (firstCont && t.index === 0) out.firstTokenNull = true;
      else out.nullTokens++;
      firstCont = false;
      continue;
    }
    firstCont = false;
    out.tokens.push(text);
    out.logprobs.push(lp);
    if (out.isGreedy && e.topLogprobs) {
      const top = e.topLogprobs[t.index];
      if (top) {
        const best = Object.entries(top).reduce((x, y) => (y[1] > x[1] ? y : x), ["", -Infinity] as [string, number]);
        if (best[0] !== text && best[1] > lp) out.isGreedy = false;
      }
    }
  }
  return out;
}

async function echoPrompts(endpoint: Endpoint, prompts: string[], opts: LoglikelihoodOptions): Promise<EchoLogprobs[]> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 16));
  const key = endpointKey(endpoint);
  const results: EchoLogprobs[] = new Array(prompts.length);
  const chunks: number[][] = [];
  for (let i = 0; i < prompts.length; i += batchSize) chunks.push(Array.from({ length: Math.min(batchSize, prompts.length - i) }, (_, j) => i + j));

  const runSingles = (idx: number[]) =>
    Promise.all(
      idx.map(async (i) => {
        results[i] = (await echoRequest(endpoint, [prompts[i]], opts))[0];
      }),
    );

  await Promise.all(
    chunks.map(async (idx) => {
      if (idx.length === 1 || noPromptArrays.has(key)) return runSingles(idx);
      try {
        const r = await echoRequest(
          endpoint,
          idx.map((i) => prompts[i]),
          opts,
        );
        idx.forEach((i, j) => (results[i] = r[j]));
      } catch (err) {
        // A 400 on an array prompt: try one prompt per request; if that works, arrays were the problem.
        if (!(err instanceof LlmError) || !(err.kind === "bad_request" || err instanceof FewerChoicesThanPrompts)) throw err;
        await runSingles(idx);
        noPromptArrays.add(key);
      }
    }),
  );
  return results;
}

async function echoRequest(endpoint: Endpoint, prompts: string[], opts: CallOptions): Promise<EchoLogprobs[]> {
  const op = "log-likelihood (completions with echo)";
  const { value } = await callEndpoint(
    endpoint,
    op,
    async ({ client, requestOptions }) => {
      const res = await client.completions.create(
        { model: endpoint.modelId, prompt: prompts.length === 1 ? prompts[0] : prompts, echo: true, logprobs: 1, max_tokens: 1, temperature: 0, stream: false },
        requestOptions,
      );
      if (!res || !Array.isArray(res.choices)) throw malformed(op, endpoint, "no choices");
      if (res.choices.length < prompts.length) {
        const e = malformed(op, endpoint, `${res.choices.length} choices for ${prompts.length} prompts`);
        throw new FewerChoicesThanPrompts(e.message, { kind: e.kind, retryable: e.retryable });
      }
      return res;
    },
    opts,
  );
  const byIndex = new Map<number, (typeof value.choices)[number]>();
  value.choices.forEach((c, pos) => byIndex.set(typeof c.index === "number" ? c.index : pos, c));
  return prompts.map((_prompt, i) => {
    const c = byIndex.get(i);
    const lp = c?.logprobs;
    if (!lp || !Array.isArray(lp.token_logprobs) || !Array.isArray(lp.tokens) || lp.tokens.length === 0) {
      throw new LlmError(
        `completions with echo returned no token_logprobs at ${endpoint.baseUrl}: this endpoint cannot score given text (log-likelihood benchmarks need a vLLM or llama.cpp-style server)`,
        { kind: "unsupported", retryable: false },
      );
    }
    return {
      tokens: lp.tokens,
      tokenLogprobs: lp.token_logprobs as (number | null)[],
      topLogprobs: Array.isArray(lp.top_logprobs) ? (lp.top_logprobs as (Record<string, number> | null)[]) : null,
    };
  });
}
