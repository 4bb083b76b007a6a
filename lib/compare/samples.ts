// Side-by-side samples: for each item of the reference run, the outputs of every compared run on the same
// (benchmark, item key, sample index), sorted by the per-sample difference of a chosen metric; paged in SQL.
import type { Database } from "@/lib/db/client";

export interface SideBySideQuery {
  runIds: readonly string[];
  refId: string;
  /** metric whose per-sample values are shown and whose difference sorts the rows */
  metric: string;
  /** the run whose difference (run − reference) sorts the rows; default: the first non-reference run */
  diffRunId?: string;
  /** by the difference (largest increase first / largest decrease first), or item order (the default) */
  dir?: "asc" | "desc" | "item";
  page: number;
  pageSize: number;
  /** case-insensitive text in the prompt */
  q?: string;
  /**
   * Only this benchmark's items; "all" for every benchmark. Default: the first benchmark (in item order) whose
   * reference items carry a value of `metric`, so that the first view never opens on rows of "—" (a BBQ item has
   * no word count); every benchmark when none has.
   */
  benchmark?: string;
}

export interface SamplesBenchmark {
  benchmark: string;
  /** completed items of the reference run */
  items: number;
  /** of which carry a value of the metric */
  withValues: number;
}

export interface SideBySideRow {
  benchmark: string;
  itemKey: string;
  sampleIndex: number;
  prompt: string;
  /** per run, in the order of runIds (reference first after normalisation) */
  outputs: (string | null)[];
  values: (number | null)[];
  /** value of the sorting run − value of the reference */
  diff: number | null;
}

export interface SideBySidePage {
  runIds: string[];
  refId: string;
  diffRunId: string | null;
  metric: string;
  /** the benchmark shown, null for all */
  benchmark: string | null;
  /** the reference run's benchmarks, for the chooser */
  benchmarks: SamplesBenchmark[];
  total: number;
  page: number;
  pageSize: number;
  rows: SideBySideRow[];
}

