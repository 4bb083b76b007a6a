// Benchmark-level statistics with bootstrap CIs over items (METRICS.md: "benchmark metrics are computed from all
// items"). `statistic` computes every metric of one sample at once; it runs once on all items and once per
// resample, and each metric's CI comes from `bootstrapStatisticCI` replaying those results — the same resampled
// item sets (same seed) for every metric, at the cost of one pass.
import type { Seed } from "@/lib/metrics/random";
import { DEFAULT_RESAMPLES, bootstrapStatisticCI } from "@/lib/metrics/statistics";
import type { AggregateRow } from "../aggregates";

export function statisticAggregates<T>(
  items: readonly T[],
  statistic: (sample: readonly T[]) => Record<string, number | null>,
  metrics: readonly string[],
  seed: Seed,
  details: (metric: string) => Record<string, unknown> = () => ({}),
): AggregateRow[] {
  const opts = { seed, resamples: DEFAULT_RESAMPLES };
  const base = { interval: "percentile bootstrap 95% over items", resamples: DEFAULT_RESAMPLES, seed };
  if (items.length === 0) return metrics.map((metric) => ({ metric, value: null, ciLow: null, ciHigh: null, n: 0, details: { ...base, ...details(metric) } }));
  const results: Record<string, number | null>[] = [];
  // One pass records every metric of the full set and of each resample (the constant keeps the loop going).
  bootstrapStatisticCI(
    items,
    (sample) => {
      results.push(statistic(sample));
      return 0;
    },
    opts,
  );
  return metrics.map((metric) => {
    let call = 0;
    const ci = bootstrapStatisticCI(items, () => results[call++]?.[metric] ?? null, opts);
    return { metric, value: ci.estimate, ciLow: ci.lo, ciHigh: ci.hi, n: ci.n, details: { ...base, validResamples: ci.validResamples, ...details(metric) } };
  });
}
