/**
 * Agreement between two scorings of the same outputs (a judge asked twice): Spearman's rank correlation ρ and the
 * mean absolute difference. Pure.
 *
 * Spearman's ρ is Pearson's correlation of the two rank vectors, tied values getting the average of the ranks they
 * span (scipy.stats.spearmanr with its default rankdata "average"):
 *   ρ = Σ (r_i − r̄)(s_i − s̄) / √(Σ (r_i − r̄)² · Σ (s_i − s̄)²).
 * Without ties this equals 1 − 6 Σ d_i² / (n (n² − 1)). It is refused — with the reason, never a number — when it is
 * not defined: fewer than two pairs, or a side whose scores are all equal (its ranks have no variance; scipy
 * returns NaN there).
 *
 * Pairs where either score is missing (null, undefined, NaN: an unreadable answer) are left out; `n` counts the
 * pairs kept and `dropped` those left out.
 */
import type { MaybeNumber } from "./statistics";

export type Agreement<T> = { ok: true; value: T; n: number; dropped: number } | { ok: false; reason: string; n: number; dropped: number };

function missing(v: MaybeNumber): v is null | undefined {
  return v === null || v === undefined || Number.isNaN(v);
}

/** The pairs where both sides have a finite value. */
export function completePairs(a: readonly MaybeNumber[], b: readonly MaybeNumber[]): { x: number[]; y: number[]; dropped: number } {
  if (a.length !== b.length) throw new RangeError(`paired scores need equal lengths (${a.length} and ${b.length})`);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const u = a[i];
    const v = b[i];
    if (missing(u) || missing(v)) continue;
    if (!Number.isFinite(u) || !Number.isFinite(v)) throw new RangeError(`pair ${i} is (${u}, ${v}); only finite numbers or missing values are accepted`);
    x.push(u);
    y.push(v);
  }
  return { x, y, dropped: a.length - x.length };
}

/** Ranks 1…n, ties getting the mean of the ranks they span (scipy.stats.rankdata, method "average"). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // Positions start…end−1 (0-based) hold ranks start+1…end: their mean.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's ρ of the complete pairs of `a` and `b`, or the reason it is not defined. */
export function spearman(a: readonly MaybeNumber[], b: readonly MaybeNumber[]): Agreement<number> {
  const { x, y, dropped } = completePairs(a, b);
  const n = x.length;
  if (n < 2) return { ok: false, reason: `Spearman's ρ needs at least 2 pairs of scores (${n === 0 ? "none" : "1"} here)`, n, dropped };
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (n + 1) / 2; // the ranks' mean, ties or not
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean;
    const dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) {
    const which = sxx === 0 && syy === 0 ? "both scorings" : sxx === 0 ? "the first scoring" : "the second scoring";
    return { ok: false, reason: `Spearman's ρ is not defined: ${which} gave every output the same score (${n} pairs)`, n, dropped };
  }
  // Rounding can carry a perfect agreement a hair past ±1.
  return { ok: true, value: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))), n, dropped };
}

/** The mean of |a_i − b_i| over the complete pairs, or the reason it is not defined (no pair). */
export function meanAbsoluteDifference(a: readonly MaybeNumber[], b: readonly MaybeNumber[]): Agreement<number> {
  const { x, y, dropped } = completePairs(a, b);
  if (x.length === 0) return { ok: false, reason: "no output has both scores", n: 0, dropped };
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
  return { ok: true, value: s / x.length, n: x.length, dropped };
}