export async function sideBySide(db: Database, q: SideBySideQuery): Promise<SideBySidePage> {
  // The reference drives the rows, so it comes first; the others keep their order.
  const runIds = [q.refId, ...q.runIds.filter((id) => id !== q.refId)].slice(0, 8);
  const diffRunId = q.diffRunId && runIds.includes(q.diffRunId) && q.diffRunId !== q.refId ? q.diffRunId : (runIds[1] ?? null);
  const benchmarks = await samplesBenchmarks(db, q.refId, q.metric);
  const benchmark =
    q.benchmark === "all"
      ? null
      : q.benchmark !== undefined && benchmarks.some((b) => b.benchmark === q.benchmark)
        ? q.benchmark
        : (benchmarks.find((b) => b.withValues > 0)?.benchmark ?? null);
  const params: unknown[] = [q.refId, q.metric];
  const joins: string[] = [];
  const outCols: string[] = ["r.output AS o0"];
  // Per-item values live in Item.scores (JSONB); a non-number counts as missing.
  const val = (alias: string) => `(CASE WHEN jsonb_typeof(${alias}.scores -> $2) = 'number' THEN (${alias}.scores ->> $2)::float8 END)`;
  const valCols: string[] = [`${val("r")} AS v0`];
  runIds.slice(1).forEach((id, k) => {
    const j = k + 1;
    params.push(id);
    joins.push(
      `LEFT JOIN "Item" i${j} ON i${j}."runId" = $${params.length} AND i${j}.benchmark = r.benchmark AND i${j}."itemKey" = r."itemKey" AND i${j}."sampleIndex" = r."sampleIndex"`,
    );
    outCols.push(`i${j}.output AS o${j}`);
    valCols.push(`${val(`i${j}`)} AS v${j}`);
  });
  const where = [`r."runId" = $1`, `r.status = 'done'`];
  // The count takes the same filters with its own numbering ($1 the reference).
  const countWhere = [`r."runId" = $1`, `r.status = 'done'`];
  const countParams: unknown[] = [q.refId];
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    params.push(like);
    where.push(`r.prompt ILIKE $${params.length}`);
    countParams.push(like);
    countWhere.push(`r.prompt ILIKE $${countParams.length}`);
  }
  if (benchmark !== null) {
    params.push(benchmark);
    where.push(`r.benchmark = $${params.length}`);
    countParams.push(benchmark);
    countWhere.push(`r.benchmark = $${countParams.length}`);
  }
  const dj = diffRunId ? runIds.indexOf(diffRunId) : -1;
  const diffExpr = dj > 0 ? `(${val(`i${dj}`)} - ${val("r")})` : "NULL::float8";
  const keyOrder = `r.benchmark COLLATE "C", r."itemKey" COLLATE "C", r."sampleIndex"`;
  const byItem = q.dir !== "asc" && q.dir !== "desc";
  const order = byItem ? keyOrder : `${diffExpr} ${q.dir === "asc" ? "ASC" : "DESC"} NULLS LAST, ${keyOrder}`;
  const from = `FROM "Item" r ${joins.join(" ")} WHERE ${where.join(" AND ")}`;
  const { rows: counted } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" r WHERE ${countWhere.join(" AND ")}`, countParams);
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  // Two phases: order the narrow (item ids, difference) tuples and cut the page, then fetch prompts and outputs
  // for those rows only — the sort never carries the texts of 100,000 items.
  const ids = runIds.slice(1).map((_, k) => `i${k + 1}.id AS id${k + 1}`);
  const refetch = runIds
    .slice(1)
    .map((_, k) => `LEFT JOIN "Item" i${k + 1} ON i${k + 1}.id = p.id${k + 1}`)
    .join(" ");
  // In item order the page is cut from the reference's items alone and only its rows are joined to the other
  // runs (unique-index lookups), so the first view of a 100,000-item comparison stays cheap.
  const { rows } = byItem
    ? await db.sql.query<Record<string, unknown>>(
        `WITH p AS (
           SELECT r.id AS rid, row_number() OVER (ORDER BY ${keyOrder}) AS ord FROM "Item" r WHERE ${where.join(" AND ")}
           ORDER BY ${keyOrder} LIMIT $${params.length - 1} OFFSET $${params.length}
         )
         SELECT r.benchmark, r."itemKey", r."sampleIndex", r.prompt, ${outCols.join(", ")}, ${valCols.join(", ")}, ${diffExpr} AS diff
         FROM p JOIN "Item" r ON r.id = p.rid ${joins.join(" ")} ORDER BY p.ord`,
        params,
      )
    : await db.sql.query<Record<string, unknown>>(
        `WITH p AS (
           SELECT r.id AS rid${ids.length ? ", " + ids.join(", ") : ""}, ${diffExpr} AS diff, row_number() OVER (ORDER BY ${order}) AS ord
           ${from} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}
         )
         SELECT r.benchmark, r."itemKey", r."sampleIndex", r.prompt, ${outCols.join(", ")}, ${valCols.join(", ")}, p.diff
         FROM p JOIN "Item" r ON r.id = p.rid ${refetch} ORDER BY p.ord`,
        params,
      );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    runIds,
    refId: q.refId,
    diffRunId,
    metric: q.metric,
    benchmark,
    benchmarks,
    total: counted[0]?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
    rows: rows.map((r) => ({
      benchmark: String(r.benchmark),
      itemKey: String(r.itemKey),
      sampleIndex: Number(r.sampleIndex),
      prompt: String(r.prompt ?? ""),
      outputs: runIds.map((_, j) => (r[`o${j}`] === null || r[`o${j}`] === undefined ? null : String(r[`o${j}`]))),
      values: runIds.map((_, j) => num(r[`v${j}`])),
      diff: num(r.diff),
    })),
  };
}

/** The reference run's benchmarks in item order, with how many of their completed items carry a value of `metric`. */
export async function samplesBenchmarks(db: Database, refId: string, metric: string): Promise<SamplesBenchmark[]> {
  const { rows } = await db.sql.query<SamplesBenchmark>(
    `SELECT benchmark, count(*)::int AS items, (count(*) FILTER (WHERE jsonb_typeof(scores -> $2) = 'number'))::int AS "withValues"
       FROM "Item" WHERE "runId" = $1 AND status = 'done' GROUP BY benchmark ORDER BY benchmark COLLATE "C"`,
    [refId, metric],
  );
  return rows.map((r) => ({ benchmark: String(r.benchmark), items: Number(r.items), withValues: Number(r.withValues) }));
}
