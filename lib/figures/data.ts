// The data figures are drawn from (plain JSON, handed from the server to the browser). Pure.

export interface FigureRun {
  id: string;
  label: string;
  role: string | null;
}

export interface FigureCell {
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
}

export interface FigureRow {
  metric: string;
  label: string;
  shortLabel: string;
  unit: string;
  better: string;
  category: string;
  perSample: boolean;
  /** per run, in run order */
  cells: (FigureCell | null)[];
  /** per non-reference run, in run order */
  changes: { runId: string; pct: number | null; verdict: string | null }[];
}

export interface HistogramData {
  edges: number[];
  /** per run, counts per bin */
  counts: number[][];
  n: number[];
}

export interface ReliabilityBin {
  lo: number | null;
  hi: number | null;
  n: number;
  accuracy: number | null;
  meanConfidence: number | null;
}

export const CATEGORY_NAMES: Record<string, string> = {
  textual: "Textual characteristics",
  social_bias: "Social bias",
  toxicity: "Toxicity",
  calibration: "Calibration",
  other: "Other",
};

/** A run's name in figures: its label, with its role when it has one ("Llama-2 7B (student)"). */
export function runName(r: FigureRun): string {
  return r.role ? `${r.label} (${r.role})` : r.label;
}

/** `label (unit)`, without repeating a unit the label already names: the format module's (lib/export/format.ts). */
export { withUnit } from "@/lib/export/format";
