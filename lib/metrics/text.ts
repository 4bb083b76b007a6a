/**
 * Textual characteristics of one generation (METRICS.md §1): length, readability and lexical
 * diversity, with textstat 0.7.4's counting rules and lexicalrichness 0.5.1's MTLD. Pure functions,
 * no I/O, no Node-only APIs: it runs in the browser bundle too.
 *
 * Character classes follow Python's `re` on str, which the references use:
 * - word characters (`\w`) are exactly [\p{L}\p{N}_] — letters, all numbers (Nd, Nl, No), "_"; not
 *   combining marks (so a decomposed "é" loses its accent, as in Python);
 * - whitespace (`\s`, `str.split()`) is str.isspace(): JS \s without U+FEFF, plus U+001C–U+001F and
 *   U+0085;
 * - sentence terminators are the ASCII ". ! ?" only ("…", "。" are not).
 * Characters and letters are counted in code points (Python's len), not UTF-16 units.
 *
 * `textCounts` does everything in one pass over the string; `words`, `sentenceMatches` and the other
 * exported primitives are the direct, regex-based statements of the same rules, kept for tests.
 */
import { type LexicalDiversity, lexicalDiversity } from "./lexical";
import { syllableCount } from "./syllables";

// The primitives of the other modules, re-exported so that callers and tests need one import.
export { lexicalDiversity, lexicalTokens, mtld, ttr } from "./lexical";
export { hyphenationPoints, syllableCount } from "./syllables";

/** Every textual metric `textMetrics` computes (all of METRICS.md §1 but `length_tokens`). */
export const TEXT_METRIC_IDS = [
  "length_words",
  "length_chars",
  "length_sentences",
  "mean_sentence_length",
  "mean_word_length",
  "ttr",
  "mtld",
  "flesch_reading_ease",
  "flesch_kincaid_grade",
  "gunning_fog",
  "smog",
  "coleman_liau",
  "automated_readability_index",
  "lix",
  "rix",
] as const;

export type TextMetricId = (typeof TEXT_METRIC_IDS)[number];
export type TextMetrics = Record<TextMetricId, number | null>;

/** Raw counts behind the metrics. */
export interface TextCounts {
  /** Words by the word rule (whitespace-separated tokens that keep a word character). */
  words: number;
  /** Non-whitespace characters, punctuation included. */
  chars: number;
  /** Word characters (characters minus punctuation). */
  letters: number;
  /** Sentence-regex matches, before dropping the short ones. */
  sentenceMatches: number;
  /** Sentences: matches with more than two words, at least 1. */
  sentences: number;
  syllables: number;
  /** Words with 3 or more syllables. */
  polysyllables: number;
  /** Words of more than 6 characters (after punctuation removal). */
  longWords: number;
}

// ---------------------------------------------------------------------------------------------
// Character classes

const OTHER = 0; // punctuation, symbols, marks, emoji, controls
const SPACE = 1;
const WORD = 2;
const TERMINATOR = 3; // . ! ?

/** Python whitespace outside ASCII (str.isspace). */
function isNonAsciiPythonSpace(c: number): boolean {
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** The Python whitespace set as a regex character-class body. */
export const PY_SPACE_CLASS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31)) ASCII_CLASS[c] = SPACE;
  else if (/[A-Za-z0-9_]/.test(ch)) ASCII_CLASS[c] = WORD;
  else if (ch === "." || ch === "!" || ch === "?") ASCII_CLASS[c] = TERMINATOR;
  else ASCII_CLASS[c] = OTHER;
}

// Lazily filled class table for the BMP (0 = not yet known, else class + 1).
const BMP_CLASS = new Uint8Array(0x10000);
function bmpClass(c: number): number {
  const known = BMP_CLASS[c];
  if (known !== 0) return known - 1;
  let cls: number;
  if (c >= 0xd800 && c <= 0xdfff)
    cls = OTHER; // lone surrogate (category Cs)
  else if (isNonAsciiPythonSpace(c)) cls = SPACE;
  else cls = LETTER_OR_NUMBER.test(String.fromCharCode(c)) ? WORD : OTHER;
  BMP_CLASS[c] = cls + 1;
  return cls;
}

