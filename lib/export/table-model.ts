// The comparison table as the exports see it: labels from the catalogue, one value column per run, one change
// column per non-reference run. Pure: built from a ComparisonTable (lib/compare/table.ts).
import type { ComparisonTable } from "@/lib/compare/table";
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
  verdict: string | null;
}

export interface ExportRow {
  metric: string;
  label: string;
  unit: string;
  better: string;
  values: (ExportCell | null)[];
  changes: (ExportChange | null)[];
}

export interface ExportTable {
  caption: string;
  /** run column headers, reference first */
  runLabels: string[];
  runIds: string[];
  /** change column headers (one per non-reference run) */
  changeLabels: string[];
  rows: ExportRow[];
}

export function runLabel(r: { name: string; modelName: string }): string {
  return r.name && r.name !== r.modelName ? `${r.modelName} (${r.name})` : r.modelName;
}

/** Reference first, then the other runs in their order. */
export function exportTableOf(cmp: ComparisonTable): ExportTable {
  const order = [cmp.runs.findIndex((r) => r.id === cmp.refId), ...cmp.runs.map((_, j) => j).filter((j) => cmp.runs[j].id !== cmp.refId)];
  const runs = order.map((j) => cmp.runs[j]);
  const ref = cmp.runs.find((r) => r.id === cmp.refId);
  return {
    caption: `Metrics of ${runs.map(runLabel).join(", ")}; change relative to ${ref ? runLabel(ref) : "the reference"}.`,
    runLabels: runs.map(runLabel),
    runIds: runs.map((r) => r.id),
    changeLabels: runs.slice(1).map((r) => runLabel(r)),
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
            verdict: d.verdict,
          };
        }),
      };
    }),
  };
}
