import { formatNumber } from "@/lib/export/format";
import { getMetric } from "@/lib/metrics/catalogue";

/** A metric value at a precision that suits its magnitude ("—" when there is none). */
export function formatValue(v: number | null | undefined): string {
  return formatNumber(v) || "—";
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