const ASTRAL_CLASS = new Map<number, number>();
function astralClass(cp: number): number {
  let cls = ASTRAL_CLASS.get(cp);
  if (cls === undefined) {
    cls = LETTER_OR_NUMBER.test(String.fromCodePoint(cp)) ? WORD : OTHER;
    ASTRAL_CLASS.set(cp, cls);
  }
  return cls;
}

// ---------------------------------------------------------------------------------------------
// One-pass counting

/**
 * All counts of a text in one pass; when `wordsOut` is given, the text's words (exactly `words(text)`) are pushed to
 * it, so that a lexicon attribute measured on the same text needs no second pass. Words, characters and letters follow the word rule; sentences
 * follow `\b[^.!?]+[.!?]*`: a match starts at a word character preceded by a non-word character (or
 * the start), runs to the first terminator and takes the whole run of terminators after it (or runs
 * to the end of the text); its words are counted within the match, so "3.5" splits a sentence.
 */
export function textCounts(text: string, wordsOut?: string[]): TextCounts {
  let words = 0;
  let chars = 0;
  let letters = 0;
  let syllables = 0;
  let polysyllables = 0;
  let longWords = 0;

  // Current whitespace-delimited token.
  let inToken = false;
  let tokenWordChars = 0; // word characters in it (code points)
  let pieces = ""; // its word characters before the last punctuation inside it
  let runStart = -1; // start of its current run of word characters

  // Sentence state: 0 = before a match, 1 = in the [^.!?]+ part, 2 = in the [.!?]* part.
  let sentenceState = 0;
  let sentenceWords = 0;
  let sentenceTokenHasWord = false;
  let matches = 0;
  let kept = 0;

  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (c < 128) cls = ASCII_CLASS[c];
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        width = 2;
      } else cls = OTHER;
    } else cls = bmpClass(c);

    // Words, characters, letters, syllables.
    if (cls === SPACE) {
      if (inToken) {
        if (tokenWordChars > 0) {
          const word = runStart >= 0 ? (pieces === "" ? text.slice(runStart, i) : pieces + text.slice(runStart, i)) : pieces;
          wordsOut?.push(word);
          const s = syllableCount(word);
          words++;
          syllables += s;
          if (s >= 3) polysyllables++;
          if (tokenWordChars > 6) longWords++;
        }
        inToken = false;
        tokenWordChars = 0;
        pieces = "";
        runStart = -1;
      }
    } else {
      chars++;
      inToken = true;
      if (cls === WORD) {
        letters++;
        tokenWordChars++;
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        pieces += text.slice(runStart, i);
        runStart = -1;
      }
    }

    // Sentences.
    if (sentenceState === 2 && cls !== TERMINATOR) {
      if (sentenceTokenHasWord) sentenceWords++;
      matches++;
      if (sentenceWords > 2) kept++;
      sentenceState = 0;
    }
    if (sentenceState === 0) {
      if (cls === WORD) {
        sentenceState = 1;
        sentenceWords = 0;
        sentenceTokenHasWord = true;
      }
    } else if (cls === TERMINATOR) {
      sentenceState = 2;
    } else if (cls === SPACE) {
      if (sentenceTokenHasWord) {
        sentenceWords++;
        sentenceTokenHasWord = false;
      }
    } else if (cls === WORD) {
      sentenceTokenHasWord = true;
    }

    i += width - 1;
  }

  if (inToken && tokenWordChars > 0) {
    const word = runStart >= 0 ? (pieces === "" ? text.slice(runStart) : pieces + text.slice(runStart)) : pieces;
    wordsOut?.push(word);
    const s = syllableCount(word);
    words++;
    syllables += s;
    if (s >= 3) polysyllables++;
    if (tokenWordChars > 6) longWords++;
  }
  if (sentenceState !== 0) {
    if (sentenceTokenHasWord) sentenceWords++;
    matches++;
    if (sentenceWords > 2) kept++;
  }

  return {
    words,
    chars,
    letters,
    sentenceMatches: matches,
    sentences: Math.max(1, kept),
    syllables,
    polysyllables,
    longWords,
  };
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** The metrics of a text from its counts and its lexicalrichness diversity. */
export function metricsFromCounts(counts: TextCounts, lexical: LexicalDiversity): TextMetrics {
  const { words: w, chars, letters, sentences: s, syllables, polysyllables: poly, longWords } = counts;
  // A text without words has null lexical metrics even if lexicalrichness finds tokens (e.g. "👍").
  const ttrValue = w > 0 ? lexical.ttr : null;
  const mtldValue = w > 0 ? lexical.mtld : null;
  const readable = w > 0;
  const wps = w / s;
  return {
    length_words: w,
    length_chars: chars,
    length_sentences: s,
    mean_sentence_length: wps,
    mean_word_length: readable ? letters / w : null,
    ttr: ttrValue,
    mtld: mtldValue,
    flesch_reading_ease: readable ? 206.835 - 1.015 * wps - 84.6 * (syllables / w) : null,
    flesch_kincaid_grade: readable ? 0.39 * wps + 11.8 * (syllables / w) - 15.59 : null,
    gunning_fog: readable ? 0.4 * (wps + (100 * poly) / w) : null,
    smog: readable && s >= 3 ? 1.043 * Math.sqrt(30 * (poly / s)) + 3.1291 : null,
    coleman_liau: readable ? 0.0588 * ((100 * letters) / w) - 0.296 * ((100 * s) / w) - 15.8 : null,
    automated_readability_index: readable ? 4.71 * (chars / w) + 0.5 * wps - 21.43 : null,
    lix: readable ? wps + (100 * longWords) / w : null,
    rix: readable ? longWords / s : null,
  };
}

