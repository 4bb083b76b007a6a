// Number formatting shared by the table exports: a precision that suits the magnitude, the same rule the pages use.

export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

/** The half-width of an interval, for "value ± h" (percentile-bootstrap intervals are near-symmetric for means). */
export function halfWidth(lo: number | null | undefined, hi: number | null | undefined): number | null {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return null;
  return (hi - lo) / 2;
}

export function formatPct(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "";
  const s = Math.abs(p) >= 100 ? p.toFixed(0) : Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2);
  return p > 0 ? `+${s}` : s;
}

export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return "";
  if (p < 0.001) return "<0.001";
  return p.toFixed(3);
}
