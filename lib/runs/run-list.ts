// The runs list (/runs): search, filters, sort and pagination done in the database, so the page reads one page of
// runs (and their item counts) however many are stored. Filters by the honest run state of run-state.ts: a
// completed run with a failed or unsupported step, or a completed step with failed items, is "completed with
// failures", never "completed".
import type { Database } from "@/lib/db/client";
import { RUN_STATE_LABEL, runHealth, type RunHealth, type RunState } from "./run-state";

export const RUN_LIST_PAGE_SIZE = 50;
export const RUN_LIST_SORTS = ["created", "model", "status"] as const;
export type RunListSort = (typeof RUN_LIST_SORTS)[number];

export interface RunListQuery {
  /** Case-insensitive text in the run's name or its model's name. */
  q?: string;
  modelId?: string;
  /** The suite's name as snapshotted on the run. */
  suite?: string;
  state?: RunState;
  /** Created on or after this day (YYYY-MM-DD, UTC). */
  from?: string;
  /** Created on or before this day (YYYY-MM-DD, UTC). */
  to?: string;
  tag?: string;
  sort: RunListSort;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
}

export interface RunListEntry {
  id: string;
  name: string;
  source: string;
  status: string;
  error: string | null;
  createdAt: Date;
  model: { id: string; name: string };
  suite: string;
  tags: string[];
  comment: string;
  items: { total: number; done: number; failed: number } | null;
  health: RunHealth | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (v: string | undefined) => (v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : undefined);

/** The query of a /runs URL; anything malformed is dropped rather than refused (a list always renders). */
export function parseRunListParams(sp: Record<string, string | string[] | undefined>, pageSize = RUN_LIST_PAGE_SIZE): RunListQuery {
  const one = (k: string) => {
    const v = sp[k];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    return s ? s.slice(0, 200) : undefined;
  };
  const state = one("state");
  const sort = one("sort");
  return {
    q: one("q"),
    modelId: one("model"),
    suite: one("suite"),
    state: state && state in RUN_STATE_LABEL ? (state as RunState) : undefined,
    from: validDay(one("from")),
    to: validDay(one("to")),
    tag: one("tag"),
    sort: RUN_LIST_SORTS.includes(sort as RunListSort) ? (sort as RunListSort) : "created",
    dir: one("dir") === "asc" ? "asc" : "desc",
    page: Math.max(1, Math.min(1e6, Math.floor(Number(one("page"))) || 1)),
    pageSize,
  };
}

// A step problem as run-state.ts counts it: failed, unsupported, or completed with failed items.
const HAS_PROBLEM = `EXISTS (SELECT 1 FROM "RunBenchmark" b WHERE b."runId" = r.id AND (b.status::text IN ('failed', 'unsupported')
  OR (b.status::text = 'completed' AND EXISTS (SELECT 1 FROM "Item" i WHERE i."runId" = r.id AND i.benchmark = b.benchmark AND i.status = 'failed'))))`;

function whereOf(q: RunListQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.q) {
    const like = p(`%${q.q.replace(/[\\%_]/g, (c) => "\\" + c)}%`);
    where.push(`(r.name ILIKE ${like} OR m.name ILIKE ${like})`);
  }
  if (q.modelId) where.push(`r."modelId" = ${p(q.modelId)}`);
  if (q.suite) where.push(`r.suite ->> 'name' = ${p(q.suite)}`);
  if (q.tag) where.push(`r.tags @> ARRAY[${p(q.tag)}]::text[]`);
  if (q.from) where.push(`r."createdAt" >= ${p(q.from)}::date`);
  if (q.to) where.push(`r."createdAt" < ${p(q.to)}::date + 1`);
  if (q.state === "completed") where.push(`r.status = 'completed' AND NOT ${HAS_PROBLEM}`);
  else if (q.state === "completed_with_failures") where.push(`r.status = 'completed' AND ${HAS_PROBLEM}`);
  else if (q.state) where.push(`r.status::text = ${p(q.state)}`);
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}

