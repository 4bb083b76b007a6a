import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { compileLexicon, lexiconCounts, lexiconValue, lexiconValueOfWords, type LexiconSpec } from "./lexicon";
import { textMetrics, words } from "./text";

const spec = (s: Partial<LexiconSpec>): LexiconSpec => ({ match: "words", terms: [], measure: "rate", caseSensitive: false, ...s });

describe("lexicon attributes", () => {
  it("counts word-list matches per 100 words with METRICS.md's words", () => {
    const hedges = compileLexicon(spec({ terms: ["perhaps", "might", "I think"] }));
    // Words: "Perhaps it might rain, I think; perhaps not." → Perhaps it might rain I think perhaps not = 8 words.
    // Matches: Perhaps (case-insensitive), might, "I think", perhaps = 4 → 100·4/8 = 50.
    const text = "Perhaps it might rain, I think; perhaps not.";
    expect(lexiconCounts(hedges, text)).toEqual({ matches: 4, words: 8 });
    expect(lexiconValue(hedges, text)).toBe(50);
    // The same word count as length_words.
    expect(textMetrics(text).length_words).toBe(8);
  });

  it("deletes punctuation in terms and text alike, and counts a position once", () => {
    // "can't" → "cant"; "state-of-the-art" → "stateoftheart". Text words: I cant say its stateoftheart = 5.
    const l = compileLexicon(spec({ terms: ["can't", "state-of-the-art", "cant say"] }));
    expect(lexiconCounts(l, "I can't say it's state-of-the-art.")).toEqual({ matches: 2, words: 5 });
    expect(lexiconValue(l, "I can't say it's state-of-the-art.")).toBe(40);
  });

  it("is case-sensitive on request", () => {
    const l = compileLexicon(spec({ terms: ["Paris"], caseSensitive: true }));
    expect(lexiconCounts(l, "paris and Paris")).toEqual({ matches: 1, words: 3 });
  });

  it("phrases match only whole word sequences", () => {
    const l = compileLexicon(spec({ terms: ["of course"] }));
    // "course of course" → words course of course: "of course" starts at position 1 only.
    expect(lexiconCounts(l, "course of course")).toEqual({ matches: 1, words: 3 });
    expect(lexiconCounts(l, "of")).toEqual({ matches: 0, words: 1 });
  });

  it("presence is 1 or 0; a rate of a text without words is null, never 0", () => {
    const rate = compileLexicon(spec({ terms: ["sorry"] }));
    const presence = compileLexicon(spec({ terms: ["sorry"], measure: "presence" }));
    expect(lexiconValue(rate, "")).toBeNull();
    expect(lexiconValue(rate, "?!")).toBeNull();
    expect(lexiconValue(presence, "")).toBe(0);
    expect(lexiconValue(presence, "So sorry.")).toBe(1);
    expect(lexiconValue(presence, "Fine.")).toBe(0);
  });

  it("counts pattern matches over the raw text per 100 words", () => {
    const l = compileLexicon(spec({ match: "patterns", terms: ["\\d+", "https?://\\S+"] }));
    // Words: "Call 555 1234 or see https://x.io" → Call 555 1234 or see httpsxio = 6 words.
    // \d+ matches 555, 1234 = 2; the URL matches once = 1 → 3 matches → 100·3/6 = 50.
    expect(lexiconCounts(l, "Call 555 1234 or see https://x.io")).toEqual({ matches: 3, words: 6 });
    expect(lexiconValue(l, "Call 555 1234 or see https://x.io")).toBe(50);
    const ci = compileLexicon(spec({ match: "patterns", terms: ["^as an ai"], measure: "presence" }));
    expect(lexiconValue(ci, "As an AI, I cannot.")).toBe(1);
    const cs = compileLexicon(spec({ match: "patterns", terms: ["^as an ai"], measure: "presence", caseSensitive: true }));
    expect(lexiconValue(cs, "As an AI, I cannot.")).toBe(0);
  });

  it("refuses a term without words, an invalid or empty-matching pattern", () => {
    expect(() => compileLexicon(spec({ terms: ["--"] }))).toThrow(/no word/);
    expect(() => compileLexicon(spec({ match: "patterns", terms: ["("] }))).toThrow(/not a valid regular expression/);
    expect(() => compileLexicon(spec({ match: "patterns", terms: ["x*"] }))).toThrow(/matches the empty text/);
  });
});

