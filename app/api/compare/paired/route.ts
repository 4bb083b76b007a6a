import { NextResponse } from "next/server";
import { pairedBatch, pairedMetricsSchema } from "@/lib/compare/paired-batch";
import { compareQuerySchema } from "@/lib/compare/params";
import { getDatabase } from "@/lib/db/client";
import { apiRoute, parseOrRefuse } from "@/lib/http";

// Paired statistics of a few metrics (lib/compare/paired-batch.ts).
const schema = compareQuerySchema.extend({ metrics: pairedMetricsSchema });

export const GET = apiRoute(
  async (req) => {
    const { runs, ref, metrics } = parseOrRefuse(schema, Object.fromEntries(new URL(req.url).searchParams));
    return NextResponse.json(await pairedBatch(await getDatabase(), runs, ref, metrics), { headers: { "Cache-Control": "no-store" } });
  },
  { requires: "viewer" },
);
