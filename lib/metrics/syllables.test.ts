import { describe, expect, it } from "vitest";
import { EN_US_HYPHENATION_PATTERNS } from "./hyphenation-patterns-en-us";
import { clearSyllableCache, countSyllablesUncached, detach, hyphenationPoints, syllableCount } from "./syllables";

// Traces below use the shipped pattern lines (hyph_en_US.dic, substring-expanded form). A digit
// between two letters is that pattern's value at the break between them; the maximum over all
// matching patterns wins; odd = break; breaks need ≥ 2 letters on each side (positions 2 … n−2).

describe("pattern data", () => {
  it("holds the whole dictionary: 11,107 lines incl. 1,045 TUGboat exceptions coded with 8/9", () => {
    const patterns = EN_US_HYPHENATION_PATTERNS.split(/\s+/).filter(Boolean);
    expect(patterns).toHaveLength(11_107);
    const exceptions = patterns.filter((p) => /^\..*\.$/.test(p) && /[89]/.test(p) && !/[\uFB00-\uFB06]/.test(p));
    expect(exceptions).toHaveLength(1_045);
    expect(patterns).toContain(".as9s8o9c8i8a8te.");
    expect(patterns).toContain("cre3a2t");
    // hyph-utf8's ushyphmax (the `hyphen` npm package) has ".euler5" etc.; Pyphen's file has not.
    expect(patterns.some((p) => p.replace(/\d/g, "") === ".euler")).toBe(false);
  });
});

describe("hyphenationPoints (Liang over Pyphen en_US, left = right = 2)", () => {
  it("created → cre-at-ed", () => {
    // .created.: cre3a2t → e|a = 3, a|t = 2; ea2t → a|t = 2; 2t1ed → a|t = 2, t|e = 1.
    // Positions: 3 (cre|ated) = 3 odd, 4 = 2 even, 5 (creat|ed) = 1 odd; allowed 2 … 7−2 = 5.
    expect(hyphenationPoints("created")).toEqual([3, 5]);
    expect(syllableCount("created")).toBe(3);
  });

  it("the → no break", () => {
    // .th2, .th2e, th2e: h|e = 2 (even); and a 3-letter word allows no position (2 … 1).
    expect(hyphenationPoints("the")).toEqual([]);
    expect(syllableCount("the")).toBe(1);
  });

  it("beautiful → beau-ti-ful", () => {
    // b0 e1 a2 u3 t4 i5 f6 u7 l8. 4u1t2i: a|u = 4, u|t = 1, t|i = 2; 3fu: i|f = 3; tif2: f|u = 2.
    // Odd at 4 (beau|tiful) and 6 (beauti|ful).
    expect(hyphenationPoints("beautiful")).toEqual([4, 6]);
    expect(syllableCount("beautiful")).toBe(3);
  });

  it("hyphenation → hy-phen-ation (the classic TeX result)", () => {
    // h0 y1 p2 h3 e4 n5 a6 t7 i8 o9 n10 (n = 11, positions 2 … 9). hy3ph: y|p = 3 (pos 2, odd).
    // e|n (pos 5): phe2n, he2n = 2 vs he1na4, e1na, 1na = 1 → 2, even. n|a (pos 6): hen5at = 5 over
    // n2at = 2 → odd. a|t (pos 7): he1na4's 4 over a1t2io, 1t2io = 1 → even. t|i (pos 8) = 2.
    expect(hyphenationPoints("hyphenation")).toEqual([2, 6]);
    expect(syllableCount("hyphenation")).toBe(3);
  });

  it("readability → read-abil-i-ty", () => {
    // r0 e1 a2 d3 a4 b5 i6 l7 i8 t9 y10 (positions 2 … 9). d|a (pos 4): ea2d1 = 1, 1d2a = 2,
    // 2d3a4b = 3 → 3, odd. a|b (pos 5): 2d3a4b = 4, 1bil = 1 → even. l|i (pos 8): bil1i, il1i,
    // 2il1it, l1it = 1 → odd. i|t (pos 9): 1ty = 1 → odd.
    expect(hyphenationPoints("readability")).toEqual([4, 8, 9]);
    expect(syllableCount("readability")).toBe(4);
  });

  it("applies the TUGboat exceptions (whole-word 8/9 patterns) over the patterns", () => {
    // .ta9b8le.: ta|ble = 9 (odd) beats 1ta4/2tab/ab2l2.
    expect(syllableCount("table")).toBe(2);
    // .as9s8o9c8i8a8te. → as-so-ciate.
    expect(hyphenationPoints("associate")).toEqual([2, 4]);
    // TUGboat's rec-i-proc-i-ty, not Knuth's 14-word list "reci-procity" (which would give 2).
    expect(hyphenationPoints("reciprocity")).toEqual([3, 4, 8, 9]);
    // .pr8o8j8e8ct.: no break at all.
    expect(syllableCount("project")).toBe(1);
  });

  it("never breaks words shorter than 4 letters and respects 2 letters at each end", () => {
    for (const w of ["a", "ab", "abc", "abcd"]) expect(hyphenationPoints(w)).toEqual([]);
    expect(hyphenationPoints("supercalifragilisticexpialidocious")).toEqual([2, 5, 8, 13, 17, 20, 22, 24, 27, 29]);
  });
});

describe("syllableCount", () => {
  it("lower-cases and ignores punctuation, as textstat does before calling Pyphen", () => {
    expect(syllableCount("Readability")).toBe(4);
    expect(syllableCount("HYPHENATION")).toBe(3);
    // can't → cant: .ca2n / a2n: a|n = 2 even; can1t's n|t = 1 is at position 3 > 4 − 2.
    expect(syllableCount("can't")).toBe(1);
    // İ lower-cases to i + U+0307; the mark is not a word character and goes (istanbul → is-tan-bul).
    expect(countSyllablesUncached("İstanbul")).toBe(3);
  });

  it("counts digits-only words as one syllable and the empty word as zero", () => {
    expect(syllableCount("2023")).toBe(1);
    expect(countSyllablesUncached("")).toBe(0);
    expect(countSyllablesUncached("—")).toBe(0);
  });

  it("uses the ligature patterns of the dictionary (ﬁ is one letter)", () => {
    expect(syllableCount("finance")).toBe(2); // fi|nance
    expect(syllableCount("ﬁnance")).toBe(1); // the ligature leaves only 6 letters and no odd value in 2 … 4
  });

  it("keeps number words out of the cache without changing their count", () => {
    expect(syllableCount("1234567")).toBe(countSyllablesUncached("1234567"));
    expect(syllableCount("1_000")).toBe(1);
    expect(syllableCount("4th")).toBe(countSyllablesUncached("4th"));
  });

  it("detach copies long strings and keeps their value", () => {
    const long = "internationalization-ready";
    expect(detach(long)).toBe(long);
    expect(detach("short")).toBe("short");
  });

  it("caches without changing results", () => {
    clearSyllableCache();
    const first = syllableCount("dictionary");
    expect(first).toBe(3);
    expect(syllableCount("dictionary")).toBe(first);
  });
});
