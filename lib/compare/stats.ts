// Paired comparison of one per-sample metric between a reference run and another run, with the statistics of
// lib/metrics/statistics.ts (never re-implemented here). The resampling effort shrinks on very large runs so that
// one metric of two 100,000-sample runs stays well under a second; the effort used is reported with the result.
import { DEFAULT_PERMUTATIONS, DEFAULT_RESAMPLES, pairedBootstrapDiffCI, pairedPermutationPValue, type MaybeNumber } from "@/lib/metrics/statistics";

export interface PairedStats {
  /** complete pairs (both runs have a value) */
  n: number;
  /** mean of value − reference over the pairs */
  meanDiff: number | null;
  lo: number | null;
  hi: number | null;
  pValue: number | null;
  method: "exact" | "sampled" | "none";
  resamples: number;
  permutations: number;
}

/** Work per statistic, in pair-visits (resamples × pairs): below it the library defaults apply unchanged. */
export const PAIRED_WORK_BUDGET = 2e7;
/** Floors so that a huge run still gets a usable interval and a p-value resolution of 1/1001. */
export const MIN_RESAMPLES = 400;
export const MIN_PERMUTATIONS = 1000;

/**
 * Resampling effort for n pairs: the defaults (2000 resamples, 10,000 sign flips) up to n = 10,000 and
 * 2,000 pairs respectively; beyond that the counts fall as budget/n, never below the floors.
 */
export function pairedEffort(n: number): { resamples: number; permutations: number } {
  const scaled = (def: number, min: number) => (n <= 0 ? def : Math.max(min, Math.min(def, Math.floor(PAIRED_WORK_BUDGET / n))));
  return { resamples: scaled(DEFAULT_RESAMPLES, MIN_RESAMPLES), permutations: scaled(DEFAULT_PERMUTATIONS, MIN_PERMUTATIONS) };
}

/** Seeded by (reference, run, metric), so a table or a figure is reproducible. */
export function pairedStats(
  reference: readonly MaybeNumber[],
  values: readonly MaybeNumber[],
  seed: string,
  effort?: { resamples: number; permutations: number },
): PairedStats {
  let complete = 0;
  for (let i = 0; i < reference.length; i++) {
    const a = reference[i];
    const b = values[i];
    if (a !== null && a !== undefined && !Number.isNaN(a) && b !== null && b !== undefined && !Number.isNaN(b)) complete++;
  }
  const { resamples, permutations } = effort ?? pairedEffort(complete);
  const ci = pairedBootstrapDiffCI(reference, values, { seed: `${seed}:bootstrap`, resamples });
  const perm = pairedPermutationPValue(reference, values, { seed: `${seed}:permutation`, permutations });
  return {
    n: ci.n,
    meanDiff: ci.mean,
    lo: ci.lo,
    hi: ci.hi,
    pValue: perm.pValue,
    method: perm.method,
    resamples,
    permutations: perm.permutations,
  };
}
