// Data handed from the server to the chart components (plain JSON).

export interface ChartRun {
  id: string;
  label: string;
  role: string | null;
}

export interface ChartRow {
  metric: string;
  label: string;
  shortLabel: string;
  unit: string;
  better: string;
  category: string;
  perSample: boolean;
  /** per run, in run order */
  cells: ({ value: number | null; lo: number | null; hi: number | null; n: number } | null)[];
  /** per non-reference run, in run order */
  changes: { runId: string; pct: number | null; verdict: string | null }[];
}

export interface ReliabilityBin {
  lo: number | null;
  hi: number | null;
  n: number;
  accuracy: number | null;
  meanConfidence: number | null;
}

export interface FigureSettings {
  /** width in inches: 3.3 (single column) or 7 (double) */
  widthIn: number;
  /** font size in points */
  fontPt: number;
}

export const PX_PER_IN = 96;
export function widthPx(s: FigureSettings): number {
  return Math.round(s.widthIn * PX_PER_IN);
}
export function fontPx(s: FigureSettings): number {
  return Math.round((s.fontPt * PX_PER_IN) / 72 * 10) / 10;
}

export function axisLabel(row: { shortLabel: string; unit: string }): string {
  return row.unit ? `${row.shortLabel} (${row.unit})` : row.shortLabel;
}
