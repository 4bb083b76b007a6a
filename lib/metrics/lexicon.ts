/**
 * Lexicon and pattern attributes (custom attributes of kind "lexicon", docs/attributes.md): how often a text uses a
 * list of words or phrases, or matches regular expressions, as a rate per 100 words or as presence (1 or 0). Pure,
 * no I/O, like the textual metrics; words follow METRICS.md's word rule (`words` in ./text.ts), so a lexicon rate
 * and `length_words` count the same words.
 *
 * - word list: each term is split by the word rule too ("state-of-the-art" → one word, "as a matter of fact" → a
 *   phrase of five words); a match is a position of the text's word sequence where a term's words start, compared
 *   case-insensitively unless `caseSensitive`. A position counts once even when several terms match there.
 * - patterns: each regular expression is matched over the raw text (Unicode, all matches; case-insensitive unless
 *   `caseSensitive`); the matches of every pattern are summed.
 * - rate: 100 · matches / words; null for a text without words (like the lexical metrics, never 0).
 * - presence: 1 when there is at least one match, else 0 (defined for every text).
 */
import { holdsWord, removePunctuation, words } from "./text";

export interface LexiconSpec {
  match: "words" | "patterns";
  terms: readonly string[];
  measure: "rate" | "presence";
  caseSensitive: boolean;
}

/** A spec prepared once for many texts: the terms split into words, the patterns compiled. */
export interface CompiledLexicon {
  spec: LexiconSpec;
  /** first word of a term → the terms (as word arrays) starting with it */
  byFirst: Map<string, string[][]>;
  /** Which words can start a match, told without lower-casing them (see `lexiconMatches`): firstKeys[endKey(n, c)] is 1
   * when some term's first word has n UTF-16 units and starts with the ASCII character c (lower-cased when the lexicon
   * ignores case), firstKeys[endKey(n, 0)] when some term's first word has n units; lastKeys likewise for the last
   * character. (No word holds U+0000: it is punctuation.) */
  firstKeys: Uint8Array;
  lastKeys: Uint8Array;
  /** each term's longest word, distinct (a text containing none of them as a substring has no match) */
  keyWords: string[];
  patterns: RegExp[];
}

export class LexiconError extends Error {}

export function compileLexicon(spec: LexiconSpec): CompiledLexicon {
  const byFirst = new Map<string, string[][]>();
  const patterns: RegExp[] = [];
  if (spec.match === "words") {
    for (const term of spec.terms) {
      const ws = words(spec.caseSensitive ? term : term.toLowerCase());
      if (ws.length === 0) throw new LexiconError(`the term "${term}" has no word (punctuation is deleted before matching)`);
      let list = byFirst.get(ws[0]);
      if (!list) byFirst.set(ws[0], (list = []));
      list.push(ws);
    }
  } else {
    for (const source of spec.terms) {
      try {
        patterns.push(new RegExp(source, spec.caseSensitive ? "gu" : "giu"));
      } catch (err) {
        throw new LexiconError(`the pattern ${JSON.stringify(source)} is not a valid regular expression (${(err as Error).message})`);
      }
      if (new RegExp(source, "u").test("")) throw new LexiconError(`the pattern ${JSON.stringify(source)} matches the empty text`);
    }
  }
  const keyWords = new Set<string>();
  const firstKeys = new Uint8Array(256 * 128);
  const lastKeys = new Uint8Array(256 * 128);
  for (const [first, terms] of byFirst) {
    const a = first.charCodeAt(0);
    const z = first.charCodeAt(first.length - 1);
    // A term word ending in a non-ASCII character is only ever reached by lower-casing (lexiconMatches).
    firstKeys[endKey(first.length, 0)] = 1; // some term's first word has this length
    if (a < 128) firstKeys[endKey(first.length, a)] = 1;
    if (z < 128) lastKeys[endKey(first.length, z)] = 1;
    for (const t of terms) keyWords.add(t.reduce((a, w) => (w.length > a.length ? w : a)));
  }
  return { spec, byFirst, firstKeys, lastKeys, keyWords: [...keyWords], patterns };
}

