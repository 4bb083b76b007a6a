// Benchmark-level metrics of several runs on the items they share: each run's completed items of the benchmark are
// loaded, matched to the reference's by (item key, sample index), turned into the step's statistic units and
// compared with a paired bootstrap over items and a swap-permutation test (METRICS.md §5).
import type { Database } from "@/lib/db/client";
import { splitMetricId } from "@/lib/metrics/catalogue";
import { STEP_MODULES } from "@/lib/runs/steps/modules";
import type { DoneItem, ItemStatistic } from "@/lib/runs/steps/types";
import { pairedStatisticStats, type PairedStats } from "./stats";

/** The step statistic that computes `metric` of `benchmark`, or null (a per-sample metric, an unknown benchmark). */
export function itemStatisticFor(benchmark: string, metric: string): ItemStatistic<unknown> | null {
  const stat = Object.hasOwn(STEP_MODULES, benchmark) ? STEP_MODULES[benchmark as keyof typeof STEP_MODULES].statistic : undefined;
  if (!stat) return null;
  const { baseId, slice } = splitMetricId(metric);
  if (!stat.metrics.includes(baseId)) return null;
  if (slice !== null && !stat.slice) return null;
  return stat;
}

/**
 * Paired statistics of a benchmark-level `metric` for each of `runIds` against `refId`. A run without a shared
 * completed item gets n = 0. Items are in (item key, sample index) code-point order, so results are reproducible.
 */
export async function pairedItemStatistics(
  db: Database,
  refId: string,
  runIds: readonly string[],
  benchmark: string,
  metric: string,
): Promise<Record<string, PairedStats>> {
  const stat = itemStatisticFor(benchmark, metric);
  if (!stat) throw new Error(`${metric} is not a benchmark-level metric of ${benchmark}`);
  const { baseId, slice } = splitMetricId(metric);
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
  const ref = byRun.get(refId) ?? new Map<string, DoneItem>();
  // The reference's units once; a slice (a domain, a bias type) keeps the items of that slice.
  const refUnits = new Map<string, unknown>();
  for (const [k, item] of ref) {
    const u = stat.unit(item);
    if (slice === null || stat.slice!(u) === slice) refUnits.set(k, u);
  }
  const value = (sample: readonly unknown[]) => stat.statistic(sample)[baseId] ?? null;
  const out: Record<string, PairedStats> = {};
  for (const id of runIds) {
    const other = byRun.get(id);
    const a: unknown[] = [];
    const b: unknown[] = [];
    if (other) {
      for (const [k, u] of refUnits) {
        const item = other.get(k);
        if (!item) continue;
        a.push(u);
        b.push(stat.unit(item));
      }
    }
    out[id] = pairedStatisticStats(a, b, value, `${refId}:${id}:${metric}`);
  }
  return out;
}
