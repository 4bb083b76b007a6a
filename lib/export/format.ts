// Number formatting shared by the table exports: a precision that suits the magnitude, the same rule the pages use.

export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

/**
 * The unit to write after a metric's label, or "" when it has none or the label already names it: "Length (words)",
 * "Words" (words) and "BBQ bias score" (score) are never given their unit twice.
 */
export function unitAfter(label: string, unit: string | null | undefined): string {
  if (!unit) return "";
  const escaped = unit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, "iu").test(label) ? "" : unit;
}

/** `label (unit)`, the unit left out when the label already names it (unitAfter). */
export function withUnit(label: string, unit: string | null | undefined): string {
  const u = unitAfter(label, unit);
  return u ? `${label} (${u})` : label;
}

/** The half-width of an interval, for "value ± h" (percentile-bootstrap intervals are near-symmetric for means). */
export function halfWidth(lo: number | null | undefined, hi: number | null | undefined): number | null {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return null;
  return (hi - lo) / 2;
}

/** A value with half its 95 % interval as the pages show it: "4.20 ± 0.31", "4.20" without an interval; "—" for none. */
export function formatValueCi(v: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined): string {
  const value = formatNumber(v);
  if (!value) return "—";
  const h = halfWidth(lo, hi);
  return h === null ? value : `${value} ± ${formatNumber(h)}`;
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

// The same quantities as the pages show them. Files keep the forms above (two decimals and no unit for a change,
// "<0.001" for a small p-value) so that LaTeX typesets them and a spreadsheet parses them; the pages write a change as
// "+3.5 %" and a p-value as "< 0.001". Dates are UTC everywhere.

/** A relative change in percent as the pages show it: "+3.5 %", "−12.0 %" (a minus sign), "+116 %", "0.0 %"; "—" for none. */
export function formatPctOnScreen(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "—";
  const s = Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1);
  return `${p > 0 ? "+" : p < 0 ? "−" : ""}${s.replace("-", "")} %`;
}

/** A difference as the pages show it: "+2.00", "−0.120" (a minus sign), "0.000"; "—" for none. */
export function formatDiffOnScreen(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  return `${v > 0 ? "+" : v < 0 ? "−" : ""}${formatNumber(Math.abs(v))}`;
}

/** A share (0–1) as a percentage: "37.5 %"; "—" for none. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) return "—";
  return `${(100 * share).toFixed(1)} %`;
}

/** A relative change in a figure's cell: as on the pages but without the unit (the figure's legend says %): "+3.5", "−12.0", "+116", "0.0"; "n/a" for none. */
export function formatPctInFigure(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "n/a";
  const s = Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1);
  if (Number(s) === 0) return "0.0";
  return `${p > 0 ? "+" : "−"}${s.replace("-", "")}`;
}

/** A p-value as the pages show it: "< 0.001" or three decimals; "—" for none. */
export function formatPOnScreen(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "—";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

function utc(d: Date | string): string | null {
  const t = typeof d === "string" ? new Date(d) : d;
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** A day, UTC: "2026-12-03"; "" for none. */
export function formatDate(d: Date | string | null | undefined): string {
  if (d === null || d === undefined) return "";
  return utc(d)?.slice(0, 10) ?? String(d);
}

/** A moment, UTC, to the minute ("2026-12-03 09:14") or with `seconds` to the second ("2026-12-03 09:14:05"); "" for none. */
export function formatDateTime(d: Date | string | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (d === null || d === undefined) return "";
  return (
    utc(d)
      ?.replace("T", " ")
      .slice(0, opts.seconds ? 19 : 16) ?? String(d)
  );
}
