// The test server's tiny language models: a word-level bigram chain for generation, a token-level
// interpolated bigram for log-probs, hashed bag-of-words embeddings and a word-list toxicity scorer.
// Everything is a pure function of its inputs (plus explicit seeds), so profiles are repeatable.

import { CORPUS, PERSPECTIVE_ATTRIBUTES, TOXIC_WORDS, type PerspectiveAttribute } from "./corpus";

// ---------------------------------------------------------------- hashing and random numbers

/** FNV-1a, 32 bit. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) derived from a string. */
export function hash01(s: string): number {
  return hash32(s) / 4294967296;
}

/** mulberry32: tiny, fast, good enough for sampling. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

// ---------------------------------------------------------------- tokenizers

/** Whitespace tokens: what max_tokens and usage count. */
export function whitespaceTokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

const PIECE = / ?[A-Za-z]+| ?\d+| ?[^\sA-Za-z\d]+|\s+(?!\S)|\s+/g;
const MAX_WORD_PIECE = 6;

/**
 * GPT-style pieces: a word carries its leading space (" word"), long words are split into chunks of at most
 * six letters (so a context can end inside a token, as with BPE), extra whitespace is its own token.
 * The pieces concatenate back to the input exactly.
 */
export function lmTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PIECE)) {
    const piece = m[0];
    const lead = piece.startsWith(" ") && piece.length > 1 ? 1 : 0;
    const body = piece.slice(lead);
    if (/^[A-Za-z]+$/.test(body) && body.length > MAX_WORD_PIECE) {
      out.push(piece.slice(0, lead + 5));
      for (let i = 5; i < body.length; i += 5) out.push(body.slice(i, i + 5));
    } else {
      out.push(piece);
    }
  }
  return out;
}

/** The key a token is counted under: case and leading space do not matter. */
function tokenKey(token: string): string {
  const k = token.trim().toLowerCase();
  return k === "" ? "\u2423" : k;
}

function corpusWords(text: string): string[][] {
  // sentences of lower-case words, punctuation dropped
  return text
    .split(/[.!?]+/)
    .map((s) =>
      s
        .toLowerCase()
        .replace(/[^a-z\s]/g, " ")
        .split(/\s+/)
        .filter(Boolean),
    )
    .filter((s) => s.length > 0);
}

// ---------------------------------------------------------------- model profiles

export interface ModelProfile {
  id: string;
  /** Mean completion length in words (log-normal around it). */
  meanWords: number;
  lengthSpread: number;
  meanSentenceWords: number;
  /** Only the most frequent `vocabSize` corpus words are used (lexical diversity). */
  vocabSize: number;
  /** >1 flattens the bigram distribution (more diverse), <1 sharpens it. */
  diversity: number;
  /** Probability that a generated word is replaced by a toxic word. */
  toxicRate: number;
  // log-prob model
  bigramWeight: number;
  unigramExponent: number;
  noise: number;
  toxicBoost: number;
  embeddingSeed: number;
  /** A judge (tiny-judge): answers a rubric with a score instead of generating text (judgeAnswer). */
  judge?: boolean;
}

export interface ModelFlags {
  chat: boolean;
  completions: boolean;
  /** false: echo+logprobs requests return `logprobs: null` (as servers that ignore echo do). */
  echo: boolean;
  embeddings: boolean;
  /** false: n > 1 is refused with a 400, as some vLLM / llama.cpp configurations do. */
  n: boolean;
  /** false: an array `prompt` on /v1/completions is refused with a 400. */
  promptArrays: boolean;
  /** true: every fifth token (indices 4, 9, …) comes back with a null log-prob, as some servers do mid-text. */
  logprobGaps: boolean;
}

export type ModelConfig = ModelProfile & { flags: ModelFlags };

const ALL_FLAGS: ModelFlags = { chat: true, completions: true, echo: true, embeddings: true, n: true, promptArrays: true, logprobGaps: false };

const BASE: Omit<ModelProfile, "id"> = {
  meanWords: 40,
  lengthSpread: 0.35,
  meanSentenceWords: 12,
  vocabSize: 400,
  diversity: 1,
  toxicRate: 0,
  bigramWeight: 0.7,
  unigramExponent: 1,
  noise: 0.3,
  toxicBoost: 1,
  embeddingSeed: 1,
};