/** Matches of the lexicon in a text and the text's word count. */
export function lexiconCounts(lexicon: CompiledLexicon, text: string): { matches: number; words: number } {
  const ws = words(text);
  return { matches: lexiconMatches(lexicon, text, ws), words: ws.length };
}

// The key of a word's length and one of its ASCII characters in firstKeys and lastKeys.
const endKey = (length: number, asciiCode: number) => (Math.min(length, 255) << 7) | asciiCode;

/**
 * Matches of the lexicon in a text whose words (`words(text)`, case kept) are `ws`. Case-insensitive terms are
 * compared with each word lower-cased on its own, which equals lower-casing the text: the only context rule of
 * lower-casing (Greek final sigma) never looks across whitespace. Most words cannot start a match and are told apart
 * by length and end characters without lower-casing them: lower-casing changes a word's length only by adding U+0307
 * (after "İ"), a combining mark no term word holds (marks are punctuation), and maps an ASCII character to an ASCII
 * one in the same place. A word that starts or ends with a non-ASCII character (which may lower-case to ASCII, e.g.
 * the Kelvin sign to "k") is lower-cased and looked up.
 */
export function lexiconMatches(lexicon: CompiledLexicon, text: string, ws: readonly string[]): number {
  let matches = 0;
  if (lexicon.spec.match === "patterns") {
    for (const p of lexicon.patterns) {
      p.lastIndex = 0;
      for (const _ of text.matchAll(p)) matches++;
    }
    return matches;
  }
  const fold = !lexicon.spec.caseSensitive;
  const { firstKeys, lastKeys, byFirst } = lexicon;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const n = w.length;
    const k = endKey(n, 0);
    if (firstKeys[k] === 0) continue;
    const a = w.charCodeAt(0);
    if (a < 128) {
      if (firstKeys[k | (fold && a >= 65 && a <= 90 ? a | 32 : a)] === 0) continue;
      const z = w.charCodeAt(n - 1);
      if (z < 128 && lastKeys[k | (fold && z >= 65 && z <= 90 ? z | 32 : z)] === 0) continue;
    }
    const candidates = byFirst.get(fold ? w.toLowerCase() : w);
    if (candidates?.some((t) => startsAt(ws, i, t, fold))) matches++;
  }
  return matches;
}

/** Whether `term` (its first word already matched) continues at position i of the words. */
function startsAt(ws: readonly string[], i: number, term: readonly string[], fold: boolean): boolean {
  if (i + term.length > ws.length) return false;
  for (let j = 1; j < term.length; j++) {
    const w = ws[i + j];
    if (fold ? w.length !== term[j].length || w.toLowerCase() !== term[j] : w !== term[j]) return false;
  }
  return true;
}

/** Above this many distinct key words, scanning the text for each costs more than splitting it. */
const PREFILTER_MAX_TERMS = 64;

/** The attribute's value for one text: rate per 100 words (null without words) or presence. */
export function lexiconValue(lexicon: CompiledLexicon, text: string): number | null {
  // Most texts contain none of the terms: when no term's longest word occurs anywhere in the text (punctuation
  // removed, lower-cased as the words are), no term can match, and only whether the text has a word is needed —
  // without splitting it into words.
  if (lexicon.spec.match === "words" && lexicon.keyWords.length <= PREFILTER_MAX_TERMS) {
    const clean = removePunctuation(text);
    const hay = lexicon.spec.caseSensitive ? clean : clean.toLowerCase();
    if (!lexicon.keyWords.some((w) => hay.includes(w))) return lexicon.spec.measure === "presence" ? 0 : holdsWord(clean) ? 0 : null;
  }
  return lexiconValueOfWords(lexicon, text, words(text));
}

/** `lexiconValue` for a text whose words are already known (`ws` = `words(text)`, e.g. from `textMetrics`). */
export function lexiconValueOfWords(lexicon: CompiledLexicon, text: string, ws: readonly string[]): number | null {
  const matches = lexiconMatches(lexicon, text, ws);
  if (lexicon.spec.measure === "presence") return matches > 0 ? 1 : 0;
  return ws.length === 0 ? null : (100 * matches) / ws.length;
}
