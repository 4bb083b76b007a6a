// CSV export (RFC 4180) with formula injection neutralised.
//
// Rule: a TEXT cell whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
// apostrophe (`'`), which spreadsheet programs show but do not evaluate (OWASP's recommendation). Numbers are
// written as plain decimal numbers and never prefixed, so -3.5 stays a number. Cells containing `"`, `,`, CR or LF
// are quoted with `"` doubled. Bidirectional embedding, override and isolate controls are dropped from text cells
// first (lib/export/bidi.ts: they would show the rest of the line reversed), so the formula rule sees the text as shown.
import { stripBidiControls } from "./bidi";
import { formatP } from "./format";
import type { ExportTable } from "./table-model";

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  let s: string;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "";
    s = String(v);
  } else {
    const t = stripBidiControls(v);
    s = FORMULA_START.test(t) ? `'${t}` : t;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: CsvValue[][]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/**
 * One row per metric: per run value, CI bounds, n and the run's state (completed, completed_with_failures, …);
 * per other run the difference, % change, paired CI, p-value, adjusted p-value and verdict (better / worse only
 * where significant after the correction: better, worse, tie, different, not_significant, no_test); then the
 * significance settings (alpha, correction, tests), the same on every row so that any row stands on its own.
 */
export function csvTable(t: ExportTable): string {
  const header: CsvValue[] = ["metric_id", "metric", "unit", "better"];
  t.runLabels.forEach((l) => header.push(`${l}: value`, `${l}: ci_low`, `${l}: ci_high`, `${l}: n`, `${l}: run_state`));
  t.changeLabels.forEach((l) =>
    header.push(
      `${l}: difference`,
      `${l}: percent_change`,
      `${l}: paired_diff_ci_low`,
      `${l}: paired_diff_ci_high`,
      `${l}: p_value`,
      `${l}: p_adjusted`,
      `${l}: verdict`,
    ),
  );
  header.push("alpha", "correction", "tests");
  const sig = t.significance;
  const rows: CsvValue[][] = [header];
  for (const r of t.rows) {
    const row: CsvValue[] = [r.metric, r.label, r.unit, r.better];
    r.values.forEach((c, i) => row.push(c?.value, c?.lo, c?.hi, c?.n, t.runStates?.[i]?.state));
    for (const c of r.changes) row.push(c?.diff, c?.pct, c?.diffLo, c?.diffHi, c?.pValue, c?.pAdjusted, c?.verdict);
    row.push(sig?.alpha, sig?.correction, sig?.tests);
    rows.push(row);
  }
  return toCsv(rows);
}

export { formatP };
