import { describe, expect, it } from "vitest";
import { compileLexicon, lexiconCounts, lexiconValue, type LexiconSpec } from "./lexicon";
import { textMetrics } from "./text";

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
