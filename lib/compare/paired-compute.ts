// What the compare thread computes (./thread-entry.ts): benchmark-level paired statistics from the items that
// ./paired-items.ts loaded. No I/O here, and nothing that starts the thread.
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

export function statisticOrThrow(benchmark: string, slice: string | null): ItemStatistic<unknown> {
  const stat = stepStatistic(benchmark);
  if (!stat || (slice !== null && !stat.slice)) throw new Error(`${benchmark} has no benchmark-level statistic${slice === null ? "" : " per slice"}`);
  return stat;
}

/**
 * Completed items of a benchmark, column by column, with Item.data as its JSON text: columns of strings cross to
 * the compare thread as a few buffers (an array of 100,000 parsed objects would take the web process as long to
 * copy as to parse), and the JSON is parsed there.
 */
export interface ItemColumns {
  runId: string[];
  itemKey: string[];
  sampleIndex: number[];
  data: string[];
}

// UTF-16 code units compared as code points: the surrogates (characters above U+FFFF) move above U+E000–U+FFFF.
const codePointRank = (u: number) => (u >= 0xe000 ? u - 0x800 : u >= 0xd800 ? u + 0x2000 : u);

/** Code-point order of two strings: PostgreSQL's COLLATE "C" on UTF-8 text (JS's < compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** The computation of pairedItemStatistics once the items are loaded (on the compare thread). */
export function pairedItemStatisticsOf(
  items: ItemColumns,
  refId: string,
  runIds: readonly string[],
  benchmark: string,
  slice: string | null,
): Record<string, Record<string, PairedStats>> {
  const stat = statisticOrThrow(benchmark, slice);
  // In (item key, sample index) code-point order, so that the resampled sets are the same on both databases.
  const order = items.itemKey.map((_, i) => i);
  order.sort((i, j) => compareCodePoints(items.itemKey[i], items.itemKey[j]) || items.sampleIndex[i] - items.sampleIndex[j]);
  const key = (r: DoneItem) => `${r.itemKey}\u0000${r.sampleIndex}`;
  const byRun = new Map<string, Map<string, DoneItem>>();
  for (const i of order) {
    const runId = items.runId[i];
    if (!byRun.has(runId)) byRun.set(runId, new Map());
    const item: DoneItem = { itemKey: items.itemKey[i], sampleIndex: items.sampleIndex[i], data: JSON.parse(items.data[i]) };
    byRun.get(runId)!.set(key(item), item);
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
