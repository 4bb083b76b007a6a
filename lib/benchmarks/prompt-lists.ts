/**
 * Plain prompt lists (user-supplied prompt sets, ToxiGen's prompt files):
 * - `.jsonl`: one JSON object per non-blank line; the prompt is the first of the fields `prompt`,
 *   `instruction`, `text` that is present (it must be a string); a bare JSON string line is a prompt too.
 *   An optional `id` (string or number) becomes the item key.
 * - `.json`: a JSON array whose elements are strings or objects as in `.jsonl`.
 * - `.csv`: RFC 4180 with a header row holding a `prompt` column (else `instruction`, else `text`);
 *   an `id` column, if any, gives the key.
 * - `.txt` (and any other extension): one prompt per line; lines that are empty or only whitespace are skipped;
 *   other lines are kept verbatim (no trimming — trailing spaces can matter to a completion prompt).
 * An empty prompt (after the above) is a format error; so is a duplicate key (runs key items by it).
 */
import { BenchmarkFormatError, type FormatPosition } from "./errors";
import { readCsvTable } from "./csv";
import { decodeText, describeValue, findUnstorable, isBlank, isObject, parseJsonDocument, parseJsonLines, splitLines, type TextInput } from "./text";

export const PROMPT_FIELDS = ["prompt", "instruction", "text"] as const;

export interface PromptItem {
  /** 0-based position among the prompts. */
  index: number;
  /** Stable key: the record's `id` when given, else String(index). */
  key: string;
  prompt: string;
  /** Where the prompt came from, for messages: line (JSONL/CSV/TXT) or record index (JSON). */
  at: FormatPosition;
  /** The whole source object for JSON/JSONL/CSV records (other fields may be useful, e.g. Alpaca `input`). */
  record?: Record<string, unknown>;
}

export type PromptListFormat = "jsonl" | "json" | "csv" | "txt";

export function promptListFormat(file: string): PromptListFormat {
  const m = /\.(jsonl|json|csv|txt)$/i.exec(file);
  return (m ? m[1].toLowerCase() : "txt") as PromptListFormat;
}

export function parsePromptList(input: TextInput, file: string, format: PromptListFormat = promptListFormat(file)): PromptItem[] {
  const text = decodeText(input, file);
  const raw: { prompt: unknown; id?: unknown; at: FormatPosition; record?: Record<string, unknown> }[] = [];
  if (format === "txt") {
    for (const { line, text: t } of splitLines(text)) if (!isBlank(t)) raw.push({ prompt: t, at: { line } });
  } else if (format === "csv") {
    const { header, records } = readCsvTable(text, file, []);
    const col = PROMPT_FIELDS.find((f) => header.includes(f));
    if (!col) throw new BenchmarkFormatError(file, { line: 1 }, `expected column "prompt" (or "instruction" / "text") in the header`);
    for (const { line, values } of records) raw.push({ prompt: values[col], id: values.id, at: { line }, record: values });
  } else {
    const values =
      format === "jsonl"
        ? parseJsonLines(text, file).map(({ line, value }) => ({ value, at: { line } as FormatPosition }))
        : jsonArray(text, file).map((value, k) => ({ value, at: { record: k } as FormatPosition }));
    for (const { value, at } of values) {
      if (typeof value === "string") raw.push({ prompt: value, at });
      else if (isObject(value)) {
        const f = PROMPT_FIELDS.find((name) => name in value);
        if (!f) throw new BenchmarkFormatError(file, at, `expected field "prompt" (or "instruction" / "text")`);
        raw.push({ prompt: value[f], id: value.id, at, record: value });
      } else throw new BenchmarkFormatError(file, at, `expected an object with a "prompt" field or a string, found ${describeValue(value)}`);
    }
  }
  const seen = new Set<string>();
  return raw.map(({ prompt, id, at, record }, index) => {
    if (typeof prompt !== "string") throw new BenchmarkFormatError(file, at, `expected the prompt to be a string, found ${describeValue(prompt)}`);
    if (isBlank(prompt)) throw new BenchmarkFormatError(file, at, "expected a non-empty prompt");
    const unstorable = findUnstorable(record ?? prompt) ?? findUnstorable(id ?? "");
    if (unstorable) throw new BenchmarkFormatError(file, at, `expected text the database can store, found ${unstorable}`);
    let key = String(index);
    if (id !== undefined && id !== null && id !== "") {
      if (typeof id !== "string" && typeof id !== "number")
        throw new BenchmarkFormatError(file, at, `expected "id" to be a string or number, found ${describeValue(id)}`);
      key = String(id);
    }
    if (seen.has(key)) throw new BenchmarkFormatError(file, at, `expected unique ids, ${JSON.stringify(key)} repeats`);
    seen.add(key);
    return record ? { index, key, prompt, at, record } : { index, key, prompt, at };
  });
}

function jsonArray(text: string, file: string): unknown[] {
  const doc = parseJsonDocument(text, file);
  if (!Array.isArray(doc)) throw new BenchmarkFormatError(file, {}, "expected a JSON array of prompts");
  return doc;
}
