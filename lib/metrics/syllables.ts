/**
 * Syllable counts as textstat 0.7.4 computes them: 1 + the number of hyphenation points that Pyphen
 * (`Pyphen(lang="en_US")`, left=2, right=2) finds in the lower-cased word.
 *
 * Hyphenation data: no npm package ships the dictionary Pyphen uses. `hyphen` (1.14.1, the most used,
 * `hyphen/patterns/en-us`), `hyphenation.en-us` (0.2.1, for Hypher) and `hyphenated-en-us` (1.2.0) all
 * carry hyph-utf8's `hyph-en-us.tex` — Kuiken's "ushyphmax" patterns (4,938 patterns; 462 of them are
 * absent from Pyphen's file) with only Knuth's 14 exceptions — which breaks words differently from
 * plain-TeX hyphen.tex + the TUGboat exception log that METRICS.md (and Pyphen's `hyph_en_US.dic`)
 * prescribes. So Lineage ships that dictionary's patterns verbatim in `hyphenation-patterns-en-us.ts`
 * (provenance and licence there) and runs Liang's algorithm over them here, exactly as Pyphen's
 * `HyphDict.positions` does: every pattern that matches a substring of `.word.` raises the inter-letter
 * values to its own (max), odd values are break points, and points closer than 2 letters to either end
 * are dropped. The TUGboat exceptions are whole-word patterns with values 8/9, so they override the
 * rest without special code. Positions count Unicode code points, as Python's `len` does.
 */
import { EN_US_HYPHENATION_PATTERNS } from "./hyphenation-patterns-en-us";

/** Pyphen's defaults, which textstat keeps. */
const LEFT_MIN = 2;
const RIGHT_MIN = 2;

const DOT = 46; // "."
const ALPHABET = 27; // a–z and "."

// Trie over code points. Children for a–z and "." live in a flat Int32Array (fast path); the few
// other characters that occur in patterns (é and the f-ligatures) go through a Map keyed by
// node * 0x110000 + code point.
interface PatternTrie {
  ascii: Int32Array;
  other: Map<number, number>;
  values: (Uint8Array | undefined)[];
}

function asciiSlot(cp: number): number {
  if (cp >= 97 && cp <= 122) return cp - 97;
  if (cp === DOT) return 26;
  return -1;
}

function buildTrie(source: string): PatternTrie {
  const patterns = source.split(/\s+/).filter((p) => p.length > 0);
  let ascii = new Int32Array(ALPHABET * 16384).fill(-1);
  const other = new Map<number, number>();
  const values: (Uint8Array | undefined)[] = [undefined];
  let nodes = 1;
  for (const pattern of patterns) {
    const letters: number[] = [];
    const digits: number[] = [0];
    for (const ch of pattern) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 48 && cp <= 57) digits[letters.length] = cp - 48;
      else {
        letters.push(cp);
        digits[letters.length] = 0;
      }
    }
    let node = 0;
    for (const cp of letters) {
      const slot = asciiSlot(cp);
      let next = slot >= 0 ? ascii[node * ALPHABET + slot] : (other.get(node * 0x110000 + cp) ?? -1);
      if (next < 0) {
        next = nodes++;
        if (nodes * ALPHABET > ascii.length) {
          const grown = new Int32Array(ascii.length * 2).fill(-1);
          grown.set(ascii);
          ascii = grown;
        }
        values.push(undefined);
        if (slot >= 0) ascii[node * ALPHABET + slot] = next;
        else other.set(node * 0x110000 + cp, next);
      }
      node = next;
    }
    // Pyphen keeps the last line for a given letter sequence; patterns with only zeros are skipped.
    if (digits.some((d) => d > 0)) values[node] = Uint8Array.from(digits);
  }
  return { ascii: ascii.slice(0, nodes * ALPHABET), other, values };
}

let trie: PatternTrie | undefined;
function getTrie(): PatternTrie {
  trie ??= buildTrie(EN_US_HYPHENATION_PATTERNS);
  return trie;
}

/**
 * Hyphenation points (Pyphen positions: index of the letter a break precedes, in code points) of an
 * already lower-cased word, with at least 2 letters before the first and after the last point.
 */
export function hyphenationPoints(lowerWord: string): number[] {
  const { ascii, other, values } = getTrie();
  const cps: number[] = [DOT];
  for (let i = 0; i < lowerWord.length; i++) {
    const cp = lowerWord.codePointAt(i)!;
    if (cp > 0xffff) i++;
    cps.push(cp);
  }
  cps.push(DOT);
  const n = cps.length - 2; // letters in the word
  const m = cps.length;
  const refs = new Uint8Array(m + 1);
  // Pyphen starts a match at every index but the final dot.
  for (let i = 0; i < m - 1; i++) {
    let node = 0;
    for (let j = i; j < m; j++) {
      const cp = cps[j];
      const slot = asciiSlot(cp);
      node = slot >= 0 ? ascii[node * ALPHABET + slot] : (other.get(node * 0x110000 + cp) ?? -1);
      if (node < 0) break;
      const v = values[node];
      if (v !== undefined) {
        for (let k = 0; k < v.length; k++) if (v[k] > refs[i + k]) refs[i + k] = v[k];
      }
    }
  }
  // refs[r] is the value before cps[r]; as a word position that is r - 1.
  const points: number[] = [];
  for (let pos = LEFT_MIN; pos <= n - RIGHT_MIN; pos++) if (refs[pos + 1] & 1) points.push(pos);
  return points;
}

/** Characters Python's `\w` does not match (it matches exactly [\p{L}\p{N}_]). */
const NON_WORD = /[^\p{L}\p{N}_]/gu;

/** Syllables of one word (1 + hyphenation points of its lower-cased form); 0 for "". Uncached. */
export function countSyllablesUncached(word: string): number {
  // textstat lower-cases before removing punctuation, so a lower-casing that yields a combining
  // mark (İ → i + U+0307) loses the mark; stripping here also lets callers pass "can't".
  const lower = word.toLowerCase().replace(NON_WORD, "");
  if (lower.length === 0) return 0;
  return hyphenationPoints(lower).length + 1;
}

const ALL_DIGITS = /^[0-9_]+$/;

/**
 * A copy of a string that does not pin the string it was sliced from: V8 represents slices of 13+
 * characters as views into their parent, so a cached slice would keep a whole input text alive.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : s.split("").join("");
}

/** Bound of the per-word cache; when full it is emptied (cheap, and vocabularies are Zipfian). */
export const SYLLABLE_CACHE_LIMIT = 200_000;
const cache = new Map<string, number>();

/**
 * Syllables of a word made of word characters only (as the word rule leaves them), cached by the
 * word as written.
 */
export function syllableCount(word: string): number {
  // Numbers (digits, "_") can match no pattern: one syllable, and kept out of the cache, which they
  // would otherwise flood with one-off entries.
  const first = word.charCodeAt(0);
  if (first >= 48 && first <= 57 && ALL_DIGITS.test(word)) return 1;
  let count = cache.get(word);
  if (count === undefined) {
    count = countSyllablesUncached(word);
    if (cache.size >= SYLLABLE_CACHE_LIMIT) cache.clear();
    cache.set(detach(word), count);
  }
  return count;
}

/** For tests and benchmarks. */
export function clearSyllableCache(): void {
  cache.clear();
}
