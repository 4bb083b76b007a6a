import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { compileLexicon, lexiconCounts, lexiconValue, type LexiconSpec } from "./lexicon";
import { lowerCaseWords, textMetrics, words } from "./text";

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

describe("lowerCaseWords", () => {
  it("equals the word rule's words lower-cased one by one", () => {
    const texts = [
      "ΟΔΟΣ ΟΔΟΣ. Σ ΣΑ ΑΣ",
      "İstanbul İ, STRASSE Straße ǅemal",
      "  leading and trailing  ",
      "state-of-the-art, I THINK; maybe—perhaps…",
      "\u00a0Nbsp\u2003em\u3000ideographic\ttab\nline",
      "",
      "...",
      "ΌΣΟΣ-ΟΣΟΣ x_Y 42A",
    ];
    for (const t of texts) expect(lowerCaseWords(t), t).toEqual(words(t).map((w) => w.toLowerCase()));
  });
});

describe("lowerCaseWords on real outputs", () => {
  const file = path.resolve(import.meta.dirname, "../../../shared/data/alpaca/alpaca_5000.json");
  it.skipIf(!fs.existsSync(file))("equals words() lower-cased on the 5,000 Alpaca outputs", () => {
    const rows = JSON.parse(fs.readFileSync(file, "utf8")) as { output: string }[];
    for (const r of rows) expect(lowerCaseWords(r.output)).toEqual(words(r.output).map((w) => w.toLowerCase()));
  });
});

describe("lexiconValue's shortcut for texts without any term", () => {
  const file = path.resolve(import.meta.dirname, "../../../shared/data/alpaca/alpaca_5000.json");
  const samples = [
    "",
    "...",
    "   ",
    "Perhaps.",
    "per-haps it might",
    "MIGHT we? İ think so",
    "nothing to see here",
    "It seems fine; it SEEMS so",
    ...(fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { output: string }[]).map((r) => r.output) : []),
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
