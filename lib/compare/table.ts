// The comparison table: every metric the reference shares with another run, values with CIs from the stored
// aggregates, difference and % change against the reference, the paired-bootstrap CI and permutation p-value of the
// difference (per-sample metrics: over the samples' values; benchmark-level metrics: over the items both runs
// completed), and the verdict: better / worse only where the test is significant after the correction across the
// table (lib/compare/verdicts.ts).
import type { Database } from "@/lib/db/client";
import { METRICS, getMetric, splitMetricId, type BetterDirection, type Comparison, type MetricCategory } from "@/lib/metrics/catalogue";
import { percentChange } from "@/lib/metrics/statistics";
import { alignedValues } from "./aligned";
import { itemStatisticFor } from "./paired-compute";
import { pairedItemStatistics } from "./paired-items";
import { loadAggregates, loadRuns, type AggregateCell, type CompareRun } from "./runs";
import type { PairedStats } from "./stats";
import { onCompareThread } from "./thread";
import { DEFAULT_SIGNIFICANCE, directionOf, significantBest, tableVerdicts, testedP, type Significance, type Verdict } from "./verdicts";

export { bestRun } from "./verdicts";

export const MAX_COMPARED_RUNS = 8;

export interface DeltaCell {
  runId: string;
  /** value − reference */
  diff: number | null;
  /** 100·(value − reference)/|reference| */
  pct: number | null;
  /** better / worse / same / neutral from the catalogue's direction alone (no test); null when a side is missing */
  direction: Comparison | null;
  /** the verdict with significance (lib/compare/verdicts.ts); null until every paired test of the table is known */
  verdict: Verdict | null;
  /** the paired p-value after the correction across the table */
  pAdjusted: number | null;
  paired: PairedStats | null;
}

export interface CompareRow {
  metric: string;
  label: string;
  shortLabel: string;
  category: MetricCategory | "other";
  unit: string;
  better: BetterDirection;
  perSample: boolean;
  /** paired statistics exist: a per-sample metric, or a benchmark-level one whose step defines its statistic */
  pairable: boolean;
  /** the benchmark whose items the metric comes from (the reference's aggregate) */
  benchmark: string;
  /** one per run, in run order; null when the run has no aggregate for the metric */
  cells: (AggregateCell | null)[];
  /** one per non-reference run, in run order */
  deltas: DeltaCell[];
  /** the run with the best value, when the direction defines one and the tests back it (significantBest) */
  bestRunId: string | null;
}

export interface ComparisonTable {
  runs: CompareRun[];
  refId: string;
  rows: CompareRow[];
  missing: string[];
  /** α and the correction; `tests` is the size of the corrected family, null when the paired tests were not computed */
  significance: Significance & { tests: number | null };
}

export function describeMetric(id: string): Pick<CompareRow, "label" | "shortLabel" | "category" | "unit" | "better" | "perSample"> {
  const m = getMetric(id);
  if (!m) return { label: id, shortLabel: id, category: "other", unit: "", better: "neutral", perSample: false };
  return { label: m.label, shortLabel: m.shortLabel ?? m.label, category: m.category, unit: m.unit, better: m.better, perSample: m.perSample };
}

const catalogueOrder = new Map(METRICS.map((m, i) => [m.id, i]));
function metricOrder(a: string, b: string): number {
  const ia = catalogueOrder.get(a) ?? Infinity;
  const ib = catalogueOrder.get(b) ?? Infinity;
  return ia !== ib ? ia - ib : a.localeCompare(b);
}

// Paired statistics of completed runs do not change unless an aggregate is recomputed, whose timestamp is part of
// the key; a bounded map keeps the process's memory flat.
const pairedCache = new Map<string, PairedStats>();
const PAIRED_CACHE_MAX = 5000;
function cacheSet(key: string | null, v: PairedStats) {
  if (key === null) return;
  if (pairedCache.size >= PAIRED_CACHE_MAX) pairedCache.delete(pairedCache.keys().next().value!);
  pairedCache.set(key, v);
}

// The aggregates of one benchmark are stored in one transaction, so one metric's stamps stand for its siblings'.
// A run without the aggregate (still running) has no stamp: its statistics would go stale, so they are not kept.
const keyOf = (refId: string, id: string, metric: string, stamps: Record<string, string | undefined>): string | null =>
  stamps[refId] && stamps[id] ? `${refId}@${stamps[refId]}|${id}@${stamps[id]}|${metric}` : null;

// One computation per benchmark pass at a time: the page asks for a benchmark's metrics in several batches at once,
// and each would otherwise miss the cache and compute the same pass again.
const passesInFlight = new Map<string, Promise<Record<string, Record<string, PairedStats>>>>();
function itemPass(db: Database, refId: string, todo: readonly string[], benchmark: string, slice: string | null, stamps: Record<string, string | undefined>) {
  const key = JSON.stringify([refId, todo, benchmark, slice, [refId, ...todo].map((id) => stamps[id] ?? "")]);
  let pass = passesInFlight.get(key);
  if (!pass) {
    pass = pairedItemStatistics(db, refId, todo, benchmark, slice).finally(() => passesInFlight.delete(key));
    passesInFlight.set(key, pass);
  }
  return pass;
}

