// Paired comparison of one metric between a reference run and another run on the items both profiled, with the
// statistics of lib/metrics/statistics.ts (never re-implemented here): per-sample metrics pair the samples' values,
// benchmark-level metrics resample the shared items and recompute the statistic for both runs (METRICS.md §5).
// The resampling effort shrinks on very large runs so that one metric of two 100,000-sample runs stays well under a
// second; the effort used is reported with the result.
import {
  DEFAULT_PERMUTATIONS,
  DEFAULT_RESAMPLES,
  pairedBootstrapDiffCI,
  pairedBootstrapStatisticsDiffCI,
  pairedPermutationPValue,
  pairedPermutationStatisticsPValue,
  type MaybeNumber,
} from "@/lib/metrics/statistics";

export interface PairedStats {
  /** "samples": a per-sample metric, pairs of sample values; "items": a benchmark-level statistic over shared items */
  over: "samples" | "items";
  /** complete pairs (both runs have a value, or both runs completed the item) */
  n: number;
  /** per-sample: mean of value − reference over the pairs; benchmark-level: statistic(run) − statistic(reference) */
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
    over: "samples",
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

/** Swap sets for a benchmark-level statistic when the items are few: each costs two statistics over all items. */
export const STATISTIC_PERMUTATIONS = 2000;
/** Work per benchmark-level comparison, in resamples (or swap sets) × items × the statistic's relative item cost. */
export const STATISTIC_WORK_BUDGET = 8e7;
/** Floors: a usable 95 % interval and a p-value resolution of 1/201. */
export const MIN_STATISTIC_RESAMPLES = 200;

/**
 * Effort for a benchmark-level statistic over n shared items of relative cost `itemCost`: the defaults (2,000
 * resamples and swap sets) while n × itemCost ≤ 40,000, then budget/(n × itemCost), never below the floor
 * (BBQ's 58,492 items at cost 1: 1,367 of each; HellaSwag's 10,042 at cost 20: 398).
 */
export function statisticEffort(n: number, itemCost = 1): { resamples: number; permutations: number } {
  const work = n * itemCost;
  const k = work <= 0 ? DEFAULT_RESAMPLES : Math.max(MIN_STATISTIC_RESAMPLES, Math.min(DEFAULT_RESAMPLES, Math.floor(STATISTIC_WORK_BUDGET / work)));
  return { resamples: k, permutations: Math.min(k, STATISTIC_PERMUTATIONS) };
}

/**
 * Benchmark-level metrics (StereoSet SS, CrowS-Pairs, BBQ bias, ECE …) of two runs on the same items, a[i] and b[i]
 * being item i's results: per metric, the paired bootstrap CI of statistic(b) − statistic(a) (items resampled once
 * for both) and the swap-permutation p-value. `statistic` computes every metric of a sample at once, so all metrics
 * share the resampled item sets (one seed) at the cost of one pass. Seeded, so a table or a figure is reproducible.
 */
export function pairedStatisticStats<T>(
  a: readonly T[],
  b: readonly T[],
  statistic: (sample: readonly T[]) => Record<string, number | null>,
  metrics: readonly string[],
  seed: string,
  effort: { resamples: number; permutations: number } = statisticEffort(a.length),
): Record<string, PairedStats> {
  const ci = pairedBootstrapStatisticsDiffCI(a, b, statistic, metrics, { seed: `${seed}:bootstrap`, resamples: effort.resamples });
  const perm = pairedPermutationStatisticsPValue(a, b, statistic, metrics, { seed: `${seed}:permutation`, permutations: effort.permutations });
  const out: Record<string, PairedStats> = {};
  for (const metric of metrics) {
    const c = ci[metric];
    const p = perm[metric];
    out[metric] = {
      over: "items",
      n: c.n,
      meanDiff: c.estimate,
      lo: c.lo,
      hi: c.hi,
      pValue: p.pValue,
      method: p.method,
      resamples: effort.resamples,
      permutations: p.permutations,
    };
  }
  return out;
}