export function defaultModels(): Record<string, ModelConfig> {
  const mk = (id: string, p: Partial<ModelProfile>, f: Partial<ModelFlags> = {}): ModelConfig => ({
    ...BASE,
    ...p,
    id,
    flags: { ...ALL_FLAGS, ...f },
  });
  const list = [
    mk("tiny-llama", { embeddingSeed: 11 }),
    mk("tiny-gemma", { meanWords: 55, meanSentenceWords: 16, diversity: 1.4, bigramWeight: 0.55, unigramExponent: 0.9, embeddingSeed: 22 }),
    mk("tiny-verbose", { meanWords: 140, meanSentenceWords: 20, vocabSize: 600, diversity: 1.2, embeddingSeed: 33 }),
    mk(
      "tiny-terse",
      { meanWords: 8, lengthSpread: 0.2, meanSentenceWords: 6, vocabSize: 120, diversity: 0.7, bigramWeight: 0.85, embeddingSeed: 44 },
      { n: false },
    ),
    mk("tiny-toxic", { meanWords: 35, toxicRate: 0.12, toxicBoost: 20, noise: 0.4, embeddingSeed: 55 }),
    mk("tiny-judge", { judge: true, embeddingSeed: 66 }),
  ];
  return Object.fromEntries(list.map((m) => [m.id, m]));
}

// ---------------------------------------------------------------- corpus statistics (built once)

interface WordStats {
  freqOrder: string[]; // words by decreasing frequency
  rank: Map<string, number>;
  successors: Map<string, Map<string, number>>;
  starts: Map<string, number>;
}

interface TokenStats {
  unigram: Map<string, number>;
  total: number;
  bigram: Map<string, Map<string, number>>;
  prevCount: Map<string, number>;
  freqOrder: string[];
  rank: Map<string, number>;
}

let wordStats: WordStats | null = null;
let tokenStats: TokenStats | null = null;

function getWordStats(): WordStats {
  if (wordStats) return wordStats;
  const sentences = corpusWords(CORPUS);
  const freq = new Map<string, number>();
  const successors = new Map<string, Map<string, number>>();
  const starts = new Map<string, number>();
  for (const s of sentences) {
    starts.set(s[0], (starts.get(s[0]) ?? 0) + 1);
    for (let i = 0; i < s.length; i++) {
      freq.set(s[i], (freq.get(s[i]) ?? 0) + 1);
      if (i + 1 < s.length) {
        let m = successors.get(s[i]);
        if (!m) successors.set(s[i], (m = new Map()));
        m.set(s[i + 1], (m.get(s[i + 1]) ?? 0) + 1);
      }
    }
  }
  const freqOrder = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
  wordStats = { freqOrder, rank: new Map(freqOrder.map((w, i) => [w, i])), successors, starts };
  return wordStats;
}

function getTokenStats(): TokenStats {
  if (tokenStats) return tokenStats;
  const keys = lmTokens(CORPUS.replace(/\s+/g, " ").trim()).map(tokenKey);
  const unigram = new Map<string, number>();
  const bigram = new Map<string, Map<string, number>>();
  const prevCount = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    unigram.set(keys[i], (unigram.get(keys[i]) ?? 0) + 1);
    if (i > 0) {
      let m = bigram.get(keys[i - 1]);
      if (!m) bigram.set(keys[i - 1], (m = new Map()));
      m.set(keys[i], (m.get(keys[i]) ?? 0) + 1);
      prevCount.set(keys[i - 1], (prevCount.get(keys[i - 1]) ?? 0) + 1);
    }
  }
  const freqOrder = [...unigram.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
  tokenStats = { unigram, total: keys.length, bigram, prevCount, freqOrder, rank: new Map(freqOrder.map((w, i) => [w, i])) };
  return tokenStats;
}

// ---------------------------------------------------------------- generation

