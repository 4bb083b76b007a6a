// Paired statistics of a few metrics of a comparison: what the compare table and figures fetch in small batches
// (so a large run's table fills in progressively). Served by /api/compare/paired and /api/share/<token>/paired.
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { metricIdSchema } from "./params";
import { loadAggregates } from "./runs";
import { pairedForMetric } from "./table";

export const pairedMetricsSchema = z
  .string()
  .max(800)
  .transform((s) => s.split(",").filter(Boolean))
  .pipe(z.array(metricIdSchema).min(1).max(8));

/** { metric: { runId: PairedStats } } for the runs against `refId` (the first run when it is not among them). */
export async function pairedBatch(db: Database, runIds: string[], refId: string | undefined, metrics: string[]): Promise<Record<string, unknown>> {
  const ref = refId && runIds.includes(refId) ? refId : runIds[0];
  const aggregates = await loadAggregates(db, runIds);
  const out: Record<string, unknown> = {};
  for (const metric of metrics) {
    const benchmark = aggregates[ref]?.[metric]?.benchmark;
    if (!benchmark) {
      out[metric] = {};
      continue;
    }
    const stamps = Object.fromEntries(runIds.map((r) => [r, aggregates[r]?.[metric]?.stamp]));
    out[metric] = await pairedForMetric(db, runIds, ref, metric, benchmark, stamps);
  }
  return out;
}