const ALPACA = path.resolve(import.meta.dirname, "../../../shared/data/alpaca/alpaca_5000.json");
const alpacaOutputs = (): string[] => (fs.existsSync(ALPACA) ? (JSON.parse(fs.readFileSync(ALPACA, "utf8")) as { output: string }[]).map((r) => r.output) : []);

const TRICKY = [
  "ΟΔΟΣ ΟΔΟΣ. Σ ΣΑ ΑΣ",
  "İstanbul İ, STRASSE Straße ǅemal İT SEEMS",
  "  leading and trailing  ",
  "state-of-the-art, I THINK; maybe—perhaps…",
  "\u00a0Nbsp\u2003em\u3000ideographic\ttab\nline",
  "",
  "...",
  "ΌΣΟΣ-ΟΣΟΣ x_Y 42A",
  "per-haps it might; Might-be PERHAPS perhaps.",
];

/** The rule stated directly: the words lower-cased one by one, a match where some term's words start. */
function referenceValue(s: LexiconSpec, text: string): number | null {
  const ws = words(text).map((w) => (s.caseSensitive ? w : w.toLowerCase()));
  const terms = s.terms.map((t) => words(s.caseSensitive ? t : t.toLowerCase()));
  let matches = 0;
  for (let i = 0; i < ws.length; i++) if (terms.some((t) => t.every((w, j) => ws[i + j] === w))) matches++;
  if (s.measure === "presence") return matches > 0 ? 1 : 0;
  return ws.length === 0 ? null : (100 * matches) / ws.length;
}

describe("lexicons on the words of textMetrics' pass", () => {
  const specs = [
    spec({ terms: ["perhaps", "might", "I think", "it seems", "likely", "İstanbul", "όσος", "strasse"] }),
    spec({ terms: ["Perhaps", "might", "I think", "ΟΔΟΣ"], caseSensitive: true }),
    spec({ terms: ["perhaps", "might be", "I think"], measure: "presence" }),
    spec({ terms: ["the", "of the", "a", "and", "to"] }),
  ];
  const texts = [...TRICKY, ...alpacaOutputs()];

  it("textMetrics hands out exactly words(text)", () => {
    for (const t of texts) {
      const ws: string[] = [];
      textMetrics(t, ws);
      expect(ws, t).toEqual(words(t));
    }
  });

  it("gives the directly stated rule's value, as lexiconValue does", () => {
    for (const s of specs) {
      const lex = compileLexicon(s);
      for (const t of texts) {
        const ws: string[] = [];
        textMetrics(t, ws);
        const expected = referenceValue(s, t);
        expect(lexiconValueOfWords(lex, t, ws), t).toBe(expected);
        expect(lexiconValue(lex, t), t).toBe(expected);
      }
    }
  });

  it("lower-cases a word the way the whole text is lower-cased (İ gains a dot: no match for 'it')", () => {
    const lex = compileLexicon(spec({ terms: ["it seems", "i̇stanbul"] }));
    // "İT" → "i̇t" (3 units), never "it"; the term "i̇stanbul" loses its combining dot (punctuation) → "istanbul",
    // which "İstanbul" (→ "i̇stanbul") does not equal either.
    expect(lexiconCounts(lex, "İT SEEMS so, İstanbul")).toEqual({ matches: 0, words: 4 });
    expect(lexiconCounts(lex, "It Seems so, Istanbul")).toEqual({ matches: 2, words: 4 });
  });
});

describe("lexiconValue's shortcut for texts without any term", () => {
  const samples = [
    "",
    "...",
    "   ",
    "Perhaps.",
    "per-haps it might",
    "MIGHT we? İ think so",
    "nothing to see here",
    "It seems fine; it SEEMS so",
    ...alpacaOutputs(),
  ];
  for (const [label, s] of [
    ["rate, case-insensitive", spec({ terms: ["perhaps", "might", "I think", "it seems", "likely"] })],
    ["rate, case-sensitive", spec({ terms: ["Perhaps", "might", "I think"], caseSensitive: true })],
    ["presence", spec({ terms: ["perhaps", "might", "I think"], measure: "presence" })],
  ] as const)
    it(`gives what the full count gives (${label})`, () => {
      const lex = compileLexicon(s);
      for (const t of samples) {
        const { matches, words: n } = lexiconCounts(lex, t);
        const full = s.measure === "presence" ? (matches > 0 ? 1 : 0) : n === 0 ? null : (100 * matches) / n;
        expect(lexiconValue(lex, t), t).toBe(full);
      }
    });
});
