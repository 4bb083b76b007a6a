// Per-item drill-down, paged, filtered and sorted in the database (never the whole run in the browser).
import type { Database } from "@/lib/db/client";
import { memoCompleted } from "./run-cache";
import { itemCounts } from "./runs";
import { readItemData } from "./steps/item-data";

export interface ItemQuery {
  page: number;
  pageSize: number;
  status?: "done" | "failed" | "pending";
  /** Case-insensitive text search in prompt and output. */
  q?: string;
  /** Sort by this metric's per-item value; default: item order. */
  sortMetric?: string;
  /** Or by one of the benchmark's own item fields (ITEM_FIELDS; `benchmark` must be set). */
  sortField?: string;
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
  /** The benchmark's record of the item (options and their scores, the choice, continuations…), read through its step (steps/item-data.ts). */
  data: unknown;
}

/** A value of a benchmark's stored item record, sortable and shown as a column of that benchmark's items. */
export interface ItemField {
  id: string;
  label: string;
  /** A fixed SQL expression over `i.data` (never built from input): a number or null. */
  sql: string;
}

const numAt = (path: string) => `(CASE WHEN jsonb_typeof(i.data #> '{${path}}') = 'number' THEN (i.data #>> '{${path}}')::float8 END)`;
const boolAt = (path: string) => `(CASE WHEN jsonb_typeof(i.data #> '{${path}}') = 'boolean' THEN (i.data #>> '{${path}}')::boolean::int END)`;
const calibrationFields: ItemField[] = [
  { id: "confidence", label: "Confidence", sql: numAt("confidence") },
  { id: "correct", label: "Correct", sql: boolAt("correct") },
];

/** Per benchmark, the fields of its item records (lib/runs/steps/*.ts) that the items table shows and sorts by. */
export const ITEM_FIELDS: Record<string, ItemField[]> = {
  stereoset: [],
  // exp(mean log-prob) of the packed summary, or the score of a row stored before the packed summaries.
  crows_pairs: [
    { id: "score_more", label: "Score (more stereotyped)", sql: `coalesce(exp(${numAt("summary,0,0")}), ${numAt("options,0,score")})` },
    { id: "score_less", label: "Score (less stereotyped)", sql: `coalesce(exp(${numAt("summary,1,0")}), ${numAt("options,1,score")})` },
  ],
  bbq: [{ id: "correct", label: "Correct", sql: boolAt("correct") }],
  hellaswag: calibrationFields,
  openbookqa: calibrationFields,
  rtp_toxicity: [{ id: "max_toxicity", label: "Max toxicity", sql: numAt("max,TOXICITY") }],
  seat: [
    { id: "effect_size", label: "Effect size d", sql: numAt("effectSize") },
    { id: "p_value", label: "p-value", sql: numAt("pValue") },
  ],
  textual: [],
};

export function itemField(benchmark: string | undefined, id: string | undefined): ItemField | undefined {
  return benchmark && id ? ITEM_FIELDS[benchmark]?.find((f) => f.id === id) : undefined;
}

/** The per-item score keys the run's items (of one benchmark, or all) carry: what the items can be sorted by. */
export function itemScoreKeys(db: Database, runId: string, benchmark?: string, stamp: string | null = null): Promise<string[]> {
  return memoCompleted(stamp, `scoreKeys:${benchmark ?? ""}`, async () => {
    const { rows } = await db.sql.query<{ k: string }>(
      `SELECT DISTINCT jsonb_object_keys(i.scores) AS k FROM "Item" i
        WHERE i."runId" = $1 AND ($2::text IS NULL OR i.benchmark = $2) AND jsonb_typeof(i.scores) = 'object' ORDER BY 1`,
      [runId, benchmark ?? null],
    );
    return rows.map((r) => r.k);
  });
}

/** The benchmarks a run has items of, with their counts. */
export async function itemBenchmarks(db: Database, runId: string, stamp: string | null = null): Promise<{ benchmark: string; n: number }[]> {
  const byBenchmark = new Map<string, number>();
  for (const c of await itemCounts(db, runId, stamp)) byBenchmark.set(c.benchmark, (byBenchmark.get(c.benchmark) ?? 0) + c.n);
  return [...byBenchmark].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([benchmark, n]) => ({ benchmark, n }));
}

/** A page of the run's items. `stamp`: the run's completedStamp, when it has one (its counts are then kept). */
export async function listItems(db: Database, runId: string, q: ItemQuery, stamp: string | null = null): Promise<{ total: number; rows: ItemRow[] }> {
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
  const countParams = [...params];
  const total = await memoCompleted(q.q ? null : stamp, `count:${q.status ?? ""}:${q.benchmark ?? ""}`, async () => {
    const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" i WHERE ${whereSql}`, countParams);
    return rows[0]?.n ?? 0;
  });
  let order = `i.id ASC`;
  const field = itemField(q.benchmark, q.sortField);
  if (field) order = `${field.sql} ${q.dir === "asc" ? "ASC" : "DESC"} NULLS LAST, i.id ASC`;
  else if (q.sortMetric) {
    params.push(q.sortMetric);
    order = `(CASE WHEN jsonb_typeof(i.scores -> $${params.length}) = 'number' THEN (i.scores ->> $${params.length})::float8 END) ${q.dir === "asc" ? "ASC" : "DESC"} NULLS LAST, i.id ASC`;
  }
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const { rows } = await db.sql.query<Omit<ItemRow, "scores"> & { scores: Record<string, number | null> | null }>(
    `SELECT i.id, i.benchmark, i."itemKey", i."sampleIndex", i.status::text AS status, i.prompt, i.output, i.error, i."errorKind",
       i.attempts, i."latencyMs", i."completionTokens", i.scores, i.data
     FROM "Item" i WHERE ${whereSql} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { total, rows: rows.map((r) => ({ ...r, scores: r.scores ?? {}, data: displayData(r.benchmark, r.data) })) };
}

/** The benchmark record of one item (options and their scores, chosen answer, continuations and toxicity), or null. */
export async function itemDetail(db: Database, itemId: number): Promise<{ benchmark: string; data: unknown } | null> {
  const item = await db.prisma.item.findUnique({ where: { id: itemId }, select: { benchmark: true, data: true } });
  return item ? { benchmark: item.benchmark, data: displayData(item.benchmark, item.data) } : null;
}

/** The full record for the page; one that does not fit its step's schema is shown as stored rather than not at all. */
function displayData(benchmark: string, data: unknown): unknown {
  try {
    return readItemData(benchmark, data);
  } catch {
    return data;
  }
}
