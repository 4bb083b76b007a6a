import { describe, expect, it } from "vitest";
import { charCount, letterCount, removePunctuation, sentenceCount, sentenceMatches, sentences, TEXT_METRIC_IDS, textCounts, textMetrics, words } from "./text";

// Every expected value below is worked out by hand from METRICS.md §1; syllables come from
// syllables.test.ts (traced through the patterns) or are noted inline.

const NULL_READABILITY = {
  mean_word_length: null,
  ttr: null,
  mtld: null,
  flesch_reading_ease: null,
  flesch_kincaid_grade: null,
  gunning_fog: null,
  smog: null,
  coleman_liau: null,
  automated_readability_index: null,
  lix: null,
  rix: null,
};

describe("textMetrics: worked examples", () => {
  it("returns exactly the §1 ids except length_tokens", () => {
    expect(Object.keys(textMetrics("Hello there, world.")).sort()).toEqual([...TEXT_METRIC_IDS].sort());
    expect(TEXT_METRIC_IDS).not.toContain("length_tokens");
    expect(TEXT_METRIC_IDS).toHaveLength(15);
  });

  it("two short sentences", () => {
    const m = textMetrics("The cat sat on the mat. It was happy.");
    // words: The cat sat on the mat It was happy = 9
    // chars: 3+3+3+2+3+4 ("mat.") +2+3+6 ("happy.") = 29; letters = 29 − 2 periods = 27
    // sentences: "The cat sat on the mat." (6 words) and "It was happy." (3 words) = 2
    // syllables: eight one-syllable words + hap-py (2) = 10; no polysyllable; no word > 6 letters
    expect(m.length_words).toBe(9);
    expect(m.length_chars).toBe(29);
    expect(m.length_sentences).toBe(2);
    expect(m.mean_sentence_length).toBe(4.5);
    expect(m.mean_word_length).toBe(3); // 27 / 9
    // FRE = 206.835 − 1.015·4.5 − 84.6·10/9 = 206.835 − 4.5675 − 94 = 108.2675
    expect(m.flesch_reading_ease).toBeCloseTo(108.2675, 10);
    // FKGL = 0.39·4.5 + 11.8·10/9 − 15.59 = 1.755 + 13.1111… − 15.59 = −0.72388…
    expect(m.flesch_kincaid_grade).toBeCloseTo(1.755 + 118 / 9 - 15.59, 10);
    expect(m.gunning_fog).toBeCloseTo(1.8, 12); // 0.4·(4.5 + 0)
    expect(m.smog).toBeNull(); // 2 sentences < 3
    // CLI = 0.0588·(100·27/9) − 0.296·(100·2/9) − 15.8 = 17.64 − 6.5777… − 15.8 = −4.73777…
    expect(m.coleman_liau).toBeCloseTo(17.64 - 59.2 / 9 - 15.8, 10);
    // ARI = 4.71·29/9 + 0.5·4.5 − 21.43 = 15.1766… + 2.25 − 21.43 = −4.00333…
    expect(m.automated_readability_index).toBeCloseTo((4.71 * 29) / 9 + 2.25 - 21.43, 10);
    expect(m.lix).toBe(4.5); // 4.5 + 100·0/9
    expect(m.rix).toBe(0);
    // tokens: the cat sat on the mat it was happy → 9 tokens, 8 types
    expect(m.ttr).toBeCloseTo(8 / 9, 14);
    // MTLD: TTR never reaches 0.72 (lowest is 8/9) in either direction; partial factor
    // (1 − 8/9)/0.28 = 1/2.52 → 9 · 2.52 = 22.68 both ways.
    expect(m.mtld).toBeCloseTo(22.68, 10);
  });

  it("three sentences: smog defined, polysyllables and long words", () => {
    const m = textMetrics("Beautiful animals live here. Readability matters a lot. Hyphenation is created daily.");
    // words (12): Beautiful(3 syl) animals(3: an-i-mals) live(1) here(1) Readability(4) matters(2)
    //             a(1) lot(1) Hyphenation(3) is(1) created(3) daily(2) → syllables 25
    // polysyllables (≥3): Beautiful animals Readability Hyphenation created = 5
    // long words (>6): Beautiful(9) animals(7) Readability(11) matters(7) Hyphenation(11) created(7) = 6
    // chars: 9+7+4+5+11+7+1+4+11+2+7+6 = 74; letters = 74 − 3 = 71; sentences: 4 + 4 + 4 words = 3
    expect(textCounts("Beautiful animals live here. Readability matters a lot. Hyphenation is created daily.")).toEqual({
      words: 12,
      chars: 74,
      letters: 71,
      sentenceMatches: 3,
      sentences: 3,
      syllables: 25,
      polysyllables: 5,
      longWords: 6,
    });
    expect(m.mean_sentence_length).toBe(4);
    // FRE = 206.835 − 1.015·4 − 84.6·25/12 = 206.835 − 4.06 − 176.25 = 26.525
    expect(m.flesch_reading_ease).toBeCloseTo(26.525, 10);
    // FKGL = 0.39·4 + 11.8·25/12 − 15.59 = 1.56 + 24.58333… − 15.59 = 10.55333…
    expect(m.flesch_kincaid_grade).toBeCloseTo(1.56 + 295 / 12 - 15.59, 10);
    // fog = 0.4·(4 + 100·5/12) = 0.4·45.6666… = 18.2666…
    expect(m.gunning_fog).toBeCloseTo(0.4 * (4 + 500 / 12), 10);
    // smog = 1.043·√(30·5/3) + 3.1291 = 1.043·√50 + 3.1291 = 10.50422…
    expect(m.smog).toBeCloseTo(1.043 * Math.sqrt(50) + 3.1291, 10);
    expect(m.smog).toBeCloseTo(10.504224, 6);
    // CLI = 0.0588·(100·71/12) − 0.296·(100·3/12) − 15.8 = 34.79 − 7.4 − 15.8 = 11.59
    expect(m.coleman_liau).toBeCloseTo(11.59, 10);
    // ARI = 4.71·74/12 + 0.5·4 − 21.43 = 29.045 + 2 − 21.43 = 9.615
    expect(m.automated_readability_index).toBeCloseTo(9.615, 10);
    expect(m.lix).toBeCloseTo(54, 12); // 4 + 100·6/12
    expect(m.rix).toBe(2); // 6 / 3
    expect(m.ttr).toBe(1); // 12 distinct tokens
    // MTLD: TTR stays 1, no factor and no partial factor → whole-text TTR is 1 → 1 factor → 12
    expect(m.mtld).toBe(12);
  });
});