/** One page of runs matching the query, the total that match, each with its suite, tags, item counts and health. */
export async function listRuns(db: Database, q: RunListQuery): Promise<{ total: number; rows: RunListEntry[] }> {
  const { sql: where, params } = whereOf(q);
  const dir = q.dir === "asc" ? "ASC" : "DESC";
  const order =
    q.sort === "model"
      ? `m.name ${dir}, r."createdAt" DESC, r.id`
      : q.sort === "status"
        ? `r.status ${dir}, r."createdAt" DESC, r.id` // the lifecycle's order: queued, running, paused, completed, failed, cancelled
        : `r."createdAt" ${dir}, r.id`;
  const from = `FROM "Run" r JOIN "Model" m ON m.id = r."modelId" ${where}`;
  const [{ rows: count }, { rows }] = await Promise.all([
    db.sql.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params),
    db.sql.query<{
      id: string;
      name: string;
      source: string;
      status: string;
      error: string | null;
      createdAt: Date | string;
      modelId: string;
      modelName: string;
      suite: string | null;
      tags: string[] | null;
      comment: string;
    }>(
      `SELECT r.id, r.name, r.source, r.status::text AS status, r.error, r."createdAt", m.id AS "modelId", m.name AS "modelName",
              r.suite ->> 'name' AS suite, r.tags, r.comment
         ${from} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    ),
  ]);
  const ids = rows.map((r) => r.id);
  const [{ rows: counts }, health] = await Promise.all([
    ids.length
      ? db.sql.query<{ runId: string; total: number; done: number; failed: number }>(
          `SELECT "runId", count(*)::int AS total, count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'failed')::int AS failed
             FROM "Item" WHERE "runId" = ANY($1::text[]) GROUP BY 1`,
          [ids],
        )
      : Promise.resolve({ rows: [] as { runId: string; total: number; done: number; failed: number }[] }),
    runHealth(db, ids),
  ]);
  const byRun = new Map(counts.map((c) => [c.runId, { total: c.total, done: c.done, failed: c.failed }]));
  return {
    total: count[0]?.n ?? 0,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      source: r.source,
      status: r.status,
      error: r.error,
      createdAt: new Date(r.createdAt),
      model: { id: r.modelId, name: r.modelName },
      suite: r.suite ?? "",
      tags: r.tags ?? [],
      comment: r.comment ?? "",
      items: byRun.get(r.id) ?? null,
      health: health.get(r.id) ?? null,
    })),
  };
}

/** What the filters offer: the suites and tags in use. */
export async function runListFacets(db: Database): Promise<{ suites: string[]; tags: string[] }> {
  const [{ rows: suites }, { rows: tags }] = await Promise.all([
    db.sql.query<{ s: string }>(`SELECT DISTINCT suite ->> 'name' AS s FROM "Run" WHERE suite ->> 'name' IS NOT NULL ORDER BY 1`),
    db.sql.query<{ t: string }>(`SELECT DISTINCT unnest(tags) AS t FROM "Run" ORDER BY 1`),
  ]);
  return { suites: suites.map((r) => r.s), tags: tags.map((r) => r.t) };
}

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;
export const MAX_COMMENT_LENGTH = 500;

/** Tags as typed in a form: comma-separated, trimmed, inner spaces collapsed, duplicates dropped. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(",")) {
    const t = raw.trim().replace(/\s+/g, " ");
    if (t) seen.add(t);
  }
  return [...seen];
}

/** Saves a run's tags and comment; false when the run does not exist. */
export async function saveRunAnnotations(db: Database, runId: string, tags: string[], comment: string): Promise<boolean> {
  const { rows } = await db.sql.query<{ id: string }>(`UPDATE "Run" SET tags = $2::text[], comment = $3 WHERE id = $1 RETURNING id`, [runId, tags, comment]);
  return rows.length > 0;
}
