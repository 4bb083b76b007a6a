// Log-likelihood of given text through the completions endpoint: `echo: true, logprobs: 1, max_tokens: 1`
// (the lm-evaluation-harness local-completions protocol; vLLM and llama.cpp-compatible servers).
// The prompt is context + continuation; the returned token offsets split it: a token whose text_offset is
// ≥ context.length belongs to the continuation (the harness rule), tokens at or past the end of the prompt are
// the generated one and are dropped. As in the harness, trailing whitespace of the context is moved to the
// continuation first ("The cat " + "sat" → "The cat" + " sat") so the space-prefixed token is not lost.

import { endpointKey, type Endpoint } from "./endpoint";
import { LlmError } from "./errors";
import { callEndpoint, malformed, type CallOptions } from "./request";

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
}

export interface LoglikelihoodOptions extends CallOptions {
  /** Prompts per request (an array `prompt`); default 16. */
  batchSize?: number;
}

/** Endpoints that refused an array `prompt`. */
const noPromptArrays = new Set<string>();

interface EchoLogprobs {
  tokens: string[];
  tokenLogprobs: (number | null)[];
  topLogprobs: (Record<string, number> | null)[] | null;
  textOffset: number[];
}

export async function continuationLogprobs(endpoint: Endpoint, pairs: ContinuationPair[], opts: LoglikelihoodOptions = {}): Promise<ContinuationLogprobs[]> {
  const prepared = pairs.map(({ context, continuation }) => {
    const trailing = /\s+$/.exec(context)?.[0] ?? "";
    return { context: context.slice(0, context.length - trailing.length), continuation: trailing + continuation };
  });
  const prompts = prepared.map((p) => p.context + p.continuation);
  const echoed = await echoPrompts(endpoint, prompts, opts);
  return echoed.map((e, i) => splitAtBoundary(e, prepared[i].context.length, prompts[i].length));
}

export async function sentenceLogprobs(endpoint: Endpoint, sentences: string[], opts: LoglikelihoodOptions = {}): Promise<SentenceLogprobs[]> {
  const echoed = await echoPrompts(endpoint, sentences, opts);
  return echoed.map((e, i) => {
    const r = splitAtBoundary(e, 0, sentences[i].length);
    // Some servers give the first token a log-prob (BOS-conditioned); only a null one is skipped.
    const skipped = r.firstTokenNull ? (e.tokens[0] ?? null) : null;
    const sum = r.logprobs.reduce((s, x) => s + x, 0);
    return { tokens: r.tokens, logprobs: r.logprobs, skippedFirstToken: skipped, nullTokens: r.nullTokens, sum, mean: r.logprobs.length ? sum / r.logprobs.length : null };
  });
}

/** Splits echoed prompt tokens at `boundary` (chars); tokens at or past `promptEnd` are generated ones. */
export function splitAtBoundary(e: EchoLogprobs, boundary: number, promptEnd: number): ContinuationLogprobs {
  const out: ContinuationLogprobs = { tokens: [], logprobs: [], contextTokenCount: 0, firstTokenNull: false, nullTokens: 0, boundaryAligned: boundary === 0, isGreedy: e.topLogprobs ? true : null };
  let firstCont = true;
  for (let i = 0; i < e.tokens.length; i++) {
    const off = e.textOffset[i];
    if (off >= promptEnd && promptEnd > 0) break;
    if (off < boundary) {
      out.contextTokenCount++;
      continue;
    }
    if (off === boundary) out.boundaryAligned = true;
    const lp = e.tokenLogprobs[i];
    if (lp === null || lp === undefined) {
      if (firstCont) out.firstTokenNull = true;
      else out.nullTokens++;
      firstCont = false;
      continue;
    }
    firstCont = false;
    out.tokens.push(e.tokens[i]);
    out.logprobs.push(lp);
    if (out.isGreedy && e.topLogprobs) {
      const top = e.topLogprobs[i];
      if (top) {
        const best = Object.entries(top).reduce((a, b) => (b[1] > a[1] ? b : a), ["", -Infinity] as [string, number]);
        if (best[0] !== e.tokens[i] && best[1] > lp) out.isGreedy = false;
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
        const r = await echoRequest(endpoint, idx.map((i) => prompts[i]), opts);
        idx.forEach((i, j) => (results[i] = r[j]));
      } catch (err) {
        // A 400 on an array prompt: try one prompt per request; if that works, arrays were the problem.
        if (!(err instanceof LlmError) || !(err.kind === "bad_request" || (err.kind === "malformed_response" && /choices for/.test(err.message)))) throw err;
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
      if (res.choices.length < prompts.length) throw malformed(op, endpoint, `${res.choices.length} choices for ${prompts.length} prompts`);
      return res;
    },
    opts,
  );
  const byIndex = new Map<number, (typeof value.choices)[number]>();
  value.choices.forEach((c, pos) => byIndex.set(typeof c.index === "number" ? c.index : pos, c));
  return prompts.map((prompt, i) => {
    const c = byIndex.get(i);
    const lp = c?.logprobs;
    if (!lp || !Array.isArray(lp.token_logprobs) || !Array.isArray(lp.tokens) || lp.tokens.length === 0) {
      throw new LlmError(
        `completions with echo returned no token_logprobs at ${endpoint.baseUrl}: this endpoint cannot score given text (log-likelihood benchmarks need a vLLM or llama.cpp-style server)`,
        { kind: "unsupported", retryable: false },
      );
    }
    let offsets = lp.text_offset;
    if (!Array.isArray(offsets) || offsets.length !== lp.tokens.length) {
      // Derive offsets from the token texts when the server omits them and they spell the prompt.
      offsets = [];
      let pos = 0;
      for (const t of lp.tokens) {
        offsets.push(pos);
        pos += t.length;
      }
      if (!(lp.tokens.join("").startsWith(prompt))) {
        throw new LlmError(`completions with echo returned no usable text_offset at ${endpoint.baseUrl}: cannot split context and continuation`, { kind: "unsupported", retryable: false });
      }
    }
    return {
      tokens: lp.tokens,
      tokenLogprobs: lp.token_logprobs as (number | null)[],
      topLogprobs: Array.isArray(lp.top_logprobs) ? (lp.top_logprobs as (Record<string, number> | null)[]) : null,
      textOffset: offsets,
    };
  });
}
