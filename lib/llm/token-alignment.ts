// Aligns the tokens a server echoes back to the prompt that was sent, by their text (METRICS.md §2). Raw
// `text_offset`s cannot be trusted: vLLM echoes the tokenizer's start token (`<s>`, `<|begin_of_text|>`, `<bos>`)
// first and counts its characters, so every offset is shifted by its length; SentencePiece tokenizers add a
// space before the first word; partial UTF-8 characters come back as "" (vLLM's incremental detokenizer),
// `bytes:\xNN` (OpenAI) or raw byte-level pieces. Matching is done on UTF-8 bytes so that a character split over
// several tokens still lines up. Where the tokens do not spell the prompt, the alignment fails with the reason,
// and the caller must not score the text.

export interface AlignedToken {
  /** Index in the echoed token list. */
  index: number;
  /** Byte span in the prompt's UTF-8 (a zero-width span for a token holding part of a character). */
  start: number;
  end: number;
}

export type Alignment =
  | {
      ok: true;
      /** Tokens before the prompt that are not part of its text (the start token), usually one or none. */
      startTokens: string[];
      /** The tokens that spell the prompt, in order. Tokens after them are generated ones. */
      tokens: AlignedToken[];
      /** Prompt characters at the end that no prompt token covers (a generated token ran over them), e.g. " ". */
      uncoveredTail: string;
      promptBytes: number;
    }
  | { ok: false; reason: string };

const START_TOKENS = new Set(["<s>", "<bos>", "<|begin_of_text|>", "<|startoftext|>", "<BOS_TOKEN>", "[CLS]", "<|im_start|>", "<|endoftext|>"]);
const SPECIAL = /^(<\|[^\s|]{1,40}\|>|<[A-Za-z_/][A-Za-z0-9_]{0,30}>|\[[A-Z]{2,10}\])$/;

/** GPT-2 byte-level BPE: the printable stand-in for each byte (Ġ for a space, Ċ for a newline…), reversed. */
const byteLevel: Map<string, number> = (() => {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.map((b) => String.fromCharCode(b));
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(String.fromCharCode(256 + extra++));
    }
  }
  return new Map(chars.map((c, i) => [c, bytes[i]]));
})();

const utf8 = (s: string) => Buffer.from(s, "utf8");

/** The byte readings of a token's text to try, the literal one first. */
function readings(token: string): Buffer[] {
  const out = [utf8(token)];
  // OpenAI: a token that is part of a character is given as "bytes:\xe2\x80".
  const m = /^bytes:((?:\\x[0-9a-fA-F]{2})+)$/.exec(token);
  if (m)
    out.unshift(
      Buffer.from(
        m[1]
          .split("\\x")
          .slice(1)
          .map((h) => parseInt(h, 16)),
      ),
    );
  // SentencePiece byte fallback "<0x0A>" and word marker "▁".
  const hex = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
  if (hex) out.push(Buffer.from([parseInt(hex[1], 16)]));
  if (token.includes("\u2581")) out.push(utf8(token.replace(/\u2581/g, " ")));
  // Raw byte-level BPE pieces (Ġthe).
  if ([...token].every((c) => byteLevel.has(c)) && /[\u0100-\u0143]/.test(token)) out.push(Buffer.from([...token].map((c) => byteLevel.get(c)!)));
  return out;
}

function startsAt(hay: Buffer, needle: Buffer, pos: number): boolean {
  return needle.length <= hay.length - pos && hay.compare(needle, 0, needle.length, pos, pos + needle.length) === 0;
}

export function alignTokens(tokens: string[], prompt: string, logprobs?: (number | null)[]): Alignment {
  const p = utf8(prompt);
  const startTokens: string[] = [];
  const aligned: AlignedToken[] = [];
  let i = 0;
  // Start tokens: special tokens before the text, and an empty first token with no log-prob (a start token
  // some servers render as "").
  while (i < tokens.length) {
    const t = tokens[i];
    const special = (START_TOKENS.has(t) || SPECIAL.test(t)) && !startsAt(p, utf8(t), 0);
    const emptyStart = t === "" && i === 0 && logprobs !== undefined && (logprobs[0] === null || logprobs[0] === undefined);
    if (!special && !emptyStart) break;
    startTokens.push(t);
    i++;
  }
  let pos = 0;
  let uncoveredTail = "";
  for (; i < tokens.length && pos < p.length; i++) {
    const t = tokens[i];
    if (t === "") {
      aligned.push({ index: i, start: pos, end: pos });
      continue;
    }
    let matched: Buffer | null = null;
    for (const r of readings(t)) {
      if (startsAt(p, r, pos)) {
        matched = r;
        break;
      }
    }
    if (matched) {
      aligned.push({ index: i, start: pos, end: pos + matched.length });
      pos += matched.length;
      continue;
    }
    // SentencePiece puts a space before the first word ("The" comes back as " The").
    if (pos === 0 && aligned.length === 0) {
      const r = readings(t).find((b) => b[0] === 0x20 && b.length > 1 && startsAt(p, b.subarray(1), 0));
      if (r) {
        aligned.push({ index: i, start: 0, end: r.length - 1 });
        pos = r.length - 1;
        continue;
      }
    }
    // A token that starts with the rest of the prompt and runs on: a generated token took the prompt's tail.
    const rest = p.subarray(pos);
    if (readings(t).some((r) => r.length > rest.length && startsAt(r, rest, 0))) {
      uncoveredTail = rest.toString("utf8");
      pos = p.length;
      break;
    }
    const near = prompt.slice(Math.max(0, charIndex(p, pos) - 10), charIndex(p, pos) + 10);
    return {
      ok: false,
      reason: `echoed token ${i} ${JSON.stringify(t)} does not match the text sent at byte ${pos} (near ${JSON.stringify(near)})${t.includes("\uFFFD") ? ": the server replaced part of a character with U+FFFD" : ""}`,
    };
  }
  if (pos < p.length) {
    return { ok: false, reason: `the echoed tokens spell only ${charIndex(p, pos)} of the ${prompt.length} characters sent (was the prompt truncated?)` };
  }
  return { ok: true, startTokens, tokens: aligned, uncoveredTail, promptBytes: p.length };
}

/** The character index of a byte offset (offsets inside a character count as that character). */
function charIndex(p: Buffer, byteOffset: number): number {
  return p
    .subarray(0, byteOffset)
    .toString("utf8")
    .replace(/\uFFFD$/, "").length;
}

/** Byte offset of a character index in `text`. */
export function byteOffset(text: string, charIndex: number): number {
  return Buffer.byteLength(text.slice(0, charIndex), "utf8");
}
