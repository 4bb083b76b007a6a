// Multiple-comparison corrections: adjusted p-values for a family of tests (a comparison table's differences), as
// R's p.adjust computes them. Pure: no I/O, no framework.
//
// Missing p-values (null, undefined, NaN: no test exists) are not part of the family: m counts the p-values
// present, and a missing input gives a null adjusted value in its place. Adjusted values never exceed 1 and are
// returned in the input order. A p-value outside [0, 1] throws (an upstream bug).

export type MaybeP = number | null | undefined;

export type Correction = "holm" | "bh" | "none";

export const CORRECTIONS: readonly Correction[] = ["holm", "bh", "none"];

export const CORRECTION_LABELS: Record<Correction, string> = {
  holm: "Holm",
  bh: "Benjamini–Hochberg",
  none: "no correction",
};

function present(ps: readonly MaybeP[]): { i: number; p: number }[] {
  const out: { i: number; p: number }[] = [];
  ps.forEach((p, i) => {
    if (p === null || p === undefined || Number.isNaN(p)) return;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${p} at ${i} is outside [0, 1]`);
    out.push({ i, p });
  });
  return out;
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate): with the m p-values sorted ascending,
 * p̃_(j) = max_{k ≤ j} min(1, (m − k + 1)·p_(k)). A test is significant at level α when p̃ < α, which is Holm's
 * procedure: reject while p_(k) < α/(m − k + 1), stop at the first that is not.
 */
export function holm(ps: readonly MaybeP[]): (number | null)[] {
  const xs = present(ps).sort((a, b) => a.p - b.p || a.i - b.i);
  const m = xs.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  xs.forEach((x, k) => {
    running = Math.max(running, Math.min(1, (m - k) * x.p));
    out[x.i] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg step-up adjustment (controls the false discovery rate): with the m p-values sorted
 * ascending, p̃_(j) = min_{k ≥ j} min(1, m·p_(k)/k).
 */
export function benjaminiHochberg(ps: readonly MaybeP[]): (number | null)[] {
  const xs = present(ps).sort((a, b) => a.p - b.p || a.i - b.i);
  const m = xs.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, Math.min(1, (m * xs[k].p) / (k + 1)));
    out[xs[k].i] = running;
  }
  return out;
}

/** The adjusted p-values of a family under a correction ("none": the p-values as they are). */
export function adjustPValues(ps: readonly MaybeP[], correction: Correction): (number | null)[] {
  if (correction === "holm") return holm(ps);
  if (correction === "bh") return benjaminiHochberg(ps);
  const out: (number | null)[] = ps.map(() => null);
  for (const x of present(ps)) out[x.i] = x.p;
  return out;
}
