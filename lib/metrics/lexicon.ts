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
import { holdsWord, lowerCaseWords, removePunctuation, words } from "./text";

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
  for (const terms of byFirst.values()) for (const t of terms) keyWords.add(t.reduce((a, w) => (w.length > a.length ? w : a)));
  return { spec, byFirst, keyWords: [...keyWords], patterns };
}

/** Matches of the lexicon in a text and the text's word count. */
export function lexiconCounts(lexicon: CompiledLexicon, text: string): { matches: number; words: number } {
  const ws = lexicon.spec.match === "words" && !lexicon.spec.caseSensitive ? lowerCaseWords(text) : words(text);
  let matches = 0;
  if (lexicon.spec.match === "words") {
    const seq = ws;
    for (let i = 0; i < seq.length; i++) {
      const candidates = lexicon.byFirst.get(seq[i]);
      if (!candidates) continue;
      if (candidates.some((t) => startsAt(seq, i, t))) matches++;
    }
  } else {
    for (const p of lexicon.patterns) {
      p.lastIndex = 0;
      for (const _ of text.matchAll(p)) matches++;
    }
  }
  return { matches, words: ws.length };
}

function startsAt(seq: readonly string[], i: number, term: readonly string[]): boolean {
  if (i + term.length > seq.length) return false;
  for (let j = 1; j < term.length; j++) if (seq[i + j] !== term[j]) return false;
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
  const { matches, words: n } = lexiconCounts(lexicon, text);
  if (lexicon.spec.measure === "presence") return matches > 0 ? 1 : 0;
  return n === 0 ? null : (100 * matches) / n;
}
