// Per-item drill-down, paged, filtered and sorted in the database (never the whole run in the browser).
import type { Database } from "@/lib/db/client";

export interface ItemQuery {
  page: number;
  pageSize: number;
  status?: "done" | "failed" | "pending";
  /** Case-insensitive text search in prompt and output. */
  q?: string;
  /** Sort by this metric's per-item value; default: item order. */
  sortMetric?: string;
  dir?: "asc" | "desc";
  benchmark?: string;
}

export interface ItemRow {
  id: number;
  benchmark: string;
  itemKey: string;
  sampleIndex: number;
  status: string;
  prompt: string;
  output: string | null;
  error: string | null;
  errorKind: string | null;
  attempts: number;
  latencyMs: number | null;
  completionTokens: number | null;
  scores: Record<string, number | null>;
}

export async function listItems(db: Database, runId: string, q: ItemQuery): Promise<{ total: number; rows: ItemRow[] }> {
  const where: string[] = [`i."runId" = $1`];
  const params: unknown[] = [runId];
  if (q.status) {
    params.push(q.status);
    where.push(`i.status = $${params.length}::"ItemStatus"`);
  }
  if (q.benchmark) {
    params.push(q.benchmark);
    where.push(`i.benchmark = $${params.length}`);
  }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (c) => "\\" + c)}%`);
    where.push(`(i.prompt ILIKE $${params.length} OR i.output ILIKE $${params.length})`);
  }
  const whereSql = where.join(" AND ");
  const { rows: countRows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" i WHERE ${whereSql}`, params);
  let order = `i.id ASC`;
  if (q.sortMetric) {
    params.push(q.sortMetric);
    order = `(CASE WHEN jsonb_typeof(i.scores -> $${params.length}) = 'number' THEN (i.scores ->> $${params.length})::float8 END) ${q.dir === "asc" ? "ASC" : "DESC"} NULLS LAST, i.id ASC`;
  }
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const { rows } = await db.sql.query<Omit<ItemRow, "scores"> & { scores: Record<string, number | null> | null }>(
    `SELECT i.id, i.benchmark, i."itemKey", i."sampleIndex", i.status::text AS status, i.prompt, i.output, i.error, i."errorKind",
       i.attempts, i."latencyMs", i."completionTokens", i.scores
     FROM "Item" i WHERE ${whereSql} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { total: countRows[0]?.n ?? 0, rows: rows.map((r) => ({ ...r, scores: r.scores ?? {} })) };
}

/** The benchmark record of one item (options and their scores, chosen answer, continuations and toxicity), or null. */
export async function itemDetail(db: Database, itemId: number): Promise<{ benchmark: string; data: unknown } | null> {
  const item = await db.prisma.item.findUnique({ where: { id: itemId }, select: { benchmark: true, data: true } });
  return item ? { benchmark: item.benchmark, data: item.data } : null;
}
