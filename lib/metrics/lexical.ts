/**
 * Lexical diversity as lexicalrichness 0.5.1 computes it (METRICS.md §1): its built-in tokenizer,
 * TTR and MTLD. Pure functions, no I/O.
 */
import { detach } from "./syllables";

/** MTLD's factor threshold (McCarthy & Jarvis 2010; the lexicalrichness default). */
export const MTLD_THRESHOLD = 0.72;

// Python's str.split() whitespace (str.isspace): differs from JS \s (adds U+001C–U+001F and U+0085,
// lacks U+FEFF).
function isPythonSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

// Per ASCII code: 1 = token separator (whitespace or string.punctuation, which tokenize() replaces by
// a space), 2 = deleted without separating (ASCII digits and "-", removed by preprocess()).
const ASCII_ACTION = new Uint8Array(128);
for (const ch of "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~") ASCII_ACTION[ch.charCodeAt(0)] = 1;
for (let c = 0; c < 128; c++) if (isPythonSpace(c)) ASCII_ACTION[c] = 1;
for (let c = 48; c <= 57; c++) ASCII_ACTION[c] = 2;
ASCII_ACTION[45] = 2; // "-"
const EN_DASH = 0x2013;
const EM_DASH = 0x2014;

/**
 * lexicalrichness tokens: lower-case; delete ASCII digit runs (`[0-9]+`, as the reference — other
 * Unicode digits stay); delete "–", "—" and "-" (so "well-known" → "wellknown"); replace every ASCII
 * punctuation character by a space; split on whitespace. "can't" → ["can", "t"]; curly quotes and
 * emoji stay attached to their word.
 */
export function lexicalTokens(text: string): string[] {
  const lower = text.toLowerCase();
  const tokens: string[] = [];
  let pieces = ""; // token text before the last deletion inside it
  let runStart = -1; // start of the current run of kept characters
  let inToken = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const action = c < 128 ? ASCII_ACTION[c] : c === EN_DASH || c === EM_DASH ? 2 : isPythonSpace(c) ? 1 : 0;
    if (action === 0) {
      if (runStart < 0) runStart = i;
      inToken = true;
    } else {
      if (runStart >= 0) {
        pieces += lower.slice(runStart, i);
        runStart = -1;
      }
      if (action === 1 && inToken) {
        tokens.push(pieces);
        pieces = "";
        inToken = false;
      }
    }
  }
  if (runStart >= 0) pieces += lower.slice(runStart);
  if (inToken) tokens.push(pieces);
  return tokens;
}

/** Tokens as small integers (same id = same type), so that the MTLD passes allocate nothing. */
export function typeIds(tokens: readonly string[]): { ids: Uint32Array; types: number } {
  const index = new Map<string, number>();
  const ids = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    let id = index.get(tokens[i]);
    if (id === undefined) {
      id = index.size;
      index.set(tokens[i], id);
    }
    ids[i] = id;
  }
  return { ids, types: index.size };
}

/** Type–token ratio; null without tokens. */
export function ttr(tokens: readonly string[]): number | null {
  if (tokens.length === 0) return null;
  return new Set(tokens).size / tokens.length;
}

/**
 * One MTLD pass (lexicalrichness `sub_mtld`): tokens / factors, where a factor closes each time the
 * running TTR falls to the threshold or below, the unfinished last segment adds (1 − ttr)/(1 − t), and
 * a text that never closes a factor and ends at TTR 1 counts one factor. `seen` must be zeroed and as
 * long as the number of types.
 */
export function mtldPass(ids: Uint32Array, types: number, reverse: boolean, seen: Uint32Array, threshold = MTLD_THRESHOLD): number {
  const n = ids.length;
  let epoch = 1; // seen[id] === epoch ⇔ id occurred in the current segment
  let segmentTypes = 0;
  let counter = 0;
  let factors = 0;
  let ttrNow = 0;
  for (let k = 0; k < n; k++) {
    const id = ids[reverse ? n - 1 - k : k];
    counter++;
    if (seen[id] !== epoch) {
      seen[id] = epoch;
      segmentTypes++;
    }
    ttrNow = segmentTypes / counter;
    if (ttrNow <= threshold) {
      counter = 0;
      segmentTypes = 0;
      epoch++;
      factors++;
    }
  }
  if (counter > 0) factors += (1 - ttrNow) / (1 - threshold);
  if (factors === 0) {
    const whole = types / n;
    factors += whole === 1 ? 1 : (1 - whole) / (1 - threshold);
  }
  return n / factors;
}

