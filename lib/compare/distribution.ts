// Distribution of a per-sample metric per run, binned by the database (the samples never reach the page).
import type { Database } from "@/lib/db/client";

export interface Histogram {
  metric: string;
  lo: number | null;
  hi: number | null;
  bins: number;
  /** bin edges, bins + 1 of them */
  edges: number[];
  /** counts[runIndex][bin] */
  counts: number[][];
  /** values per run */
  n: number[];
}

// Per-item values live in Item.scores (JSONB); only numbers count.
const VALUES = `SELECT "runId" AS series, CASE WHEN jsonb_typeof(scores -> $2) = 'number' THEN (scores ->> $2)::float8 END AS value
  FROM "Item" WHERE "runId" = ANY($1::text[]) AND status = 'done' AND scores ? $2`;

export async function histogram(db: Database, runIds: readonly string[], metric: string, bins = 20): Promise<Histogram> {
  return { metric, ...(await binnedValues(db, { sql: VALUES, params: [runIds as string[], metric] }, runIds, bins)) };
}

/**
 * Shared bins over several series of values, counted by the database: `source` is a query of (series, value) rows
 * whose own parameters are $1…$k (the bin count is passed after them); counts and n follow `series`.
 */
export async function binnedValues(
  db: Database,
  source: { sql: string; params: unknown[] },
  series: readonly string[],
  bins: number,
): Promise<Omit<Histogram, "metric">> {
  const binsParam = `$${source.params.length + 1}::int`;
  // One scan: the values are materialised once, their range taken, then bucketed. A constant metric gets a
  // unit-wide range around its value so that the bins stay well defined. The range is materialised too: inlined,
  // a planner that expects one row (the embedded database's, before statistics) recomputed it for every value.
  const { rows } = await db.sql.query<{ series: string | null; b: number | null; n: number; lo: number | string | null; hi: number | string | null }>(
    `WITH v AS MATERIALIZED (${source.sql}),
     r AS MATERIALIZED (SELECT min(value) AS lo, max(value) AS hi FROM v WHERE value IS NOT NULL),
     e AS MATERIALIZED (SELECT lo, hi, CASE WHEN hi > lo THEN lo ELSE lo - 0.5 END AS a, CASE WHEN hi > lo THEN hi ELSE hi + 0.5 END AS z FROM r)
     SELECT v.series, least(width_bucket(v.value, e.a, e.z, ${binsParam}), ${binsParam}) AS b, count(*)::int AS n, min(e.lo) AS lo, min(e.hi) AS hi
     FROM v CROSS JOIN e WHERE v.value IS NOT NULL AND e.lo IS NOT NULL GROUP BY 1, 2`,
    [...source.params, bins],
  );
  const counts = series.map(() => new Array<number>(bins).fill(0));
  const n = series.map(() => 0);
  if (rows.length === 0) return { lo: null, hi: null, bins, edges: [], counts, n };
  const lo = Number(rows[0].lo);
  const hi = Number(rows[0].hi);
  for (const r of rows) {
    const j = series.indexOf(r.series!);
    if (j < 0) continue;
    const k = Math.min(bins, Math.max(1, Number(r.b))) - 1;
    counts[j][k] += Number(r.n);
    n[j] += Number(r.n);
  }
  const a = hi > lo ? lo : lo - 0.5;
  const z = hi > lo ? hi : hi + 0.5;
  const edges = Array.from({ length: bins + 1 }, (_, i) => a + ((z - a) * i) / bins);
  return { lo, hi, bins, edges, counts, n };
}
