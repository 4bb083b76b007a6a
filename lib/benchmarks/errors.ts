/**
 * Errors raised by the benchmark parsers. Every message starts with the file name and, where one exists, the
 * position (`line N` for line-oriented formats, `record R` for whole-file JSON), then says what was expected —
 * e.g. `crows_pairs_anonymized.csv line 14: expected column "sent_less"`.
 */
import { errorOfKind } from "@/lib/errors";

export interface FormatPosition {
  /** 1-based physical line (JSONL, CSV, TXT, or the line of a JSON syntax error). */
  line?: number;
  /** 1-based column, only for JSON syntax errors. */
  column?: number;
  /** Record index or path inside a whole-file JSON document (e.g. `12` or `data.intrasentence[3]`). */
  record?: number | string;
}

export class BenchmarkFormatError extends errorOfKind("bad_input") {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly record?: number | string;
  readonly expected: string;

  constructor(file: string, position: FormatPosition, expected: string) {
    super(`${file}${describePosition(position)}: ${expected}`);
    this.name = "BenchmarkFormatError";
    this.file = file;
    this.line = position.line;
    this.column = position.column;
    this.record = position.record;
    this.expected = expected;
  }
}

function describePosition(p: FormatPosition): string {
  let out = "";
  if (p.line !== undefined) out += ` line ${p.line}`;
  if (p.column !== undefined) out += ` column ${p.column}`;
  if (p.record !== undefined) out += ` record ${p.record}`;
  return out;
}
