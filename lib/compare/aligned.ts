// Per-sample values of one metric for several runs, aligned on the item identity (benchmark, item key, sample
// index): ONE SQL query per metric, the alignment done by the database, values returned as arrays.
import type { Database } from "@/lib/db/client";

export interface AlignedValues {
  metric: string;
  /** item identities, in the order of the value arrays */
  count: number;
  /** values[j][i]: run j's value on item i, or null when run j has no value there */
  values: (number | null)[][];
}

function toNumbers(arr: unknown): (number | null)[] {
  if (!Array.isArray(arr)) return [];
  return arr.map((v) => (v === null || v === undefined ? null : Number(v)));
}

/**
 * Aligned values of `metric` for `runIds` (at most 8). Items are those with a score in at least one of the runs;
 * they are ordered by (benchmark, item key, sample index) so that seeded statistics are reproducible.
 */
export async function alignedValues(db: Database, runIds: readonly string[], metric: string): Promise<AlignedValues> {
  if (runIds.length === 0) return { metric, count: 0, values: [] };
  if (runIds.length > 8) throw new RangeError("at most 8 runs can be aligned at once");
  const cols = runIds.map((_, j) => `max(v.value) FILTER (WHERE v."runId" = $${j + 3}) AS v${j}`).join(", ");
  // Code-point order of item keys (COLLATE "C"), so both databases, whatever their collation, align identically.
  const aggs = runIds.map((_, j) => `array_agg(g.v${j} ORDER BY g.benchmark COLLATE "C", g."itemKey" COLLATE "C", g."sampleIndex") AS a${j}`).join(", ");
  // Per-item values live in Item.scores (JSONB); a non-number (null) counts as missing.
  const text = `
    WITH v AS (
      SELECT i.benchmark, i."itemKey", i."sampleIndex", i."runId",
        CASE WHEN jsonb_typeof(i.scores -> $2) = 'number' THEN (i.scores ->> $2)::float8 END AS value
      FROM "Item" i
      WHERE i."runId" = ANY($1::text[]) AND i.status = 'done' AND i.scores ? $2
    ), g AS (
      SELECT v.benchmark, v."itemKey", v."sampleIndex", ${cols}
      FROM v GROUP BY v.benchmark, v."itemKey", v."sampleIndex"
    )
    SELECT count(*)::int AS n, ${aggs} FROM g`;
  const { rows } = await db.sql.query<Record<string, unknown>>(text, [runIds as string[], metric, ...runIds]);
  const row = rows[0] ?? {};
  const count = Number(row.n ?? 0);
  return { metric, count, values: runIds.map((_, j) => (count === 0 ? [] : toNumbers(row[`a${j}`]))) };
}