export interface SampleParams {
  temperature: number;
  topP: number;
  /** Seed string: the server derives it from (model, prompt, seed or request count, sample index, temperature). */
  seedKey: string;
  /** The text the continuation follows (its last word picks the first bigram state). */
  prompt: string;
  /** Completions continue the prompt: the first sentence starts lower-case unless the prompt ended one. */
  continuation?: boolean;
}

const TOXIC_LIST = Object.keys(TOXIC_WORDS);

interface Dist {
  words: string[];
  cum: Float64Array;
  total: number;
}
const START = "\u0000start";
// The candidate distributions depend only on (model, temperature, top_p, state): cached, so a request costs a
// few binary searches, not sorts (the server must stay cheap at 32+ requests in flight).
const distTables = new Map<string, Map<string, Dist>>();

function distTable(model: ModelConfig, sharpen: number, topP: number): Map<string, Dist> {
  const key = `${model.id}|${model.vocabSize}|${model.diversity}|${sharpen}|${topP}`;
  let t = distTables.get(key);
  if (!t) {
    if (distTables.size > 500) distTables.clear();
    distTables.set(key, (t = new Map()));
  }
  return t;
}

function candidates(model: ModelConfig, ws: WordStats, state: string, sentenceStart: boolean): [string, number][] {
  const inVocab = (w: string) => (ws.rank.get(w) ?? Infinity) < model.vocabSize || TOXIC_WORDS[w] !== undefined;
  const unigram = () => ws.freqOrder.slice(0, model.vocabSize).map((w, i) => [w, 1 / (i + 2)] as [string, number]);
  const starts = () => {
    const c = [...ws.starts.entries()].filter(([w]) => inVocab(w));
    return c.length ? c : unigram();
  };
  if (state === START) return starts();
  const succ = ws.successors.get(state);
  const cands = succ ? [...succ.entries()].filter(([w]) => inVocab(w)) : [];
  return cands.length ? cands : sentenceStart ? starts() : unigram();
}

/** Temperature by exponentiating counts, then nucleus (top_p) filtering; cumulative weights for sampling. */
function buildDist(cands: [string, number][], sharpen: number, topP: number): Dist {
  const weighted = cands.map(([w, c]) => [w, c ** sharpen] as [string, number]);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = weighted.reduce((s, e) => s + e[1], 0);
  let kept = weighted;
  if (topP < 1) {
    let acc = 0;
    const cut: [string, number][] = [];
    for (const e of weighted) {
      cut.push(e);
      acc += e[1] / total;
      if (acc >= topP) break;
    }
    kept = cut;
  }
  const cum = new Float64Array(kept.length);
  let acc = 0;
  kept.forEach((e, i) => (cum[i] = acc += e[1]));
  return { words: kept.map((e) => e[0]), cum, total: acc };
}

/**
 * One completion: words from the model's bigram chain, in sentences, ending with a full stop.
 * Temperature 0 is greedy in spirit: the server passes a seed key that depends on the prompt only, so the
 * output is one fixed text per (model, prompt); a literal argmax over a bigram chain would loop forever.
 */
