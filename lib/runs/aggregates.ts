// Run-level values of per-sample metrics: the mean with a seeded percentile-bootstrap 95 % CI over the run's
// items, computed when a benchmark completes (or an import is stored) and stored.
import type { Database } from "@/lib/db/client";
import type { SqlExecutor } from "@/lib/db/migrate";
import { DEFAULT_RESAMPLES, bootstrapMeanCIs } from "@/lib/metrics/statistics";

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

/** The run's stored aggregates (one per metric). */
export async function runAggregates(db: Database, runId: string) {
  return db.prisma.aggregate.findMany({ where: { runId } });
}
