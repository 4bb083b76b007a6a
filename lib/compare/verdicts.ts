// Verdicts of a comparison table: a difference is "better" or "worse" only where its paired test is significant at
// the chosen level after a multiple-comparison correction across the whole table (every difference that has a
// test is one hypothesis of the family). Pure — the compare table (in the browser) and the exports (on the server)
// call the same function, so they always agree.
import { compareForBetter, getMetric, type Comparison } from "@/lib/metrics/catalogue";
import { adjustPValues, CORRECTION_LABELS, type Correction } from "@/lib/metrics/multiple-comparisons";

export type { Correction } from "@/lib/metrics/multiple-comparisons";

/**
 * - better / worse: significant, and the metric's direction says which way;
 * - tie: significant, but the two values (or their distances to the target) are equal within a relative 1e-9;
 * - different: significant, on a metric without a better direction (length, readability);
 * - not_significant: the corrected p-value is not below α;
 * - no_test: no paired test exists (imported results without per-item data, no shared items).
 */
export type Verdict = "better" | "worse" | "tie" | "different" | "not_significant" | "no_test";

export interface Significance {
  /** two-sided level: a difference is significant when its adjusted p-value is below alpha */
  alpha: number;
  correction: Correction;
}

export const DEFAULT_SIGNIFICANCE: Significance = { alpha: 0.05, correction: "holm" };

export const VERDICT_TEXT: Record<Verdict, string> = {
  better: "better",
  worse: "worse",
  tie: "significant difference, equally good",
  different: "significant difference (no better direction)",
  not_significant: "no significant difference",
  no_test: "—",
};

export interface VerdictCell {
  metric: string;
  /** the direction's comparison of the value with the reference; null when either value is missing */
  direction: Comparison | null;
  /** the paired test's two-sided p-value; null when there is no test */
  pValue: number | null;
}

export interface CellVerdict {
  /** null when either value is missing */
  verdict: Verdict | null;
  /** p-value after the correction across the table; null without a test */
  pAdjusted: number | null;
}

/** The direction's comparison of `value` with `reference` (ties within a relative 1e-9); null when one is missing. */
export function directionOf(metric: string, reference: number | null, value: number | null): Comparison | null {
  if (reference === null || value === null) return null;
  return getMetric(metric) ? compareForBetter(metric, value, reference) : "neutral";
}

/** The p-value a difference is judged by: its paired test's, when the metric is paired and has pairs. */
export function testedP(pairable: boolean, paired: { n: number; pValue: number | null } | null | undefined): number | null {
  return pairable && paired && paired.n > 0 ? paired.pValue : null;
}

/** Verdicts of every difference of a table, in the order given, and the size of the corrected family. */
export function tableVerdicts(cells: readonly VerdictCell[], s: Significance): { verdicts: CellVerdict[]; tests: number } {
  const ps = cells.map((c) => (c.direction === null ? null : c.pValue));
  const adjusted = adjustPValues(ps, s.correction);
  const verdicts = cells.map((c, i): CellVerdict => {
    if (c.direction === null) return { verdict: null, pAdjusted: null };
    const p = adjusted[i];
    if (p === null) return { verdict: "no_test", pAdjusted: null };
    if (!(p < s.alpha)) return { verdict: "not_significant", pAdjusted: p };
    const verdict: Verdict = c.direction === "better" ? "better" : c.direction === "worse" ? "worse" : c.direction === "same" ? "tie" : "different";
    return { verdict, pAdjusted: p };
  });
  return { verdicts, tests: ps.filter((p) => p !== null && p !== undefined && !Number.isNaN(p)).length };
}

/** The run whose value is best for the metric's direction; null for neutral metrics, ties or fewer than 2 values. */
export function bestRun(metric: string, entries: readonly { runId: string; value: number | null }[]): string | null {
  if (!getMetric(metric) || getMetric(metric)!.better === "neutral") return null;
  const present = entries.filter((e): e is { runId: string; value: number } => e.value !== null);
  if (present.length < 2) return null;
  let best = present[0];
  let tie = false;
  for (const e of present.slice(1)) {
    const c = compareForBetter(metric, e.value, best.value);
    if (c === "better") {
      best = e;
      tie = false;
    } else if (c === "same") tie = true;
  }
  return tie ? null : best.runId;
}

/**
 * The best value of a row, shown in bold, only where the tests back it: a run other than the reference when it is
 * significantly better than the reference; the reference when every other run with a value is significantly worse.
 * (Runs other than the reference are tested against the reference only, never against each other.)
 */
export function significantBest(
  metric: string,
  refId: string,
  entries: readonly { runId: string; value: number | null }[],
  verdictOf: (runId: string) => Verdict | null,
): string | null {
  const best = bestRun(metric, entries);
  if (best === null) return null;
  if (best !== refId) return verdictOf(best) === "better" ? best : null;
  const others = entries.filter((e) => e.runId !== refId && e.value !== null);
  return others.length > 0 && others.every((e) => verdictOf(e.runId) === "worse") ? best : null;
}

/** "α = 0.05, Holm's correction over 12 tests" for notes under tables and in exports. */
export function describeSignificance(s: Significance, tests: number | null): string {
  const corr = s.correction === "none" ? "no multiple-comparison correction" : `${CORRECTION_LABELS[s.correction]} correction`;
  return `α = ${s.alpha}, two-sided, ${corr}${tests === null ? "" : ` over the ${tests} paired test${tests === 1 ? "" : "s"} of the table`}`;
}
