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
const VALUES = `SELECT "runId", CASE WHEN jsonb_typeof(scores -> $2) = 'number' THEN (scores ->> $2)::float8 END AS value
  FROM "Item" WHERE "runId" = ANY($1::text[]) AND status = 'done' AND scores ? $2`;

export async function histogram(db: Database, runIds: readonly string[], metric: string, bins = 20): Promise<Histogram> {
  const ids = runIds as string[];
  const { rows: range } = await db.sql.query<{ lo: number | string | null; hi: number | string | null }>(
    `SELECT min(value) AS lo, max(value) AS hi FROM (${VALUES}) v WHERE value IS NOT NULL`,
    [ids, metric],
  );
  const lo = range[0]?.lo === null || range[0]?.lo === undefined ? null : Number(range[0].lo);
  const hi = range[0]?.hi === null || range[0]?.hi === undefined ? null : Number(range[0].hi);
  const counts = runIds.map(() => new Array<number>(bins).fill(0));
  const n = runIds.map(() => 0);
  if (lo === null || hi === null) return { metric, lo, hi, bins, edges: [], counts, n };
  // A constant metric gets one unit-wide range around its value so that the bins stay well defined.
  const a = hi > lo ? lo : lo - 0.5;
  const b = hi > lo ? hi : hi + 0.5;
  const { rows } = await db.sql.query<{ runId: string; b: number; n: number }>(
    `SELECT "runId", least(width_bucket(value, $3::float8, $4::float8, $5::int), $5::int) AS b, count(*)::int AS n
     FROM (${VALUES}) v WHERE value IS NOT NULL GROUP BY 1, 2`,
    [ids, metric, a, b, bins],
  );
  for (const r of rows) {
    const j = runIds.indexOf(r.runId);
    const k = Math.min(bins, Math.max(1, Number(r.b))) - 1;
    counts[j][k] += Number(r.n);
    n[j] += Number(r.n);
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => a + ((b - a) * i) / bins);
  return { metric, lo, hi, bins, edges, counts, n };
}
