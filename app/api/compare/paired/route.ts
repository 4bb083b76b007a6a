import { NextResponse } from "next/server";
import { z } from "zod";
import { compareQuerySchema, metricIdSchema } from "@/lib/compare/params";
import { loadAggregates } from "@/lib/compare/runs";
import { pairedForMetric } from "@/lib/compare/table";
import { getDatabase } from "@/lib/db/client";
import { apiRoute, parseOrRefuse } from "@/lib/http";

// Paired statistics of a few metrics (the compare table asks for them in small batches, so a large
// run's table fills in progressively instead of holding the page).
const schema = compareQuerySchema.extend({
  metrics: z
    .string()
    .max(800)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(metricIdSchema).min(1).max(8)),
});

export const GET = apiRoute(
  async (req) => {
    const query = parseOrRefuse(schema, Object.fromEntries(new URL(req.url).searchParams));
    const { runs, metrics } = query;
    const ref = query.ref && runs.includes(query.ref) ? query.ref : runs[0];
    const db = await getDatabase();
    const aggregates = await loadAggregates(db, runs);
    const out: Record<string, unknown> = {};
    for (const metric of metrics) {
      const benchmark = aggregates[ref]?.[metric]?.benchmark;
      if (!benchmark) {
        out[metric] = {};
        continue;
      }
      const stamps = Object.fromEntries(runs.map((r) => [r, aggregates[r]?.[metric]?.stamp]));
      out[metric] = await pairedForMetric(db, runs, ref, metric, benchmark, stamps);
    }
    return NextResponse.json(out, { headers: { "Cache-Control": "no-store" } });
  },
  { requires: "viewer" },
);
