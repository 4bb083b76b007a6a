// Run-level values of per-sample metrics: the mean with a seeded percentile-bootstrap 95 % CI over the run's
// items, computed from the stored scores when a benchmark completes, and stored.
import type { Database } from "@/lib/db/client";
import { bootstrapMeanCI } from "@/lib/metrics/statistics";

export async function storeMeanAggregates(db: Database, runId: string, benchmark: string, seed: number): Promise<void> {
  const { rows } = await db.sql.query<{ metric: string; values: (number | null)[] }>(
    `SELECT s.metric, array_agg(s.value ORDER BY i."itemKey", i."sampleIndex") AS values
     FROM "Score" s JOIN "Item" i ON i.id = s."itemId"
     WHERE s."runId" = $1 AND i.benchmark = $2 AND i.status = 'done'
     GROUP BY s.metric`,
    [runId, benchmark],
  );
  await db.transaction(async (tx) => {
    for (const { metric, values } of rows) {
      const ci = bootstrapMeanCI(values.map((v) => (v === null ? null : Number(v))), { seed: `${seed}:${metric}` });
      await tx.query(
        `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n, details, "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, now())
         ON CONFLICT ("runId", metric) DO UPDATE SET value = EXCLUDED.value, "ciLow" = EXCLUDED."ciLow", "ciHigh" = EXCLUDED."ciHigh",
           n = EXCLUDED.n, details = EXCLUDED.details, benchmark = EXCLUDED.benchmark, "createdAt" = now()`,
        [runId, metric, benchmark, ci.mean, ci.lo, ci.hi, ci.n, JSON.stringify({ statistic: "mean", interval: "percentile bootstrap 95%", resamples: 2000, missing: values.length - ci.n })],
      );
    }
  });
}