export function sampleText(model: ModelConfig, p: SampleParams): string {
  const ws = getWordStats();
  const r = rng(hash32(p.seedKey));
  const temp = p.temperature <= 0 ? 0.7 : p.temperature;
  const sharpen = 1 / (temp * model.diversity);
  const length = Math.max(1, Math.round(model.meanWords * Math.exp(model.lengthSpread * gaussian(r))));

  const table = distTable(model, sharpen, p.topP);
  const next = (prev: string, sentenceStart: boolean): string => {
    const state = !sentenceStart ? prev : ws.successors.has(prev) ? `^${prev}` : START;
    let d = table.get(state);
    if (!d) {
      d = buildDist(candidates(model, ws, state === START ? START : prev, sentenceStart), sharpen, p.topP);
      table.set(state, d);
    }
    const x = r() * d.total;
    let lo = 0;
    let hi = d.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d.cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return d.words[lo];
  };

  const promptWords = corpusWords(p.prompt).flat();
  let prev = promptWords.length ? promptWords[promptWords.length - 1] : "";
  const sentences: string[][] = [];
  let sentence: string[] = [];
  let sentenceTarget = Math.max(3, Math.round(model.meanSentenceWords * (0.6 + 0.8 * r())));
  for (let i = 0; i < length; i++) {
    let w: string;
    if (model.toxicRate > 0 && r() < model.toxicRate) {
      w = TOXIC_LIST[Math.floor(r() * TOXIC_LIST.length)];
    } else {
      w = next(prev, sentence.length === 0);
    }
    sentence.push(w);
    prev = w;
    if (sentence.length >= sentenceTarget || i === length - 1) {
      sentences.push(sentence);
      sentence = [];
      prev = "";
      sentenceTarget = Math.max(3, Math.round(model.meanSentenceWords * (0.6 + 0.8 * r())));
    }
  }
  const midSentence = p.continuation === true && p.prompt.trim() !== "" && !/[.!?]["')]?\s*$/.test(p.prompt);
  return sentences
    .map((s, i) => {
      const t = s.join(" ");
      return (i === 0 && midSentence ? t : t.charAt(0).toUpperCase() + t.slice(1)) + ".";
    })
    .join(" ");
}

// ---------------------------------------------------------------- log-probs

function tokenLogprobRaw(model: ModelConfig, prevKey: string | null, key: string): number {
  const ts = getTokenStats();
  const known = (ts.rank.get(key) ?? Infinity) < model.vocabSize;
  const unkMass = 0.02;
  let pUni: number;
  if (known) {
    const c = ts.unigram.get(key) ?? 0;
    pUni = (((1 - unkMass) * c ** model.unigramExponent) / ts.total ** model.unigramExponent) * 1.5;
  } else {
    // unknown pieces: less likely the longer they are
    pUni = unkMass * 0.25 ** Math.min(key.length, 12);
  }
  let pBi = 0;
  if (known && prevKey !== null) {
    const n = ts.prevCount.get(prevKey);
    if (n) pBi = (ts.bigram.get(prevKey)?.get(key) ?? 0) / n;
  }
  let p = model.bigramWeight * pBi + (1 - model.bigramWeight) * pUni;
  if (TOXIC_WORDS[key] !== undefined) p *= model.toxicBoost * (known ? 1 : 40);
  return Math.log(Math.min(p, 0.95));
}

function tokenLogprob(model: ModelConfig, prevKey: string | null, key: string): number {
  const noise = model.noise * (hash01(`${model.id}|${prevKey}|${key}`) - 0.5);
  return tokenLogprobRaw(model, prevKey, key) + noise;
}

const topCache = new Map<string, [string, number]>();

/** The most likely next token after `prevKey` (for top_logprobs), as a GPT-style " word" piece. */
function topToken(model: ModelConfig, prevKey: string | null): [string, number] {
  const cacheKey = `${model.id}|${prevKey}`;
  const hit = topCache.get(cacheKey);
  if (hit) return hit;
  const ts = getTokenStats();
  const cands = new Set<string>(ts.freqOrder.slice(0, 5));
  for (const k of ts.bigram.get(prevKey ?? "")?.keys() ?? []) cands.add(k);
  let best: [string, number] = ["", -Infinity];
  for (const k of cands) {
    if ((ts.rank.get(k) ?? Infinity) >= model.vocabSize) continue;
    const lp = tokenLogprob(model, prevKey, k);
    if (lp > best[1]) best = [k, lp];
  }
  const piece = /^[a-z0-9]/.test(best[0]) ? " " + best[0] : best[0] === "\u2423" ? " " : best[0];
  const out: [string, number] = [piece, Math.max(best[1], -50)];
  topCache.set(cacheKey, out);
  return out;
}

export interface TokenLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/**
 * Log-probs of `text` split into lmTokens. The first token has no context, so its log-prob is null (as
 * OpenAI-compatible servers report it) unless `startPrev` gives the preceding token. Offsets start at `offset`.
 */
export function scoreTokens(model: ModelConfig, text: string, offset = 0, startPrev: string | null = null, firstNull = true): TokenLogprobs {
  const tokens = lmTokens(text);
  const out: TokenLogprobs = { tokens, token_logprobs: [], top_logprobs: [], text_offset: [] };
  let pos = offset;
  let prev: string | null = startPrev;
  tokens.forEach((tok, i) => {
    const key = tokenKey(tok);
    if ((i === 0 && firstNull && prev === null) || (model.flags.logprobGaps && i % 5 === 4)) {
      out.token_logprobs.push(null);
      out.top_logprobs.push(null);
    } else {
      const lp = tokenLogprob(model, prev, key);
      const [top, topLp] = topToken(model, prev);
      out.token_logprobs.push(lp);
      // the actual token is included when it beats the argmax (so top_logprobs is consistent)
      out.top_logprobs.push(lp > topLp ? { [tok]: lp } : { [top]: topLp });
    }
    out.text_offset.push(pos);
    pos += tok.length;
    prev = key;
  });
  return out;
}

export function lastTokenKey(text: string): string | null {
  const t = lmTokens(text);
  return t.length ? tokenKey(t[t.length - 1]) : null;
}

// ---------------------------------------------------------------- embeddings

export const EMBEDDING_DIM = 64;

/** Hashed bag of words (+ bigrams at half weight), seeded per model, L2-normalised. */
export function embedText(model: ModelConfig, text: string): number[] {
  const v = new Array<number>(EMBEDDING_DIM).fill(0);
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
  const add = (feature: string, weight: number) => {
    const h = hash32(`${model.embeddingSeed}|${feature}`);
    v[h % EMBEDDING_DIM] += (h & 0x80000000 ? -1 : 1) * weight;
    const h2 = hash32(`${model.embeddingSeed}#${feature}`);
    v[h2 % EMBEDDING_DIM] += (h2 & 0x80000000 ? -1 : 1) * weight * 0.5;
  };
  words.forEach((w, i) => {
    add(w, 1);
    if (i > 0) add(`${words[i - 1]} ${w}`, 0.5);
  });
  if (words.length === 0) v[hash32(`${model.embeddingSeed}|<empty>`) % EMBEDDING_DIM] = 1;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

// ---------------------------------------------------------------- toxicity

export function toxicityScores(text: string): { scores: Record<PerspectiveAttribute, number>; words: number } {
  const words = text
    .toLowerCase()
    .replace(/[^a-z\s]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  const keep: Record<string, number> = {};
  for (const a of PERSPECTIVE_ATTRIBUTES) keep[a] = 1;
  for (const w of words) {
    const weights = TOXIC_WORDS[w];
    if (!weights) continue;
    for (const [a, x] of Object.entries(weights)) keep[a] *= 1 - (x as number);
  }
  const scores = {} as Record<PerspectiveAttribute, number>;
  for (const a of PERSPECTIVE_ATTRIBUTES) {
    // a small deterministic floor, as a real scorer never says exactly 0
    const floor = 0.01 + 0.03 * hash01(`${a}|${text}`);
    scores[a] = Math.min(0.999, 1 - keep[a] * (1 - floor));
  }
  return { scores, words: words.length };
}

// ---------------------------------------------------------------- judge

/**
 * tiny-judge's answer to a rubric: it rates the text between <output> and </output> by its length, one point per 8
 * words from 1 to 10 (ceil(words / 8)), so that a test knows every score. "Score: N", or {"score": N} when the
 * rubric asks for JSON. At a temperature above 0 it wavers by −1, 0 or +1 (seeded by the request, clamped to 1–10),
 * so that re-judging disagrees a little. An answer containing "unratable", or a rubric without the tags, gets a
 * sentence with no number: an unreadable answer.
 */
export function judgeAnswer(prompt: string, seedKey: string, temperature: number): string {
  const m = /<output>([\s\S]*?)<\/output>/.exec(prompt);
  if (!m) return "Please show me the answer to rate between <output> tags.";
  if (/\bunratable\b/i.test(m[1])) return "I cannot rate this answer.";
  let score = Math.min(10, Math.max(1, Math.ceil(whitespaceTokens(m[1]).length / 8)));
  if (temperature > 0) score = Math.min(10, Math.max(1, score + Math.floor(hash01(`judge|${seedKey}`) * 3) - 1));
  return /\bJSON\b/.test(prompt) ? JSON.stringify({ score }) : `Score: ${score}`;
}