/** Paired statistics exist for `metric` of `benchmark`. */
export function isPairable(metric: string, benchmark: string): boolean {
  return itemStatisticFor(benchmark, metric) !== null || getMetric(metric)?.perSample === true;
}

/**
 * Paired statistics of `metric` for each non-reference run against the reference: a benchmark-level metric from
 * the items both runs completed (its step's statistic), a per-sample metric from one aligned query for all runs.
 * Results of completed aggregates are cached per (reference, run, metric, stamps).
 */
export async function pairedForMetric(
  db: Database,
  runIds: readonly string[],
  refId: string,
  metric: string,
  benchmark: string,
  stamps: Record<string, string | undefined> = {},
): Promise<Record<string, PairedStats>> {
  const others = runIds.filter((id) => id !== refId);
  const key = (id: string) => keyOf(refId, id, metric, stamps);
  const out: Record<string, PairedStats> = {};
  const todo = others.filter((id) => {
    const k = key(id);
    const hit = k === null ? undefined : pairedCache.get(k);
    if (hit) out[id] = hit;
    return !hit;
  });
  if (todo.length === 0) return out;
  if (itemStatisticFor(benchmark, metric)) {
    // One pass gives every metric of the benchmark (and slice): all are cached, so the rest are free.
    const all = await itemPass(db, refId, todo, benchmark, splitMetricId(metric).slice, stamps);
    for (const [m, byRun] of Object.entries(all)) for (const id of todo) if (byRun[id]) cacheSet(keyOf(refId, id, m, stamps), byRun[id]);
    for (const id of todo) out[id] = all[metric][id];
    return out;
  }
  const stats = await samplePass(db, refId, todo, metric, stamps);
  for (const id of todo) {
    cacheSet(key(id), stats[id]);
    out[id] = stats[id];
  }
  return out;
}

// As for item passes: the page's background computation and the browser's batches can ask for one metric at once.
const samplePassesInFlight = new Map<string, Promise<Record<string, PairedStats>>>();
function samplePass(db: Database, refId: string, todo: readonly string[], metric: string, stamps: Record<string, string | undefined>) {
  const key = JSON.stringify([refId, todo, metric, [refId, ...todo].map((id) => stamps[id] ?? "")]);
  let pass = samplePassesInFlight.get(key);
  if (!pass) {
    pass = (async () => {
      const ids = [refId, ...todo];
      const aligned = await alignedValues(db, ids, metric);
      return onCompareThread({
        kind: "samples",
        values: ids.map((_, j) => aligned.values[j] ?? []),
        runIds: [...todo],
        seeds: todo.map((id) => `${refId}:${id}:${metric}`),
      });
    })().finally(() => samplePassesInFlight.delete(key));
    samplePassesInFlight.set(key, pass);
  }
  return pass;
}

export interface CompareOptions {
  runIds: readonly string[];
  refId?: string;
  /** which metrics get paired statistics now: all (and then the verdicts), none, or a list */
  paired?: "all" | "none" | readonly string[];
  significance?: Significance;
}

export async function buildComparison(db: Database, opts: CompareOptions): Promise<ComparisonTable> {
  const ids = [...new Set(opts.runIds)].slice(0, MAX_COMPARED_RUNS);
  const { runs, missing } = await loadRuns(db, ids);
  const refId = opts.refId && runs.some((r) => r.id === opts.refId) ? opts.refId : (runs[0]?.id ?? "");
  const aggregates = await loadAggregates(
    db,
    runs.map((r) => r.id),
  );
  const refAgg = aggregates[refId] ?? {};
  const others = runs.filter((r) => r.id !== refId);
  const metrics = Object.keys(refAgg)
    .filter((m) => others.some((r) => aggregates[r.id]?.[m]))
    .sort(metricOrder);
  const rows: CompareRow[] = metrics.map((metric) => {
    const info = describeMetric(metric);
    const cells = runs.map((r) => aggregates[r.id]?.[metric] ?? null);
    const ref = refAgg[metric];
    const deltas = others.map((r): DeltaCell => {
      const v = aggregates[r.id]?.[metric]?.value ?? null;
      return {
        runId: r.id,
        diff: ref.value !== null && v !== null ? v - ref.value : null,
        pct: percentChange(ref.value, v),
        direction: directionOf(metric, ref.value, v),
        verdict: null,
        pAdjusted: null,
        paired: null,
      };
    });
    return { metric, ...info, pairable: isPairable(metric, ref.benchmark), benchmark: ref.benchmark, cells, deltas, bestRunId: null };
  });
  const wanted = opts.paired ?? "none";
  const pairedMetrics = rows.filter((r) => r.pairable && (wanted === "all" || (Array.isArray(wanted) && wanted.includes(r.metric)))).map((r) => r.metric);
  const stamps = (metric: string) => Object.fromEntries(runs.map((r) => [r.id, aggregates[r.id]?.[metric]?.stamp]));
  for (const metric of pairedMetrics) {
    const row = rows.find((r) => r.metric === metric)!;
    const stats = await pairedForMetric(
      db,
      runs.map((r) => r.id),
      refId,
      metric,
      row.benchmark,
      stamps(metric),
    );
    for (const d of row.deltas) d.paired = stats[d.runId] ?? null;
  }
  const significance = opts.significance ?? DEFAULT_SIGNIFICANCE;
  let tests: number | null = null;
  if (wanted === "all")
    tests = applyVerdicts(
      rows,
      refId,
      runs.map((r) => r.id),
      significance,
    );
  return { runs, refId, rows, missing, significance: { ...significance, tests } };
}

