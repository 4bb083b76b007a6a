// Shared pieces of the engine-faithful test servers (tests only): the request/reply types, the tiny tokenizer's
// token ids, deterministic generation counted in model tokens (not words), and prompt/continuation scoring.
// Everything is built on tests/server/language-model.ts, so tests can compute the expected values with the same
// functions (`scoreTokens(srv.model, …)`, `lmTokens`, `embedText`).

import type { IncomingHttpHeaders } from "node:http";
import { embedText, hash32, lastTokenKey, lmTokens, sampleText, scoreTokens, type ModelConfig, type TokenLogprobs } from "../language-model";

export type Json = Record<string, unknown>;

export interface EngineRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw request body (engines parse it themselves: each refuses bad JSON its own way). */
  raw: string;
}

export interface EngineReply {
  status: number;
  /** A JSON value, a string (sent as is) or null (no body at all, as axum's bare status codes). */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export const jsonReply = (status: number, body: unknown, contentType = "application/json"): EngineReply => ({ status, body, contentType });
export const textReply = (status: number, text: string, contentType = "text/plain; charset=utf-8"): EngineReply => ({ status, body: text, contentType });
export const emptyReply = (status: number): EngineReply => ({ status, body: null });

/** Thrown by an engine handler to answer with a finished reply (its own error shape and status). */
export class EngineReplyError extends Error {
  constructor(readonly reply: EngineReply) {
    super(`engine reply ${reply.status}`);
  }
}

export interface EngineContext {
  /** The tiny model behind the served name (its `id` is the served name; noise and seeds depend on it). */
  model: ModelConfig;
  /** The tokenizer's start token (`<s>`, `<|begin_of_text|>`, `<bos>`) or null when the tokenizer adds none. */
  startToken: string | null;
  /** Tokenizer option: a prompt's trailing whitespace is merged into the first generated token (echo with generation). */
  mergeTrailingSpace: boolean;
  embeddings: boolean;
  apiKey: string | undefined;
  /** Per-(model, prompt, temperature, top_p) request counter: the seed of unseeded sampling (as server.ts does). */
  requestCounts: Map<string, number>;
  nextId(): number;
}

/** The key a start token conditions the first prompt token on (no bigram starts there: a unigram estimate). */
export const START_TOKEN_KEY = "\u0000bos";

const SPECIAL_IDS: Record<string, number> = { "<s>": 1, "</s>": 2, "<bos>": 2, "<eos>": 1, "<|begin_of_text|>": 128000, "<|end_of_text|>": 128001 };

/** A stable vocabulary id for a tiny-tokenizer piece (ids only matter where engines expose them). */
export function tokenId(token: string): number {
  return SPECIAL_IDS[token] ?? 259 + (hash32(token) % 31000);
}

export function utf8Bytes(s: string): number[] {
  return [...Buffer.from(s, "utf8")];
}

// ---------------------------------------------------------------- prompt tokens and their log-probs

export interface ScoredTokens {
  tokens: string[];
  logprobs: (number | null)[];
  /** The best alternative at each position, when the tiny model knows one that beats the actual token. */
  alternatives: ({ token: string; logprob: number } | null)[];
}

function fromScore(s: TokenLogprobs): ScoredTokens {
  return {
    tokens: [...s.tokens],
    logprobs: [...s.token_logprobs],
    alternatives: s.tokens.map((tok, i) => {
      const top = s.top_logprobs[i];
      if (!top) return null;
      const [k, v] = Object.entries(top)[0];
      // the tiny model counts "The" and " the" as one word: that is no alternative to the actual token
      return k.trim().toLowerCase() === tok.trim().toLowerCase() ? null : { token: k, logprob: v };
    }),
  };
}

/**
 * The prompt as the engine's tokenizer sees it: the start token first (null log-prob, nothing before it), then the
 * prompt's pieces; the first piece is conditioned on the start token, or has a null log-prob without one.
 * With `dropTrailingSpace` the prompt's trailing whitespace is left out (it goes to the first generated token).
 */
export function promptTokens(ctx: EngineContext, prompt: string, dropTrailingSpace = false): ScoredTokens {
  const text = dropTrailingSpace ? prompt.replace(/\s+$/, "") : prompt;
  if (ctx.startToken === null) return fromScore(scoreTokens(ctx.model, text, 0));
  const rest = fromScore(scoreTokens(ctx.model, text, ctx.startToken.length, START_TOKEN_KEY, false));
  return {
    tokens: [ctx.startToken, ...rest.tokens],
    logprobs: [null, ...rest.logprobs],
    alternatives: [null, ...rest.alternatives],
  };
}

/** Log-probs of a continuation (`prefix` is the prompt, or the prompt without the whitespace moved into `text`). */
export function continuationTokens(ctx: EngineContext, prefix: string, text: string): ScoredTokens {
  const prev = lastTokenKey(prefix) ?? (ctx.startToken !== null ? START_TOKEN_KEY : null);
  return fromScore(scoreTokens(ctx.model, text, prefix.length, prev, false));
}

export function countPromptTokens(ctx: EngineContext, text: string): number {
  return lmTokens(text).length + (ctx.startToken !== null ? 1 : 0);
}

// ---------------------------------------------------------------- generation

export interface GenParams {
  temperature: number;
  topP: number;
  seed?: number;
  /** Model tokens (lmTokens), as engines count them; undefined: until the model ends the text. */
  maxTokens?: number;
  stop: string[];
  /** TGI keeps the stop sequence in the generated text; the others cut it. */
  keepStop?: boolean;
}

export interface Generated {
  text: string;
  tokens: string[];
  finish: "length" | "stop" | "eos";
  stopMatched: string | null;
}

/**
 * One sample continuing `prompt` (a space first unless the prompt ends in whitespace, as a tokenizer's " word"
 * pieces do), cut at the first stop sequence, then at `maxTokens` model tokens. Temperature 0 gives one fixed text
 * per (model, prompt); a seed makes sampling repeatable; without one the request count takes the seed's place.
 */
export function generate(ctx: EngineContext, prompt: string, seedBase: string, p: GenParams, sampleIndex: number, continuation: boolean): Generated {
  const counterKey = `${ctx.model.id}|${seedBase}|${p.temperature}|${p.topP}|${sampleIndex}`;
  const requestNo = (ctx.requestCounts.get(counterKey) ?? 0) + 1;
  ctx.requestCounts.set(counterKey, requestNo);
  const seedKey =
    p.temperature === 0
      ? `${ctx.model.id}|${seedBase}|greedy`
      : `${ctx.model.id}|${seedBase}|${p.seed !== undefined ? `s${p.seed}` : `r${requestNo}`}|${sampleIndex}|${p.temperature}|${p.topP}`;
  const lead = !continuation || prompt === "" || /\s$/.test(prompt) ? "" : " ";
  let text = lead + sampleText(ctx.model, { temperature: p.temperature, topP: p.topP, seedKey, prompt, continuation });
  let stopMatched: string | null = null;
  let cutAt = -1;
  for (const s of p.stop) {
    const i = text.indexOf(s);
    if (s.length > 0 && i >= 0 && (cutAt < 0 || i < cutAt)) {
      cutAt = i;
      stopMatched = s;
    }
  }
  if (cutAt >= 0) text = text.slice(0, cutAt + (p.keepStop ? stopMatched!.length : 0));
  const tokens = lmTokens(text);
  if (p.maxTokens !== undefined && tokens.length >= p.maxTokens) {
    // an engine stops on the length limit as soon as it has produced max_tokens tokens (before any EOS / stop string)
    const kept = tokens.slice(0, p.maxTokens);
    return { text: kept.join(""), tokens: kept, finish: "length", stopMatched: null };
  }
  return { text, tokens, finish: stopMatched !== null ? "stop" : "eos", stopMatched };
}

/** A chat rendered as a plain template (the tiny models have no chat template; engines differ here anyway). */
export function renderChat(messages: { role: string; content: string }[]): { prompt: string; lastUser: string } {
  const prompt = messages.map((m) => `${m.role}: ${m.content}`).join("\n") + "\nassistant:";
  const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content ?? messages[messages.length - 1]?.content ?? "";
  return { prompt, lastUser };
}

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && typeof (p as Json).text === "string" ? ((p as Json).text as string) : "")).join("");
  }
  return "";
}

export function embedding(ctx: EngineContext, text: string, base64: boolean): number[] | string {
  const v = embedText(ctx.model, text);
  return base64 ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v;
}

export function randomHex(ctx: EngineContext, length = 32): string {
  let out = "";
  let i = 0;
  while (out.length < length) out += hash32(`${ctx.model.id}|id|${ctx.nextId()}|${i++}`).toString(16).padStart(8, "0");
  return out.slice(0, length);
}

/** A small deterministic number in [0, mod) per call (Ollama's ids are "cmpl-" + rand.Intn(999)). */
export function hashIndex(ctx: EngineContext, mod: number): number {
  return hash32(`${ctx.model.id}|n|${ctx.nextId()}`) % mod;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Python's str() of a float as pydantic would hold it (vLLM messages print floats as 1.0, not 1). */
export function pyFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}
