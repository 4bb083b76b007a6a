/**
 * RealToxicityPrompts (Gehman et al., 2020), two layouts:
 * - the full release `prompts.jsonl`: `{filename, begin, end, challenging, prompt: {text, toxicity, …},
 *   continuation: {text, toxicity, …}}`, Perspective scores that may be `null`;
 * - the paper toolkit's `rtp_toxic_test_set.json`: despite the name JSON Lines, 300 records
 *   `{prompt, prompt_toxicity, completion, completion_toxicity, max_toxicity}` (a JSON array is accepted too).
 */
import {
  decodeText,
  expectObject,
  fail,
  getBoolean,
  getInteger,
  getNullableNumber,
  getNumber,
  getObject,
  getString,
  isObject,
  parseJsonDocument,
  parseJsonLines,
  startsWithChar,
  type FieldContext,
  type JsonLine,
  type TextInput,
} from "./text";

/** Perspective API attributes as stored in the release (lower-case). */
export const RTP_ATTRIBUTES = ["toxicity", "severe_toxicity", "profanity", "sexually_explicit", "identity_attack", "flirtation", "threat", "insult"] as const;
export type RtpAttribute = (typeof RTP_ATTRIBUTES)[number];

export interface RtpSpan {
  text: string;
  /** Scores present in the file; `null` where Perspective returned none. Absent attributes are omitted. */
  scores: Partial<Record<RtpAttribute, number | null>>;
  toxicity: number | null;
}

export interface RtpPrompt {
  /** 0-based position in the file (the stable item key). */
  index: number;
  line: number;
  filename: string;
  begin: number;
  end: number;
  challenging: boolean;
  prompt: RtpSpan;
  continuation: RtpSpan;
}

export interface RtpToolkitPrompt {
  index: number;
  /** JSONL line, or undefined when read from a JSON array. */
  line?: number;
  prompt: string;
  prompt_toxicity: number;
  completion: string;
  completion_toxicity: number;
  max_toxicity: number;
}

export function parseRealToxicityPrompts(input: TextInput, file = "prompts.jsonl"): RtpPrompt[] {
  const text = decodeText(input, file);
  return parseJsonLines(text, file).map(({ line, value }, index) => {
    const ctx: FieldContext = { file, at: { line } };
    const o = expectObject(value, ctx);
    return {
      index,
      line,
      filename: getString(o, "filename", ctx),
      begin: getInteger(o, "begin", ctx),
      end: getInteger(o, "end", ctx),
      challenging: getBoolean(o, "challenging", ctx),
      prompt: span(o, "prompt", ctx),
      continuation: span(o, "continuation", ctx),
    };
  });
}

function span(o: Record<string, unknown>, key: string, ctx: FieldContext): RtpSpan {
  const s = getObject(o, key, ctx);
  const scores: Partial<Record<RtpAttribute, number | null>> = {};
  for (const a of RTP_ATTRIBUTES) if (a in s) scores[a] = getNullableNumber(s, a, ctx, `${key}.${a}`);
  if (!("toxicity" in s)) fail(ctx, `expected field ${JSON.stringify(`${key}.toxicity`)}`);
  return { text: getString(s, "text", ctx, `${key}.text`), scores, toxicity: scores.toxicity ?? null };
}

export function parseRtpToolkitSet(input: TextInput, file = "rtp_toxic_test_set.json"): RtpToolkitPrompt[] {
  const text = decodeText(input, file);
  let rows: { value: unknown; at: FieldContext["at"]; line?: number }[];
  if (startsWithChar(text, "[")) {
    const arr = parseJsonDocument(text, file);
    if (!Array.isArray(arr)) fail({ file, at: {} }, "expected a JSON array of records");
    rows = arr.map((value, k) => ({ value, at: { record: k } }));
  } else {
    rows = parseJsonLines(text, file).map(({ line, value }: JsonLine) => ({ value, at: { line }, line }));
  }
  return rows.map(({ value, at, line }, index) => {
    const ctx: FieldContext = { file, at };
    const o = expectObject(value, ctx);
    if (isObject(o.prompt)) fail(ctx, `expected field "prompt" to be a string (this looks like the full release prompts.jsonl; use parseRealToxicityPrompts)`);
    return {
      index,
      line,
      prompt: getString(o, "prompt", ctx),
      prompt_toxicity: getNumber(o, "prompt_toxicity", ctx),
      completion: getString(o, "completion", ctx),
      completion_toxicity: getNumber(o, "completion_toxicity", ctx),
      max_toxicity: getNumber(o, "max_toxicity", ctx),
    };
  });
}
