// The comparison table as the exports see it: labels from the catalogue, one value column per run, one change
// column per non-reference run. Pure: built from a ComparisonTable (lib/compare/table.ts).
import type { ComparisonTable } from "@/lib/compare/table";
import type { Correction, Verdict } from "@/lib/compare/verdicts";
import { getMetric } from "@/lib/metrics/catalogue";

export interface ExportCell {
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number | null;
}

export interface ExportChange {
  diff: number | null;
  pct: number | null;
  /** paired-bootstrap CI of the difference (mean per-sample difference, or of a benchmark-level statistic) */
  diffLo: number | null;
  diffHi: number | null;
  pValue: number | null;
  /** the p-value after the correction across the table */
  pAdjusted?: number | null;
  /** better / worse only where significant after the correction (lib/compare/verdicts.ts) */
  verdict: Verdict | null;
}

export interface ExportRow {
  metric: string;
  label: string;
  unit: string;
  better: string;
  values: (ExportCell | null)[];
  changes: (ExportChange | null)[];
  /** index into values of the value to bold: best by direction and backed by the tests; none when absent */
  best?: number | null;
}

export interface ExportRunState {
  /** completed, completed_with_failures, failed, … (lib/runs/run-state.ts) */
  state: string;
  label: string;
  /** the failed steps and items, one line; empty when none */
  problems: string;
}

/** A model of the compared lineage that has no column: why (no completed run, or left out). */
export interface ExportAbsentMember {
  name: string;
  role: string;
  reason: string;
}

export interface ExportTable {
  caption: string;
  /** run column headers, reference first */
  runLabels: string[];
  runIds: string[];
  /** change column headers (one per non-reference run) */
  changeLabels: string[];
  rows: ExportRow[];
  /** per run column, in runLabels order */
  runStates?: ExportRunState[];
  /** how verdicts were decided; tests = the size of the corrected family */
  significance?: { alpha: number; correction: Correction; tests: number | null };
  absent?: ExportAbsentMember[];
}

export function runLabel(r: { name: string; modelName: string }): string {
  return r.name && r.name !== r.modelName ? `${r.modelName} (${r.name})` : r.modelName;
}

/** Reference first, then the other runs in their order. */
export function exportTableOf(cmp: ComparisonTable, absent: ExportAbsentMember[] = []): ExportTable {
  const order = [cmp.runs.findIndex((r) => r.id === cmp.refId), ...cmp.runs.map((_, j) => j).filter((j) => cmp.runs[j].id !== cmp.refId)];
  const runs = order.map((j) => cmp.runs[j]);
  const ref = cmp.runs.find((r) => r.id === cmp.refId);
  return {
    caption: `Metrics of ${runs.map(runLabel).join(", ")}; change relative to ${ref ? runLabel(ref) : "the reference"}.`,
    runLabels: runs.map(runLabel),
    runIds: runs.map((r) => r.id),
    changeLabels: runs.slice(1).map((r) => runLabel(r)),
    runStates: runs.map((r) => ({ state: r.state, label: r.stateLabel, problems: r.problems })),
    significance: cmp.significance,
    absent,
    rows: cmp.rows.map((row) => {
      const m = getMetric(row.metric);
      return {
        metric: row.metric,
        label: m?.label ?? row.metric,
        unit: m?.unit ?? "",
        better: m?.better ?? "neutral",
        values: order.map((j) => {
          const c = row.cells[j];
          return c ? { value: c.value, lo: c.lo, hi: c.hi, n: c.n } : null;
        }),
        changes: runs.slice(1).map((r) => {
          const d = row.deltas.find((x) => x.runId === r.id);
          if (!d) return null;
          return {
            diff: d.diff,
            pct: d.pct,
            diffLo: d.paired?.lo ?? null,
            diffHi: d.paired?.hi ?? null,
            pValue: d.paired?.pValue ?? null,
            pAdjusted: d.pAdjusted,
            verdict: d.verdict,
          };
        }),
        best: row.bestRunId === null ? null : runs.findIndex((r) => r.id === row.bestRunId),
      };
    }),
  };
}