describe("edge cases", () => {
  it("empty and whitespace-only text: zero lengths, one sentence, null readability and lexical metrics", () => {
    for (const text of ["", "   \n\t  "]) {
      expect(textMetrics(text)).toEqual({
        length_words: 0,
        length_chars: 0,
        length_sentences: 1, // the count is at least 1
        mean_sentence_length: 0, // 0 words / 1 sentence
        ...NULL_READABILITY,
      });
    }
  });

  it("only punctuation: characters but no words", () => {
    const m = textMetrics("...!!! — ?");
    expect(m.length_words).toBe(0);
    expect(m.length_chars).toBe(8); // . . . ! ! ! — ?
    expect(m.length_sentences).toBe(1);
    expect(m).toMatchObject(NULL_READABILITY);
  });

  it("emoji only: lexicalrichness finds a token, but a text without words has null lexical metrics", () => {
    const m = textMetrics("👍");
    expect(m.length_words).toBe(0);
    expect(m.length_chars).toBe(1);
    expect(m).toMatchObject(NULL_READABILITY);
  });

  it("one word", () => {
    const m = textMetrics("Hello");
    // 1 word, 5 chars, 5 letters, hel-lo = 2 syllables; one match "Hello" with 1 word → dropped → count 1
    expect(textCounts("Hello")).toMatchObject({ words: 1, chars: 5, letters: 5, sentenceMatches: 1, sentences: 1, syllables: 2 });
    expect(m.flesch_reading_ease).toBeCloseTo(206.835 - 1.015 - 84.6 * 2, 10);
    expect(m.ttr).toBe(1);
    expect(m.mtld).toBe(1); // 1 token, TTR 1, no factor → 1 / 1
  });

  it("contractions lose the apostrophe for words, split for lexicalrichness tokens", () => {
    expect(words("I can't go")).toEqual(["I", "cant", "go"]);
    const m = textMetrics("can't");
    expect(m.length_words).toBe(1);
    expect(m.length_chars).toBe(5);
    expect(m.mean_word_length).toBe(4); // letters: c a n t
    // tokens: "can", "t" → ttr 2/2
    expect(m.ttr).toBe(1);
    expect(m.mtld).toBe(2);
    // curly apostrophe is punctuation too
    expect(words("can’t")).toEqual(["cant"]);
  });

  it("hyphenated words stay one word", () => {
    expect(words("state-of-the-art models")).toEqual(["stateoftheart", "models"]);
    const c = textCounts("state-of-the-art");
    // stateoftheart: 13 letters (long word), 4 syllables (Pyphen: state-of-the-art → positions 3, 5, 8)
    expect(c).toMatchObject({ words: 1, chars: 16, letters: 13, syllables: 4, polysyllables: 1, longWords: 1 });
  });

  it("digits: words keep them, lexicalrichness deletes ASCII digit runs, a decimal point splits a sentence", () => {
    const text = "In 2023, GPT-4 scored 86.4% on MMLU.";
    expect(words(text)).toEqual(["In", "2023", "GPT4", "scored", "864", "on", "MMLU"]);
    // matches: "In 2023, GPT-4 scored 86." (5 words: In 2023 GPT4 scored 86) and "4% on MMLU." (3 words)
    expect(sentenceMatches(text)).toEqual(["In 2023, GPT-4 scored 86.", "4% on MMLU."]);
    const m = textMetrics(text);
    expect(m.length_words).toBe(7);
    expect(m.length_sentences).toBe(2);
    // chars: 2+5+5+6+5+2+5 = 30; letters = 30 − (, - . % .) = 25
    expect(m.length_chars).toBe(30);
    expect(m.mean_word_length).toBeCloseTo(25 / 7, 14);
    // tokens: in gpt scored on mmlu (digits and "-" deleted, "," "." "%" → spaces) → 5 distinct
    expect(m.ttr).toBe(1);
    expect(m.mtld).toBe(5);
    // digits only: one word, but no lexical token → lexical metrics null, readability defined
    const year = textMetrics("2023");
    expect(year.length_words).toBe(1);
    expect(year.ttr).toBeNull();
    expect(year.mtld).toBeNull();
    expect(year.flesch_reading_ease).toBeCloseTo(206.835 - 1.015 - 84.6, 10);
  });

  it("non-ASCII punctuation: curly quotes, em dash and ellipsis are punctuation, not terminators", () => {
    const text = "“Wait”—she said… “no.”";
    // "“Wait”—she" is one whitespace token → "Waitshe"; "said…" → "said"; "“no.”" → "no"
    expect(words(text)).toEqual(["Waitshe", "said", "no"]);
    // one match from W to the period: "Wait”—she said… “no." (3 words) → 1 sentence; … ends nothing
    expect(sentenceMatches(text)).toEqual(["Wait”—she said… “no."]);
    const m = textMetrics(text);
    expect(m.length_chars).toBe(20); // 10 + 5 + 5 code points
    expect(m.mean_word_length).toBeCloseTo(13 / 3, 14); // letters 7 + 4 + 2
    // tokens: — deleted, "." → space: "“wait”she", "said…", "“no", "”" → 4 distinct
    expect(m.ttr).toBe(1);
    expect(m.mtld).toBe(4);
  });

  it("emoji count as characters, not letters; they stay in lexicalrichness tokens", () => {
    const m = textMetrics("I love pizza 🍕🍕 so much");
    expect(m.length_words).toBe(5); // the 🍕🍕 token has no word character
    expect(m.length_chars).toBe(18); // 1+4+5+2+2+4, each emoji one code point (two UTF-16 units)
    expect(m.mean_word_length).toBe(16 / 5);
    expect(m.ttr).toBe(1); // i love pizza 🍕🍕 so much: 6 tokens
    expect(m.mtld).toBe(6);
    // ZWJ sequence 👩‍💻 = 3 code points (👩 U+200D 💻), none a word character
    expect(charCount("👩‍💻")).toBe(3);
    expect(textCounts("👩‍💻 ok").chars).toBe(5);
  });

  it("bullet lists without periods are one sentence", () => {
    const text = "- apples\n- pears\n- plums";
    expect(words(text)).toEqual(["apples", "pears", "plums"]);
    expect(sentenceMatches(text)).toEqual(["apples\n- pears\n- plums"]);
    const m = textMetrics(text);
    expect(m.length_sentences).toBe(1);
    expect(m.length_chars).toBe(19); // - apples - pears - plums: 1+6+1+5+1+5
    expect(m.mean_word_length).toBeCloseTo(16 / 3, 14);
  });

  it("code: operators vanish, identifiers with _ stay words, dots split sentences", () => {
    const text = "def add_one(x):\n    return x + 1  # bump\nprint(add_one(2).real)";
    expect(words(text)).toEqual(["def", "add_onex", "return", "x", "1", "bump", "printadd_one2real"]);
    // matches: "def add_one(x):\n    return x + 1  # bump\nprint(add_one(2)." (7 words) and "real)" (1 word, dropped)
    expect(sentenceMatches(text)).toHaveLength(2);
    expect(sentenceCount(text)).toBe(1);
  });

  it("drops matches of two words or fewer, and counts at least one sentence", () => {
    const text = "Hi. Go now. The quick brown fox jumps over the lazy dog!";
    expect(sentenceMatches(text)).toEqual(["Hi.", "Go now.", "The quick brown fox jumps over the lazy dog!"]);
    expect(sentences(text)).toEqual(["The quick brown fox jumps over the lazy dog!"]);
    expect(textCounts(text)).toMatchObject({ sentenceMatches: 3, sentences: 1, words: 12 });
    expect(textMetrics(text).mean_sentence_length).toBe(12);
    expect(sentenceCount("Hi. Yo.")).toBe(1); // both dropped → still 1
  });

  it("terminator runs stay with their sentence; a sentence starts only at a word character", () => {
    expect(sentenceMatches("Wait?! Really?!... Yes.")).toEqual(["Wait?!", "Really?!...", "Yes."]);
    expect(sentenceMatches("e.g. this is it")).toEqual(["e.", "g.", "this is it"]);
    expect(sentenceMatches("(Hello there) friend. 'Quoted text here.'")).toEqual(["Hello there) friend.", "Quoted text here."]);
  });

  it("smog is null below 3 sentences and defined from 3", () => {
    const two = "One two three. Four five six.";
    const three = "One two three. Four five six. Seven eight nine.";
    expect(textMetrics(two).smog).toBeNull();
    // no polysyllables (se-ven: 2): smog = 1.043·√0 + 3.1291
    expect(textMetrics(three).smog).toBeCloseTo(3.1291, 12);
  });

  it("word characters are Python's \\w: letters and numbers of any script, _, not combining marks", () => {
    // precomposed ï and é are letters
    expect(textCounts("naïve café")).toMatchObject({ words: 2, chars: 9, letters: 9 });
    // decomposed e + U+0301: the mark is a character but not a letter, and is deleted from the word
    expect(removePunctuation("cafe\u0301")).toBe("cafe");
    expect(textCounts("cafe\u0301")).toMatchObject({ words: 1, chars: 5, letters: 4 });
    // ½ ² Ⅻ are numbers (No, No, Nl) → word characters
    expect(words("½ ² Ⅻ")).toEqual(["½", "²", "Ⅻ"]);
    // astral letters (mathematical bold) count one character each
    expect(textCounts("𝐀𝐁𝐂𝐃")).toMatchObject({ words: 1, chars: 4, letters: 4, longWords: 0 });
    expect(textCounts("𝐀𝐁𝐂𝐃𝐄𝐅𝐆")).toMatchObject({ chars: 7, longWords: 1 });
    expect(letterCount("𝐀𝐁𝐂𝐃, ok")).toBe(6);
  });

  it("whitespace is Python's: NBSP and U+0085 split words, U+FEFF does not", () => {
    expect(words("a\u00a0b")).toEqual(["a", "b"]);
    expect(words("a\u0085b")).toEqual(["a", "b"]);
    expect(words("a\u001cb")).toEqual(["a", "b"]);
    expect(words("a\ufeffb")).toEqual(["ab"]);
    expect(textCounts("a\ufeffb")).toMatchObject({ words: 1, chars: 3, letters: 2 });
    expect(textCounts("a\u00a0b")).toMatchObject({ words: 2, chars: 2 });
  });

  it("lone surrogates count as one non-letter character", () => {
    expect(textCounts("ab\ud800cd")).toMatchObject({ words: 1, chars: 5, letters: 4 });
  });
});

