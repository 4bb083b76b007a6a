// Run-level values of per-sample metrics: the mean with a seeded percentile-bootstrap 95 % CI over the run's
// items, computed when a benchmark completes (or an import is stored) and stored.
import type { Database } from "@/lib/db/client";
import type { SqlExecutor } from "@/lib/db/migrate";
import { DEFAULT_RESAMPLES, STREAMING_INTERVAL, STREAMING_MEAN_MIN_N, StreamingMean, bootstrapMeanCIs, streamingMeanCI } from "@/lib/metrics/statistics";
import { countStepDone, doneScorePages } from "./store";
import { memoCompleted } from "./run-cache";

export interface AggregateRow {
  metric: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  details: Record<string, unknown>;
}

/**
 * Values must be in a stable item order (item key, sample index) so that the seeded bootstrap is reproducible. The
 * metrics present on the same items are resampled together (`bootstrapMeanCIs`); `resampledWith` records which.
 */
export function meanAggregates(valuesByMetric: Record<string, (number | null)[]>, seed: number): AggregateRow[] {
  const cis = bootstrapMeanCIs(valuesByMetric, { seed });
  return Object.entries(valuesByMetric).map(([metric, values]) => {
    const ci = cis[metric];
    return {
      metric,
      value: ci.mean,
      ciLow: ci.lo,
      ciHigh: ci.hi,
      n: ci.n,
      details: {
        statistic: "mean",
        interval: "percentile bootstrap 95%",
        resamples: DEFAULT_RESAMPLES,
        seed,
        resampledWith: ci.group,
        missing: values.length - ci.n,
      },
    };
  });
}

/** Orders strings by code point, as PostgreSQL's COLLATE "C" does on UTF-8 (JavaScript's < compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every other BMP unit in code-point order.
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The step's per-item metric means (Item.scores) read page by page, never every item at once. Up to
 * STREAMING_MEAN_MIN_N completed items, the values are held compactly, put in (item key, sample index) order and
 * given to `meanAggregates`: the seeded bootstrap, exactly as before. Above, each metric's mean and interval come
 * from streaming sums (`streamingMeanCI`, the method stated in the aggregate's details), in memory independent of
 * the run's size.
 */
export async function storedMeanAggregates(
  db: Database,
  runId: string,
  benchmark: string,
  seed: number,
  streamAbove = STREAMING_MEAN_MIN_N,
): Promise<AggregateRow[]> {
  const total = await countStepDone(db, runId, benchmark);
  if (total > streamAbove) {
    const accs = new Map<string, StreamingMean>();
    let items = 0;
    for await (const page of doneScorePages(db, runId, benchmark)) {
      for (const item of page) {
        items++;
        for (const [metric, v] of Object.entries(item.scores ?? {})) {
          let acc = accs.get(metric);
          if (!acc) accs.set(metric, (acc = new StreamingMean()));
          acc.add(v);
        }
      }
    }
    return [...accs].map(([metric, acc]) => {
      const ci = streamingMeanCI(acc);
      return {
        metric,
        value: ci.mean,
        ciLow: ci.lo,
        ciHigh: ci.hi,
        n: ci.n,
        details: { statistic: "mean", interval: STREAMING_INTERVAL, level: 0.95, missing: items - ci.n },
      };
    });
  }
  const keys: string[] = [];
  const samples: number[] = [];
  // A metric's column holds undefined where an item has no such key (null where its value is null).
  const columns = new Map<string, (number | null | undefined)[]>();
  for await (const page of doneScorePages(db, runId, benchmark)) {
    for (const item of page) {
      const i = keys.length;
      keys.push(item.itemKey);
      samples.push(item.sampleIndex);
      for (const [metric, v] of Object.entries(item.scores ?? {})) {
        let col = columns.get(metric);
        if (!col) columns.set(metric, (col = []));
        col[i] = v ?? null;
      }
    }
  }
  const order = keys.map((_, i) => i).sort((a, b) => compareCodePoints(keys[a], keys[b]) || samples[a] - samples[b]);
  // Metrics in the order they first appear along (item key, sample index), as the step's own aggregate lists them.
  const seen = new Set<string>();
  for (const i of order) {
    if (seen.size === columns.size) break;
    for (const [metric, col] of columns) if (col[i] !== undefined) seen.add(metric);
  }
  const byMetric: Record<string, (number | null)[]> = {};
  for (const metric of seen) {
    const col = columns.get(metric)!;
    byMetric[metric] = order.map((i) => col[i] ?? null);
  }
  return meanAggregates(byMetric, seed);
}

export async function insertAggregates(tx: SqlExecutor, runId: string, benchmark: string, rows: AggregateRow[]): Promise<void> {
  for (const a of rows) {
    await tx.query(
      `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n, details, "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, now())
       ON CONFLICT ("runId", metric) DO UPDATE SET value = EXCLUDED.value, "ciLow" = EXCLUDED."ciLow", "ciHigh" = EXCLUDED."ciHigh",
         n = EXCLUDED.n, details = EXCLUDED.details, benchmark = EXCLUDED.benchmark, "createdAt" = now()`,
      [runId, a.metric, benchmark, a.value, a.ciLow, a.ciHigh, a.n, JSON.stringify(a.details)],
    );
  }
}

/** Stores (replaces) a step's aggregates in one transaction. */
export async function storeAggregates(db: Database, runId: string, benchmark: string, rows: AggregateRow[]): Promise<void> {
  await db.transaction((tx) => insertAggregates(tx, runId, benchmark, rows));
}

/** The run's stored aggregates (one per metric). `stamp`: the run's completedStamp, when it has one. */
export function runAggregates(db: Database, runId: string, stamp: string | null = null) {
  return memoCompleted(stamp, "aggregates", () => db.prisma.aggregate.findMany({ where: { runId } }));
}
