/**
 * HellaSwag validation set (Zellers et al., 2019), two layouts:
 * - canonical `hellaswag_val.jsonl` (rowanz/hellaswag): `{ind, activity_label, ctx_a, ctx_b, ctx, split,
 *   split_type, label, endings, source_id}`;
 * - the 6-line text rendition `hellaswag_val_full.txt` (klosax/hellaswag_text_data): per item
 *   `<activity_label>: <ctx>`, `<label>`, then the 4 endings, all passed through a cleaning step that removes
 *   WikiHow bracket tags. It keeps every item, its order, label and endings, but not `ind`, `ctx_a`/`ctx_b`,
 *   `split_type`, `source_id`, and the tag removal cannot be undone — records from it say `layout: "text6"`.
 */
import { BenchmarkFormatError } from "./errors";
import { decodeText, expectObject, fail, getArray, getInteger, getString, parseJsonLines, splitLines, type FieldContext, type TextInput } from "./text";

export interface HellaswagItem {
  /** 0-based position in the file: the stable item key for both layouts. */
  index: number;
  /** Dataset `ind` (canonical layout only). */
  ind: number | null;
  activity_label: string;
  /** Context the model continues (the toolkit uses `ctx` without the activity label). */
  ctx: string;
  ctx_a: string | null;
  ctx_b: string | null;
  endings: [string, string, string, string];
  /** Gold ending index 0–3; null for unlabeled (test-split) records. */
  label: number | null;
  split: string | null;
  split_type: string | null;
  source_id: string | null;
  layout: "jsonl" | "text6";
  line: number;
}

export function parseHellaswagJsonl(input: TextInput, file = "hellaswag_val.jsonl"): HellaswagItem[] {
  const text = decodeText(input, file);
  return parseJsonLines(text, file).map(({ line, value }, index) => {
    const ctx: FieldContext = { file, at: { line } };
    const o = expectObject(value, ctx);
    const endings = getArray(o, "endings", ctx);
    if (endings.length !== 4 || endings.some((e) => typeof e !== "string")) fail(ctx, `expected field "endings" to be an array of 4 strings`);
    return {
      index,
      ind: "ind" in o ? getInteger(o, "ind", ctx) : null,
      activity_label: getString(o, "activity_label", ctx),
      ctx: getString(o, "ctx", ctx),
      ctx_a: optionalString(o, "ctx_a", ctx),
      ctx_b: optionalString(o, "ctx_b", ctx),
      endings: endings as HellaswagItem["endings"],
      label: parseLabel(o.label, ctx),
      split: optionalString(o, "split", ctx),
      split_type: optionalString(o, "split_type", ctx),
      source_id: optionalString(o, "source_id", ctx),
      layout: "jsonl" as const,
      line,
    };
  });
}

function optionalString(o: Record<string, unknown>, key: string, ctx: FieldContext): string | null {
  return key in o && o[key] !== null ? getString(o, key, ctx) : null;
}

// The GitHub release stores label as an integer; the HF copy as a string ("3"). Test records have none.
function parseLabel(v: unknown, ctx: FieldContext): number | null {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "string" && /^\d$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 3) fail(ctx, `expected field "label" to be 0–3, found ${JSON.stringify(v)}`);
  return n;
}

export function parseHellaswagText(input: TextInput, file = "hellaswag_val_full.txt"): HellaswagItem[] {
  const text = decodeText(input, file);
  const lines = splitLines(text);
  // Trailing blank lines are tolerated; anything else must come in complete groups of six.
  let count = lines.length;
  while (count > 0 && lines[count - 1].text === "") count--;
  if (count % 6 !== 0) {
    const start = count - (count % 6);
    throw new BenchmarkFormatError(
      file,
      { line: lines[count - 1].line },
      `expected 6 lines per item (item starting on line ${lines[start].line} has ${count % 6})`,
    );
  }
  const items: HellaswagItem[] = [];
  for (let k = 0; k < count; k += 6) {
    const head = lines[k];
    const sep = head.text.indexOf(": ");
    if (sep === -1) throw new BenchmarkFormatError(file, { line: head.line }, `expected "<activity_label>: <context>"`);
    const labelLine = lines[k + 1];
    if (!/^[0-3]$/.test(labelLine.text))
      throw new BenchmarkFormatError(file, { line: labelLine.line }, `expected the gold ending index 0–3, found ${JSON.stringify(labelLine.text)}`);
    items.push({
      index: k / 6,
      ind: null,
      // Split at the first ": " — none of the 192 activity labels of the validation set contains one.
      activity_label: head.text.slice(0, sep),
      ctx: head.text.slice(sep + 2),
      ctx_a: null,
      ctx_b: null,
      endings: [lines[k + 2].text, lines[k + 3].text, lines[k + 4].text, lines[k + 5].text],
      label: Number(labelLine.text),
      split: "val",
      split_type: null,
      source_id: null,
      layout: "text6",
      line: head.line,
    });
  }
  return items;
}

/** Picks the parser from the file name: `.txt` → 6-line text rendition, anything else → JSON Lines. */
export function parseHellaswag(input: TextInput, file: string): HellaswagItem[] {
  return file.endsWith(".txt") ? parseHellaswagText(input, file) : parseHellaswagJsonl(input, file);
}
