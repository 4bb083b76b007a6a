// Echoed tokens aligned to the prompt by text (METRICS.md §2), with the token lists engines actually return.
import { describe, expect, it } from "vitest";
import { splitAtBoundary } from "@/lib/llm/loglikelihood";
import { alignTokens } from "@/lib/llm/token-alignment";

const echo = (tokens: string[], tokenLogprobs: (number | null)[]) => ({ tokens, tokenLogprobs, topLogprobs: null });

describe("alignTokens", () => {
  it("skips a start token and aligns the rest (vLLM, Llama 2)", () => {
    const a = alignTokens(["<s>", "The", " cat", " sat", ".", " It"], "The cat sat.", [null, -1, -2, -3, -4, -5]);
    expect(a.ok && a.startTokens).toEqual(["<s>"]);
    expect(a.ok && a.tokens.map((t) => [t.index, t.start, t.end])).toEqual([
      [1, 0, 3],
      [2, 3, 7],
      [3, 7, 11],
      [4, 11, 12],
    ]);
  });

  it("accepts SentencePiece's space before the first word and Llama 3's start token", () => {
    const a = alignTokens(["<|begin_of_text|>", " The", " cat"], "The cat");
    expect(a.ok && a.startTokens).toEqual(["<|begin_of_text|>"]);
    expect(a.ok && a.tokens.map((t) => [t.start, t.end])).toEqual([
      [0, 3],
      [3, 7],
    ]);
  });

  it("a prompt that itself begins with text looking like a tag is not a start token", () => {
    const a = alignTokens(["<b>", "bold"], "<b>bold");
    expect(a.ok && a.startTokens).toEqual([]);
  });

  it("characters split over tokens: empty pieces (vLLM), bytes:\\x.. (OpenAI), raw byte-level BPE", () => {
    const vllm = alignTokens(["<s>", "", "学", "", "生"], "学生", [null, -1, -2, -3, -4]);
    expect(vllm.ok && vllm.tokens.map((t) => [t.start, t.end])).toEqual([
      [0, 0],
      [0, 3],
      [3, 3],
      [3, 6],
    ]);
    const openai = alignTokens(["bytes:\\xe5\\xad", "bytes:\\xa6", "生"], "学生");
    expect(openai.ok && openai.tokens.map((t) => [t.start, t.end])).toEqual([
      [0, 2],
      [2, 3],
      [3, 6],
    ]);
    const bpe = alignTokens(["The", "Ġcat", "Ċ"], "The cat\n");
    expect(bpe.ok && bpe.tokens.length).toBe(3);
  });

  it("a generated token that runs over the prompt's end leaves the tail uncovered; later tokens are generated", () => {
    const a = alignTokens(["A", " dog", " cat", "s"], "A dog ");
    expect(a.ok && a.tokens.map((t) => t.index)).toEqual([0, 1]);
    expect(a.ok && a.uncoveredTail).toBe(" ");
  });

  it("refuses what it cannot align, with the reason", () => {
    const bad = alignTokens(["The", " dog"], "The cat");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/token 1 " dog" does not match the text sent at byte 3/);
    const short = alignTokens(["The"], "The cat");
    expect(!short.ok && short.reason).toMatch(/spell only 3 of the 7 characters/);
    const fffd = alignTokens(["\uFFFD", "生"], "学生");
    expect(!fffd.ok && fffd.reason).toMatch(/U\+FFFD/);
  });
});

describe("splitAtBoundary", () => {
  // vLLM with a start token: text_offset would be shifted by 3 ("<s>"); the split must not be.
  const tokens = ["<s>", "Answer", ":", " the", " red", " one", " and"];
  const lps = [null, -1, -2, -3, -4, -5, -6];
  const prompt = "Answer: the red one";

  it("scores exactly the continuation's tokens after a start token", () => {
    const r = splitAtBoundary(echo(tokens, lps), prompt, "Answer:".length);
    expect(r.tokens).toEqual([" the", " red", " one"]);
    expect(r.logprobs).toEqual([-3, -4, -5]);
    expect(r.contextTokenCount).toBe(2);
    expect(r.startToken).toBe("<s>");
    expect(r.unaligned).toBeNull();
  });

  it("a whole sentence after a start token: the first word is scored (it has a log-prob)", () => {
    const r = splitAtBoundary(echo(tokens, lps), prompt, 0);
    expect(r.firstTokenNull).toBe(false);
    expect(r.logprobs).toEqual([-1, -2, -3, -4, -5]);
  });

  it("without a start token the first token's null log-prob is skipped and reported", () => {
    const r = splitAtBoundary(
      echo(
        tokens.slice(1),
        lps.slice(1).map((x, i) => (i === 0 ? null : x)),
      ),
      prompt,
      0,
    );
    expect(r.firstTokenNull).toBe(true);
    expect(r.firstToken).toBe("Answer");
    expect(r.logprobs).toEqual([-2, -3, -4, -5]);
  });

  it("an option ending in a space: a generated token over the space is never scored", () => {
    const r = splitAtBoundary(echo(["<s>", "Q", ":", " the", " cat", " sat"], [null, -1, -2, -3, -4, -5]), "Q: the ", 2);
    expect(r.tokens).toEqual([" the"]);
    expect(r.uncoveredTail).toBe(" ");
  });
});
