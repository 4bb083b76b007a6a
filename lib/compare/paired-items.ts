// Benchmark-level metrics of several runs on the items they share: each run's completed items of the benchmark are
// loaded, matched to the reference's by (item key, sample index), turned into the step's statistic units and
// compared with a paired bootstrap over items and a swap-permutation test (METRICS.md §5).
import type { Database } from "@/lib/db/client";
import { splitMetricId, subMetricId } from "@/lib/metrics/catalogue";
import { STEP_MODULES } from "@/lib/runs/steps/modules";
import type { DoneItem, ItemStatistic } from "@/lib/runs/steps/types";
import { pairedStatisticStats, statisticEffort, type PairedStats } from "./stats";

/** The statistic of a benchmark's step, or null (textual, toxicity: per-sample metrics; an unknown benchmark). */
function stepStatistic(benchmark: string): ItemStatistic<unknown> | null {
  return (Object.hasOwn(STEP_MODULES, benchmark) ? STEP_MODULES[benchmark as keyof typeof STEP_MODULES].statistic : undefined) ?? null;
}

/** The step statistic that computes `metric` of `benchmark`, or null (a per-sample metric, an unknown benchmark, a
 * slice the step does not define). */
export function itemStatisticFor(benchmark: string, metric: string): ItemStatistic<unknown> | null {
  const stat = stepStatistic(benchmark);
  const { baseId, slice } = splitMetricId(metric);
  if (!stat?.metrics.includes(baseId) || (slice !== null && !stat.slice)) return null;
  return stat;
}

/**
 * Paired statistics of every benchmark-level metric of `benchmark` (of one slice, e.g. a StereoSet domain, when
 * `slice` is given) for each of `runIds` against `refId`, keyed by metric id (with the slice) then run. One pass per
 * run computes all the metrics. A run without a shared completed item gets n = 0. Items are in (item key, sample
 * index) code-point order and the seed names the runs, benchmark and slice, so results are reproducible.
 */
export async function pairedItemStatistics(
  db: Database,
  refId: string,
  runIds: readonly string[],
  benchmark: string,
  slice: string | null,
): Promise<Record<string, Record<string, PairedStats>>> {
  const stat = stepStatistic(benchmark);
  if (!stat || (slice !== null && !stat.slice)) throw new Error(`${benchmark} has no benchmark-level statistic${slice === null ? "" : " per slice"}`);
  const { rows } = await db.sql.query<DoneItem & { runId: string }>(
    `SELECT "runId", "itemKey", "sampleIndex", data FROM "Item"
     WHERE "runId" = ANY($1::text[]) AND benchmark = $2 AND status = 'done'
     ORDER BY "itemKey" COLLATE "C", "sampleIndex"`,
    [[refId, ...runIds], benchmark],
  );
  const key = (r: DoneItem) => `${r.itemKey}\u0000${r.sampleIndex}`;
  const byRun = new Map<string, Map<string, DoneItem>>();
  for (const r of rows) {
    if (!byRun.has(r.runId)) byRun.set(r.runId, new Map());
    byRun.get(r.runId)!.set(key(r), r);
  }
  // The reference's units once; a slice (a domain, a bias type) keeps the items of that slice.
  const refUnits = new Map<string, unknown>();
  for (const [k, item] of byRun.get(refId) ?? []) {
    const u = stat.unit(item);
    if (slice === null || stat.slice!(u) === slice) refUnits.set(k, u);
  }
  const id = (metric: string) => (slice === null ? metric : subMetricId(metric, slice));
  const out: Record<string, Record<string, PairedStats>> = Object.fromEntries(stat.metrics.map((m) => [id(m), {}]));
  for (const runId of runIds) {
    const other = byRun.get(runId);
    const a: unknown[] = [];
    const b: unknown[] = [];
    for (const [k, u] of refUnits) {
      const item = other?.get(k);
      if (!item) continue;
      a.push(u);
      b.push(stat.unit(item));
    }
    const seed = `${refId}:${runId}:${benchmark}${slice === null ? "" : `@${slice}`}`;
    const stats = pairedStatisticStats(a, b, stat.statistic, stat.metrics, seed, statisticEffort(a.length, stat.itemCost));
    for (const m of stat.metrics) out[id(m)][runId] = stats[m];
  }
  return out;
}
