import { describe, expect, it } from "vitest";
import { lexicalDiversity, lexicalTokens, mtld, mtldPass, ttr, typeIds } from "./lexical";

function pass(tokens: string[], reverse: boolean): number {
  const { ids, types } = typeIds(tokens);
  return mtldPass(ids, types, reverse, new Uint32Array(types));
}

describe("lexicalTokens (lexicalrichness 0.5.1 tokenize)", () => {
  it("lower-cases, deletes digit runs and dashes, splits on ASCII punctuation and whitespace", () => {
    expect(lexicalTokens("Can't stop")).toEqual(["can", "t", "stop"]);
    expect(lexicalTokens("a well-known fact")).toEqual(["a", "wellknown", "fact"]);
    expect(lexicalTokens("en–dash em—dash")).toEqual(["endash", "emdash"]);
    expect(lexicalTokens("In 2023 there were 3x more")).toEqual(["in", "there", "were", "x", "more"]);
    expect(lexicalTokens("snake_case and a.b,c")).toEqual(["snake", "case", "and", "a", "b", "c"]);
    expect(lexicalTokens("`code` {x} [y] <z> ~w|v")).toEqual(["code", "x", "y", "z", "w", "v"]);
  });

  it("keeps non-ASCII punctuation, curly quotes and emoji attached", () => {
    expect(lexicalTokens("“Hi,” she said… 👍")).toEqual(["“hi", "”", "she", "said…", "👍"]);
    // only ASCII digits are deleted (the reference uses [0-9]+)
    expect(lexicalTokens("٣ apples")).toEqual(["٣", "apples"]);
  });

  it("splits on Python whitespace (NBSP yes, U+FEFF no)", () => {
    expect(lexicalTokens("a\u00a0b")).toEqual(["a", "b"]);
    expect(lexicalTokens("a\ufeffb")).toEqual(["a\ufeffb"]);
  });

  it("yields nothing for digits and punctuation only", () => {
    expect(lexicalTokens("2023 -- 42!")).toEqual([]);
    expect(lexicalTokens("")).toEqual([]);
  });
});

describe("ttr", () => {
  it("types / tokens", () => {
    expect(ttr(["the", "cat", "the", "dog"])).toBe(0.75); // 3 types / 4 tokens
    expect(ttr([])).toBeNull();
  });
});

describe("mtld (threshold 0.72)", () => {
  it("forward and backward passes on a crafted list, by hand", () => {
    const tokens = ["a", "b", "c", "a", "d", "d"];
    // forward:  a 1/1, b 2/2, c 3/3, a 3/4 = .75, d 4/5 = .8, d 4/6 = .667 ≤ .72 → factor 1, reset;
    //           nothing left over → 6 / 1 = 6
    expect(pass(tokens, false)).toBe(6);
    // backward: d 1/1, d 1/2 = .5 ≤ .72 → factor 1, reset; a 1/1, c 2/2, b 3/3, a 3/4 = .75 → end with
    //           4 tokens pending: partial (1 − .75)/(1 − .72) = 25/28 → 6 / (1 + 25/28) = 168/53
    expect(pass(tokens, true)).toBeCloseTo(168 / 53, 12);
    // MTLD = (6 + 168/53) / 2 = (318 + 168) / 106 = 243/53 = 4.5849…
    expect(mtld(tokens)).toBeCloseTo(243 / 53, 12);
  });

  it("resets at exactly 0.72 or below and counts several factors", () => {
    // a b a b c c d: a 1, b 1, a 2/3 → F1 reset; b 1, c 1, c 2/3 → F2 reset; d 1/1 → partial 0 → 7/2
    const tokens = ["a", "b", "a", "b", "c", "c", "d"];
    expect(pass(tokens, false)).toBe(3.5);
    // backward d c c b a b a: d, c, c 2/3 → F1; b, a, b 2/3 → F2; a 1/1 → partial 0 → 7/2
    expect(pass(tokens, true)).toBe(3.5);
    expect(mtld(tokens)).toBe(3.5);
  });

  it("all-distinct text: no factor → whole-text TTR 1 → one factor → the token count", () => {
    expect(mtld(["x", "y", "z"])).toBe(3);
  });

  it("repeated token: a 1/1, a 1/2 → factor, nothing pending → 2 both ways", () => {
    expect(mtld(["a", "a"])).toBe(2);
  });

  it("a partial factor alone, without a full one", () => {
    // 9 tokens, 8 types, TTR never ≤ .72: partial (1 − 8/9)/0.28 → 9·0.28·9 = 22.68 each way
    const tokens = "the cat sat on the mat it was happy".split(" ");
    expect(mtld(tokens)).toBeCloseTo(22.68, 10);
  });

  it("is null without tokens", () => {
    expect(mtld([])).toBeNull();
  });
});

describe("lexicalDiversity (one-pass fast path)", () => {
  it("agrees exactly with lexicalTokens + ttr + mtld, across calls that share interned ids", () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = [..."abcAB 1.-–—,'_\n", "é", "🍕", "…", "\u00a0", "\ufeff", "“", "can", "the"];
    for (let n = 0; n < 2_000; n++) {
      let text = "";
      const len = Math.floor(rand() * 80);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      const tokens = lexicalTokens(text);
      expect({ text, ...lexicalDiversity(text) }).toEqual({
        text,
        tokens: tokens.length,
        types: new Set(tokens).size,
        ttr: ttr(tokens),
        mtld: mtld(tokens),
      });
    }
  });

  it("handles a long text", () => {
    const words = Array.from({ length: 50_000 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7) % 26))}`);
    const text = words.join(" ");
    const fast = lexicalDiversity(text);
    expect(fast.tokens).toBe(50_000);
    expect(fast.mtld).toBe(mtld(lexicalTokens(text)));
  });
});
