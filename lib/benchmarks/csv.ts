/**
 * RFC 4180 CSV reader (no dependency). Fields are separated by `,`; records end at CRLF, LF or a lone CR;
 * a field that starts with `"` is quoted: it may hold commas, line breaks and doubled quotes (`""` → `"`).
 * Leniency, as Python's csv module (which wrote/reads the benchmark files): a `"` inside an unquoted field is
 * kept literally. A final line terminator does not start an empty record. One pass, no quadratic concatenation.
 *
 * Kept instead of csv-parse (7.0.3, tried against lib/benchmarks/csv.test.ts): with `relax_quotes` (needed for the
 * stray quote above) it accepts `"x"y` as one field instead of reporting it, without it it rejects the stray quote;
 * it takes the first record terminator for the whole file (a later lone LF or CR became part of a field); it names
 * the line where an unterminated quote is noticed (the end of the file), not where it opened; and with the record
 * line numbers the errors here need (`info: true`) it took 6.5–7.4 s on the 200,000-record test input against
 * 1.7–1.9 s for this reader (same machine, same run).
 */
import { BenchmarkFormatError } from "./errors";

export interface CsvRow {
  /** 1-based physical line on which the record starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let fields: string[] = [];
  let rowLine = 1;

  const endRecord = () => {
    rows.push({ line: rowLine, fields });
    fields = [];
  };

  while (i < n) {
    // Start of a field.
    if (text.charCodeAt(i) === 34 /* " */) {
      const openLine = line;
      i++;
      const parts: string[] = [];
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          throw new BenchmarkFormatError(file, { line: openLine }, "expected a closing quote for the quoted field opened on this line");
        }
        const chunk = text.slice(i, q);
        line += countNewlines(chunk);
        parts.push(chunk);
        if (text.charCodeAt(q + 1) === 34) {
          parts.push('"');
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(parts.length === 1 ? parts[0] : parts.join(""));
      const c = text.charCodeAt(i);
      if (i >= n) {
        endRecord();
        break;
      }
      if (c === 44 /* , */) {
        i++;
        if (i >= n) {
          fields.push("");
          endRecord();
        }
        continue;
      }
      if (c === 10 || c === 13) {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
        endRecord();
        rowLine = line;
        continue;
      }
      throw new BenchmarkFormatError(file, { line }, `expected ',' or end of line after a closing quote, found ${JSON.stringify(text[i])}`);
    }
    // Unquoted field: up to the next comma or line break.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 44 || c === 10 || c === 13) break;
      j++;
    }
    fields.push(text.slice(i, j));
    if (j >= n) {
      endRecord();
      i = j;
      break;
    }
    const c = text.charCodeAt(j);
    if (c === 44) {
      i = j + 1;
      if (i >= n) {
        fields.push("");
        endRecord();
      }
      continue;
    }
    i = j + (c === 13 && text.charCodeAt(j + 1) === 10 ? 2 : 1);
    line++;
    endRecord();
    rowLine = line;
  }
  return rows;
}

function countNewlines(s: string): number {
  let k = 0;
  // A CRLF counts once; a lone CR counts as a line break too, like the record separator rule.
  for (let p = 0; p < s.length; p++) {
    const c = s.charCodeAt(p);
    if (c === 10) k++;
    else if (c === 13 && s.charCodeAt(p + 1) !== 10) k++;
  }
  return k;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

/**
 * Reads a CSV file with a header row. Every column in `required` must be in the header; every record must have
 * exactly as many fields as the header. Blank lines (one empty field) are skipped.
 */
export function readCsvTable(text: string, file: string, required: readonly string[]): CsvTable {
  const rows = parseCsv(text, file);
  if (rows.length === 0) throw new BenchmarkFormatError(file, { line: 1 }, "expected a header row");
  const header = rows[0].fields;
  for (const col of required) {
    if (!header.includes(col)) throw new BenchmarkFormatError(file, { line: rows[0].line }, `expected column ${JSON.stringify(col)} in the header`);
  }
  const records: CsvRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const { line, fields } = rows[r];
    if (fields.length === 1 && fields[0] === "" && header.length > 1) continue;
    if (fields.length < header.length) {
      const missing = header[fields.length];
      throw new BenchmarkFormatError(file, { line }, `expected column ${JSON.stringify(missing)} (found ${fields.length} of ${header.length} fields)`);
    }
    if (fields.length > header.length) {
      throw new BenchmarkFormatError(file, { line }, `expected ${header.length} fields, found ${fields.length}`);
    }
    const values: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) values[header[k]] = fields[k];
    records.push({ line, values });
  }
  return { header, records };
}