describe("very long texts", () => {
  it("handles 100k words without crashing", () => {
    const vocabulary = ["model", "data", "the", "readability", "of", "synthetic", "text", "is", "measured", "here"];
    const parts: string[] = [];
    for (let i = 0; i < 100_000; i++) parts.push(vocabulary[(i * 7) % vocabulary.length] + (i % 10 === 9 ? "." : ""));
    const text = parts.join(" ");
    const m = textMetrics(text);
    expect(m.length_words).toBe(100_000);
    expect(m.length_sentences).toBe(10_000); // 10 words per sentence
    expect(m.smog).not.toBeNull();
    // Speed (linear time) is measured by npm run bench:metrics, not asserted here.
    expect(textMetrics(text + " " + text).length_words).toBe(200_000);
  });

  it("a single 200k-character word does not blow up", () => {
    const m = textMetrics("a".repeat(200_000));
    expect(m.length_words).toBe(1);
    expect(m.length_chars).toBe(200_000);
  });
});

// A small seeded generator so the property test is reproducible.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("one-pass scanner agrees with the direct regex statements of the rules", () => {
  it("on 3,000 random strings over a nasty alphabet", () => {
    const alphabet = [..."abcXYZ019_ .!?,'-–—\n\t", "é", "e\u0301", "🍕", "…", "\u00a0", "\ufeff", "\u0085", "“", "”", "𝐀", "½", "\ud800"];
    const rand = mulberry32(20240701);
    for (let n = 0; n < 3_000; n++) {
      let text = "";
      const len = Math.floor(rand() * 50);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      const c = textCounts(text);
      const w = words(text);
      const expected = {
        words: w.length,
        chars: charCount(text),
        letters: letterCount(text),
        sentenceMatches: sentenceMatches(text).length,
        sentences: sentenceCount(text),
        longWords: w.filter((x) => [...x].length > 6).length,
      };
      expect({ text, ...c, syllables: 0, polysyllables: 0 }).toEqual({ text, ...expected, syllables: 0, polysyllables: 0 });
    }
  });
});