/** MTLD: mean of the forward and backward passes; null without tokens. */
export function mtld(tokens: readonly string[], threshold = MTLD_THRESHOLD): number | null {
  if (tokens.length === 0) return null;
  const { ids, types } = typeIds(tokens);
  return mtldOfIds(ids, types, threshold);
}

/** MTLD over type ids (see `typeIds`); null without tokens. */
export function mtldOfIds(ids: Uint32Array, types: number, threshold = MTLD_THRESHOLD): number | null {
  if (ids.length === 0) return null;
  const forward = mtldPass(ids, types, false, new Uint32Array(types), threshold);
  const backward = mtldPass(ids, types, true, new Uint32Array(types), threshold);
  return (forward + backward) / 2;
}

// ---------------------------------------------------------------------------------------------
// Fast path: tokenize, intern and measure in one go, without per-text allocations beyond the token
// strings. Semantics are those of lexicalTokens + ttr + mtld above (tests check they agree).

/** Interned token ids survive across texts until this many types were seen, then start over. */
const INTERN_LIMIT = 200_000;
const internIds = new Map<string, number>();
// stamps[id] === clock marks "seen in the current segment / text"; a float clock never wraps.
let stamps = new Float64Array(4096);
let clock = 0;
let idBuffer = new Int32Array(4096);

function intern(token: string): number {
  let id = internIds.get(token);
  if (id !== undefined) return id;
  id = internIds.size;
  internIds.set(detach(token), id);
  if (id >= stamps.length) {
    const grown = new Float64Array(stamps.length * 2);
    grown.set(stamps);
    stamps = grown;
  }
  return id;
}

function pushId(n: number, id: number): void {
  if (n >= idBuffer.length) {
    const grown = new Int32Array(idBuffer.length * 2);
    grown.set(idBuffer);
    idBuffer = grown;
  }
  idBuffer[n] = id;
}

function fastPass(n: number, types: number, reverse: boolean, threshold: number): number {
  let segmentTypes = 0;
  let counter = 0;
  let factors = 0;
  let ttrNow = 0;
  let epoch = ++clock;
  for (let k = 0; k < n; k++) {
    const id = idBuffer[reverse ? n - 1 - k : k];
    counter++;
    if (stamps[id] !== epoch) {
      stamps[id] = epoch;
      segmentTypes++;
    }
    ttrNow = segmentTypes / counter;
    if (ttrNow <= threshold) {
      counter = 0;
      segmentTypes = 0;
      epoch = ++clock;
      factors++;
    }
  }
  if (counter > 0) factors += (1 - ttrNow) / (1 - threshold);
  if (factors === 0) {
    const whole = types / n;
    factors += whole === 1 ? 1 : (1 - whole) / (1 - threshold);
  }
  return n / factors;
}

export interface LexicalDiversity {
  /** lexicalrichness tokens */
  tokens: number;
  types: number;
  /** null without tokens */
  ttr: number | null;
  mtld: number | null;
}

/** Tokens, types, TTR and MTLD of a text (lexicalrichness 0.5.1) in one pass plus the two MTLD passes. */
export function lexicalDiversity(text: string, threshold = MTLD_THRESHOLD): LexicalDiversity {
  if (internIds.size > INTERN_LIMIT) {
    // Only between texts: ids of the current text must stay valid.
    internIds.clear();
    stamps.fill(0);
  }
  const lower = text.toLowerCase();
  const textStamp = ++clock;
  let n = 0;
  let types = 0;
  let pieces = "";
  let runStart = -1;
  let inToken = false;
  const len = lower.length;
  for (let i = 0; i <= len; i++) {
    // i === len acts as a final separator
    const c = i < len ? lower.charCodeAt(i) : 32;
    const action = c < 128 ? ASCII_ACTION[c] : c === EN_DASH || c === EM_DASH ? 2 : isPythonSpace(c) ? 1 : 0;
    if (action === 0) {
      if (runStart < 0) runStart = i;
      inToken = true;
      continue;
    }
    if (action === 1 && inToken) {
      const id = intern(runStart < 0 ? pieces : pieces === "" ? lower.slice(runStart, i) : pieces + lower.slice(runStart, i));
      pushId(n++, id);
      if (stamps[id] !== textStamp) {
        stamps[id] = textStamp;
        types++;
      }
      pieces = "";
      runStart = -1;
      inToken = false;
    } else if (runStart >= 0) {
      pieces += lower.slice(runStart, i);
      runStart = -1;
    }
  }
  if (n === 0) return { tokens: 0, types: 0, ttr: null, mtld: null };
  const forward = fastPass(n, types, false, threshold);
  const backward = fastPass(n, types, true, threshold);
  return { tokens: n, types, ttr: types / n, mtld: (forward + backward) / 2 };
}
