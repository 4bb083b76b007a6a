/**
 * Dolly-200 (English), the paper toolkit's prompt set for textual characteristics
 * (`data/Dolly-200/dolly_eval_eng.jsonl`). Despite the extension the real file is ONE JSON object in pandas
 * "columns" orientation: `{"id": {"6000": 1, …}, "inputs": {…}, "targets": {…}, "language": {…}, "script": {…},
 * "source_id": {…}}`. Also accepted: true JSON Lines (one row object per line) and a JSON array of row objects
 * (pandas "records"). The toolkit keeps `language == "eng"` rows; the first 100 are "val", the rest "test".
 */
import { BenchmarkFormatError } from "./errors";
import {
  decodeText,
  expectObject,
  fail,
  getString,
  isObject,
  locateJsonSyntaxError,
  offsetToLineColumn,
  parseJsonLines,
  type FieldContext,
  type JsonObject,
  type TextInput,
} from "./text";

export interface DollyRecord {
  /** Row label: the pandas index key ("6000"…) in the columns layout, else the 0-based position. */
  row: string;
  id: number | string | null;
  /** The prompt. */
  inputs: string;
  /** The reference answer. */
  targets: string | null;
  language: string | null;
  script: string | null;
  source_id: number | string | null;
}

export const DOLLY_COLUMNS = ["id", "inputs", "targets", "language", "script", "source_id"] as const;

export function parseDolly200(input: TextInput, file = "dolly_eval_eng.jsonl"): DollyRecord[] {
  const text = decodeText(input, file);
  let doc: unknown;
  let whole = true;
  try {
    doc = JSON.parse(text);
  } catch {
    whole = false;
  }
  if (whole && Array.isArray(doc)) return doc.map((v, k) => rowRecord(v, String(k), { file, at: { record: k } }));
  if (whole && isObject(doc) && isObject(doc.inputs)) return fromColumns(doc, file);
  if (whole && isObject(doc)) return [rowRecord(doc, "0", { file, at: { line: 1 } })];
  // Not one valid document: JSON Lines if the first non-blank line is JSON on its own, else one broken document.
  const first = text.split("\n", 50).find((l) => l.trim() !== "");
  if (first === undefined || !isJson(first)) {
    const loc = locateJsonSyntaxError(text);
    throw new BenchmarkFormatError(file, offsetToLineColumn(text, loc.offset), `expected valid JSON (${loc.reason})`);
  }
  return parseJsonLines(text, file).map(({ line, value }, k) => rowRecord(value, String(k), { file, at: { line } }));
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function fromColumns(doc: JsonObject, file: string): DollyRecord[] {
  const top: FieldContext = { file, at: {} };
  const columns: Record<string, JsonObject> = {};
  for (const [name, col] of Object.entries(doc)) {
    if (!isObject(col)) fail(top, `expected column ${JSON.stringify(name)} to be an object {row: value} (pandas "columns" orientation)`);
    columns[name] = col;
  }
  // Row order: JS enumerates integer-like keys ascending; pandas keeps file order. The released file lists
  // rows "6000".."6199" ascending, so both agree; an unordered file would be read in ascending row order here.
  const rows = Object.keys(columns.inputs);
  return rows.map((row) => {
    const ctx: FieldContext = { file, at: { record: JSON.stringify(row) } };
    const cell = (name: string) => (columns[name] && row in columns[name] ? columns[name][row] : undefined);
    const inputs = cell("inputs");
    if (typeof inputs !== "string") fail(ctx, `expected inputs[${JSON.stringify(row)}] to be a string`);
    return {
      row,
      id: idLike(cell("id"), ctx, "id"),
      inputs,
      targets: nullableString(cell("targets"), ctx, "targets"),
      language: nullableString(cell("language"), ctx, "language"),
      script: nullableString(cell("script"), ctx, "script"),
      source_id: idLike(cell("source_id"), ctx, "source_id"),
    };
  });
}

function rowRecord(value: unknown, row: string, ctx: FieldContext): DollyRecord {
  const o = expectObject(value, ctx, 'a row object with an "inputs" field');
  return {
    row,
    id: idLike(o.id, ctx, "id"),
    inputs: getString(o, "inputs", ctx),
    targets: nullableString(o.targets, ctx, "targets"),
    language: nullableString(o.language, ctx, "language"),
    script: nullableString(o.script, ctx, "script"),
    source_id: idLike(o.source_id, ctx, "source_id"),
  };
}

function nullableString(v: unknown, ctx: FieldContext, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") fail(ctx, `expected ${name} to be a string`);
  return v;
}

function idLike(v: unknown, ctx: FieldContext, name: string): number | string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" && typeof v !== "number") fail(ctx, `expected ${name} to be a number or string`);
  return v;
}

/** The toolkit's split (datasets.py): English rows, first 100 = val, the rest = test. */
export function dollySplits(records: readonly DollyRecord[]): { val: DollyRecord[]; test: DollyRecord[] } {
  const eng = records.filter((r) => r.language === null || r.language === "eng");
  return { val: eng.slice(0, 100), test: eng.slice(100) };
}