/**
 * Every textual metric of METRICS.md §1 except `length_tokens`. A text without words has null
 * readability, mean word length and lexical metrics; lexical metrics are also null when the text
 * has no lexicalrichness tokens (e.g. "2023"); smog is null below 3 sentences. `wordsOut` receives the words, as
 * in `textCounts`.
 */
export function textMetrics(text: string, wordsOut?: string[]): TextMetrics {
  return metricsFromCounts(textCounts(text, wordsOut), lexicalDiversity(text));
}

// ---------------------------------------------------------------------------------------------
// Direct statements of the rules (used by tests to check the one-pass scanner)

const NON_WORD_NON_SPACE = new RegExp(`[^\\p{L}\\p{N}_${PY_SPACE_CLASS}]`, "gu");
const PY_SPACES = new RegExp(`[${PY_SPACE_CLASS}]+`, "u");
const W = "[\\p{L}\\p{N}_]";
// Python's Unicode \b, spelled out: JS's \b only knows ASCII word characters.
const SENTENCE = new RegExp(`(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))[^.!?]+[.!?]*`, "gu");

/** Punctuation removed: every character that is neither a word character nor whitespace deleted. */
export function removePunctuation(text: string): string {
  return text.replace(NON_WORD_NON_SPACE, "");
}

/** Words by the word rule: punctuation removed, then split on whitespace. */
export function words(text: string): string[] {
  return removePunctuation(text)
    .split(PY_SPACES)
    .filter((w) => w.length > 0);
}

const NON_SPACE = new RegExp(`[^${PY_SPACE_CLASS}]`, "u");

/** Whether a text with its punctuation removed (removePunctuation) holds a word: any character but whitespace. */
export function holdsWord(punctuationFree: string): boolean {
  return NON_SPACE.test(punctuationFree);
}

/** Every match of `\b[^.!?]+[.!?]*` (Python semantics), short ones included. */
export function sentenceMatches(text: string): string[] {
  return text.match(SENTENCE) ?? [];
}

/** The matches that count as sentences (more than two words). */
export function sentences(text: string): string[] {
  return sentenceMatches(text).filter((s) => words(s).length > 2);
}

/** Sentence count: sentences with more than two words, at least 1. */
export function sentenceCount(text: string): number {
  return Math.max(1, sentences(text).length);
}

/** Length in code points (Python's len). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Non-whitespace characters (code points). */
export function charCount(text: string): number {
  return codePointLength(text.replace(new RegExp(`[${PY_SPACE_CLASS}]`, "gu"), ""));
}

/** Characters minus punctuation: word characters (code points). */
export function letterCount(text: string): number {
  return codePointLength(removePunctuation(text).replace(new RegExp(`[${PY_SPACE_CLASS}]`, "gu"), ""));
}