/**
 * Sets every delta's verdict and adjusted p-value and every row's significance-backed best run, from the paired
 * statistics already on the deltas (one family: every difference of the table with a test). Returns the family size.
 */
export function applyVerdicts(rows: CompareRow[], refId: string, runIds: readonly string[], significance: Significance): number {
  const deltas = rows.flatMap((row) => row.deltas.map((d) => ({ row, d })));
  const { verdicts, tests } = tableVerdicts(
    deltas.map(({ row, d }) => ({ metric: row.metric, direction: d.direction, pValue: testedP(row.pairable, d.paired) })),
    significance,
  );
  deltas.forEach(({ d }, i) => {
    d.verdict = verdicts[i].verdict;
    d.pAdjusted = verdicts[i].pAdjusted;
  });
  for (const row of rows) {
    row.bestRunId = significantBest(
      row.metric,
      refId,
      runIds.map((id, j) => ({ runId: id, value: row.cells[j]?.value ?? null })),
      (id) => row.deltas.find((d) => d.runId === id)?.verdict ?? null,
    );
  }
  return tests;
}

export interface PairedProgress {
  /** the paired statistics known now, by metric then run */
  stats: Record<string, Record<string, PairedStats>>;
  /** pairable metrics whose statistics are all known, of `total` */
  done: number;
  total: number;
  /** the background computation failed: no verdict can be given */
  error: string | null;
}

interface Background {
  results: Record<string, Record<string, PairedStats>>;
  error: string | null;
}
// Background computations by comparison (runs, reference, and every aggregate stamp): a reload finds its own. Kept
// after they finish, a few at a time, so that a reload reads the results even of runs whose statistics are not
// cached (a run without an aggregate stamp).
const backgrounds = new Map<string, Background>();
const BACKGROUNDS_MAX = 20;

/**
 * The paired statistics of `table` as far as they are known, for the page's first render; the missing ones are
 * computed in the background (one metric after another, on the compare thread), so that a page without JavaScript
 * that reloads itself fills in. The browser asks for the same metrics through /api/compare/paired: both share the
 * cache and the passes in flight, so nothing is computed twice.
 */
export function pairedProgress(db: Database, table: ComparisonTable): PairedProgress {
  const runIds = table.runs.map((r) => r.id);
  const rows = table.rows.filter((r) => r.pairable);
  const stamps = (row: CompareRow) => Object.fromEntries(runIds.map((id, j) => [id, row.cells[j]?.stamp]));
  const key = JSON.stringify([table.refId, runIds, rows.map((r) => [r.metric, runIds.map((_, j) => r.cells[j]?.stamp ?? "")])]);
  const bg = backgrounds.get(key);
  const stats: Record<string, Record<string, PairedStats>> = {};
  let done = 0;
  const missing: CompareRow[] = [];
  for (const row of rows) {
    const s = stamps(row);
    const known: Record<string, PairedStats> = {};
    for (const d of row.deltas) {
      const k = keyOf(table.refId, d.runId, row.metric, s);
      const hit = (k === null ? undefined : pairedCache.get(k)) ?? bg?.results[row.metric]?.[d.runId];
      if (hit) known[d.runId] = hit;
    }
    if (Object.keys(known).length === row.deltas.length) {
      stats[row.metric] = known;
      done++;
    } else missing.push(row);
  }
  if (missing.length && !bg) {
    const started: Background = { results: {}, error: null };
    if (backgrounds.size >= BACKGROUNDS_MAX) backgrounds.delete(backgrounds.keys().next().value!);
    backgrounds.set(key, started);
    void (async () => {
      try {
        for (const row of missing) started.results[row.metric] = await pairedForMetric(db, runIds, table.refId, row.metric, row.benchmark, stamps(row));
      } catch (e) {
        started.error = e instanceof Error ? e.message : String(e);
      }
    })();
  }
  return { stats, done, total: rows.length, error: bg?.error ?? null };
}
