import { getMetric } from "@/lib/metrics/catalogue";

/** A metric value at a precision that suits its magnitude. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function metricLabel(id: string): string {
  return getMetric(id)?.label ?? id;
}

export function directionLabel(id: string): string {
  const b = getMetric(id)?.better;
  if (!b) return "";
  if (b === "higher") return "higher is better";
  if (b === "lower") return "lower is better";
  if (b === "neutral") return "neutral";
  return `closest to ${b.slice("target:".length)} is best`;
}
