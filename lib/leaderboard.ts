// The leaderboard: models × metrics, each cell the model's latest completed result for that benchmark (which run,
// when, its CI and n), sortable by any metric in its better direction, filtered by category or lineage, the best
// value of each column marked. One SQL query per view; the table and its CSV/LaTeX exports share this model.
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { getMetric, type MetricCategory, type MetricDefinition, metricsByCategory } from "@/lib/metrics/catalogue";
import { bestIndices, directionMark, escapeLatex, latexValue } from "@/lib/export/latex";
import { toCsv } from "@/lib/export/csv";
import { loadAttributeMetrics } from "@/lib/attributes/store";

export const CATEGORIES = ["textual", "social_bias", "toxicity", "calibration", "attributes"] as const satisfies readonly MetricCategory[];
export const CATEGORY_LABEL: Record<MetricCategory, string> = {
  textual: "Textual",
  social_bias: "Social bias",
  toxicity: "Toxicity",
  calibration: "Calibration",
  attributes: "Custom attributes",
};

export const leaderboardParams = z.object({
  category: z.enum(CATEGORIES).catch("textual"),
  sort: z.string().max(100).optional().catch(undefined),
  dir: z.enum(["best", "worst"]).catch("best"),
  lineage: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type LeaderboardParams = z.output<typeof leaderboardParams>;

/**
 * Rows per screen page. Every cell is a link with its CI and n, and a server-rendered table is sent twice (HTML and
 * React's payload): 200 models × 16 metrics was 1.1 MB and ~0.5 s a request. The sort and the best marks are over
 * all models; the exports hold every row.
 */
export const LEADERBOARD_PAGE_SIZE = 50;

export interface Cell {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  runId: string;
  finishedAt: string | null;
}

export interface LeaderboardRow {
  model: { id: string; name: string; family: string; size: string };
  cells: Record<string, Cell | undefined>;
}

export interface Leaderboard {
  params: LeaderboardParams;
  metrics: string[];
  rows: LeaderboardRow[];
  /** Per metric, the model ids holding the best value (all of them on a tie; none for neutral metrics). */
  best: Record<string, string[]>;
  lineageName: string | null;
  /** The custom attributes' definitions registered for this view (the page hands them to the browser's catalogue). */
  customMetrics: MetricDefinition[];
}

/** Sort key of a value in its metric's better direction: smaller is better; null sorts last. */
function goodness(metric: string, v: number | null | undefined): number {
  if (v === null || v === undefined) return Infinity;
  const better = getMetric(metric)?.better ?? "neutral";
  if (better === "higher" || better === "neutral") return -v;
  if (better === "lower") return v;
  return Math.abs(v - Number(better.slice("target:".length)));
}

export interface LatestResult {
  modelId: string;
  name: string;
  family: string;
  size: string;
  metric: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  runId: string;
  finishedAt: Date | string | null;
}

type LatestCell = Omit<LatestResult, "name" | "family" | "size">;

/**
 * What the latest results depend on. A completed run's aggregates never change (lib/runs/run-cache.ts); the latest
 * results change only when a run completes, is deleted or goes back to the queue, each of which changes the count
 * or the finish times of the completed runs. One cheap scan of the runs, where the results query sorts them all and
 * reads thousands of aggregates (~0.2 s a page on the embedded database at 2,000 runs).
 */
async function resultsStamp(db: Database): Promise<string> {
  const { rows } = await db.sql.query<{ n: number; latest: Date | string | null; total: string | number | null }>(
    `SELECT count(*)::int AS n, max("finishedAt") AS latest, sum(extract(epoch FROM "finishedAt"))::text AS total FROM "Run" WHERE status = 'completed'`,
  );
  const r = rows[0];
  return `${r.n}|${r.latest === null ? "" : new Date(r.latest).toISOString()}|${r.total ?? ""}`;
}

const CACHED_VIEWS = 32;
// On globalThis: one cache per process, whichever bundle (page, API route) reads it.
const g = globalThis as unknown as { __lineageLatestResults?: Map<string, Promise<LatestCell[]>> };
const latestCache = (g.__lineageLatestResults ??= new Map());

/** The latest cells of `metrics` (and `modelIds`), computed once per results stamp; the last CACHED_VIEWS kept. */
async function latestCells(db: Database, metrics: string[], modelIds: string[] | null): Promise<LatestCell[]> {
  const key = `${db.location}|${await resultsStamp(db)}|${metrics.join(",")}|${modelIds?.join(",") ?? "*"}`;
  let cells = latestCache.get(key);
  if (cells)
    latestCache.delete(key); // re-inserted below: most recently used last
  else {
    cells = db.sql
      .query<LatestCell>(
        `WITH latest AS (
           SELECT DISTINCT ON (r."modelId", b.benchmark) r."modelId", b.benchmark, r.id AS "runId", r."finishedAt"
             FROM "Run" r JOIN "RunBenchmark" b ON b."runId" = r.id AND b.status = 'completed'
            WHERE r.status = 'completed' AND ($2::text[] IS NULL OR r."modelId" = ANY($2::text[]))
            ORDER BY r."modelId", b.benchmark, r."finishedAt" DESC NULLS LAST, r."createdAt" DESC)
         SELECT l."modelId", a.metric, a.value, a."ciLow", a."ciHigh", a.n, l."runId", l."finishedAt"
           FROM latest l JOIN "Aggregate" a ON a."runId" = l."runId" AND a.benchmark = l.benchmark
          WHERE a.metric = ANY($1::text[])`,
        [metrics, modelIds],
      )
      .then((r) => r.rows);
    // The promise itself is kept, so that concurrent requests share one query; a failure is not kept.
    cells.catch(() => latestCache.delete(key));
  }
  latestCache.set(key, cells);
  if (latestCache.size > CACHED_VIEWS) latestCache.delete(latestCache.keys().next().value as string);
  return cells;
}

/**
 * Each model's latest completed result for `metrics`: per benchmark, the latest completed run whose step completed
 * (a few hundred rows), then its aggregates by key — far less to sort than every aggregate of every run. The
 * leaderboard and the family tree read results this way. The models' names are read each time (a rename shows at
 * once); the results are cached until a run completes, is deleted or is queued again.
 */
export async function latestResults(db: Database, metrics: string[], modelIds: string[] | null = null): Promise<LatestResult[]> {
  const [cells, models] = await Promise.all([
    latestCells(db, metrics, modelIds),
    db.sql.query<{ id: string; name: string; family: string; size: string }>(`SELECT id, name, family, size FROM "Model"`),
  ]);
  const byId = new Map(models.rows.map((m) => [m.id, m]));
  return cells.flatMap((c) => {
    const m = byId.get(c.modelId);
    return m ? [{ ...c, name: m.name, family: m.family, size: m.size }] : [];
  });
}

function cellOf(r: LatestResult): Cell {
  return {
    value: r.value === null ? null : Number(r.value),
    ciLow: r.ciLow === null ? null : Number(r.ciLow),
    ciHigh: r.ciHigh === null ? null : Number(r.ciHigh),
    n: r.n,
    runId: r.runId,
    finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
  };
}

/** latestResults as one row per model, and the metrics some model has a value of. */
function rowsByModel(rows: LatestResult[]): { byModel: Map<string, LeaderboardRow>; present: Set<string> } {
  const byModel = new Map<string, LeaderboardRow>();
  const present = new Set<string>();
  for (const r of rows) {
    let row = byModel.get(r.modelId);
    if (!row) byModel.set(r.modelId, (row = { model: { id: r.modelId, name: r.name, family: r.family, size: r.size }, cells: {} }));
    row.cells[r.metric] = cellOf(r);
    if (r.value !== null) present.add(r.metric);
  }
  return { byModel, present };
}

/**
 * The models page's summary: each model's latest completed result of `metrics` (the same notion of latest as the
 * leaderboard), and the metrics of those some model has, in the order asked.
 */
export async function latestSummary(db: Database, metrics: string[]): Promise<{ metrics: string[]; cells: Map<string, Record<string, Cell | undefined>> }> {
  const { byModel, present } = rowsByModel(await latestResults(db, metrics));
  return { metrics: metrics.filter((m) => present.has(m)), cells: new Map([...byModel].map(([id, row]) => [id, row.cells])) };
}

export async function leaderboard(db: Database, params: LeaderboardParams): Promise<Leaderboard> {
  const customMetrics = await loadAttributeMetrics(db);
  const candidates = metricsByCategory()[params.category].map((m) => m.id);
  let modelFilter: string[] | null = null;
  let lineageName: string | null = null;
  if (params.lineage) {
    const d = await db.prisma.derivation.findUnique({
      where: { id: params.lineage },
      select: { studentId: true, baseModelId: true, student: { select: { name: true } }, teachers: { select: { teacherId: true } } },
    });
    if (d) {
      modelFilter = [d.studentId, ...(d.baseModelId ? [d.baseModelId] : []), ...d.teachers.map((t) => t.teacherId)];
      lineageName = d.student.name;
    }
  }
  const { byModel, present } = rowsByModel(await latestResults(db, candidates, modelFilter));
  const metrics = candidates.filter((m) => present.has(m));
  const sort = params.sort && metrics.includes(params.sort) ? params.sort : metrics[0];
  const list = [...byModel.values()];
  list.sort((a, b) => {
    if (sort) {
      const ga = goodness(sort, a.cells[sort]?.value);
      const gb = goodness(sort, b.cells[sort]?.value);
      if (ga !== gb) {
        if (ga === Infinity) return 1;
        if (gb === Infinity) return -1;
        return params.dir === "best" ? ga - gb : gb - ga;
      }
    }
    return a.model.name.localeCompare(b.model.name);
  });
  const best: Record<string, string[]> = {};
  for (const m of metrics)
    best[m] = bestIndices(
      m,
      list.map((r) => r.cells[m]?.value ?? null),
    ).map((i) => list[i].model.id);
  return { params: { ...params, sort }, metrics, rows: list, best, lineageName, customMetrics };
}

/** The screen page of `b` its params ask for (the last page when past the end), and where it stands. */
export function leaderboardPage(b: Leaderboard): { rows: LeaderboardRow[]; page: number; pages: number; first: number } {
  const pages = Math.max(1, Math.ceil(b.rows.length / LEADERBOARD_PAGE_SIZE));
  const page = Math.min(b.params.page, pages);
  const start = (page - 1) * LEADERBOARD_PAGE_SIZE;
  return { rows: b.rows.slice(start, start + LEADERBOARD_PAGE_SIZE), page, pages, first: start + 1 };
}

function header(metric: string): string {
  const m = getMetric(metric);
  return m?.shortLabel ?? m?.label ?? metric;
}

/** CSV: one row per model, value, CI and n per metric (cells a spreadsheet would run are guarded by toCsv). */
export function leaderboardCsv(b: Leaderboard): string {
  const head = ["model", ...b.metrics.flatMap((m) => [m, `${m}_ci_low`, `${m}_ci_high`, `${m}_n`, `${m}_run`])];
  const rows = b.rows.map((r) => [
    r.model.name,
    ...b.metrics.flatMap((m) => {
      const c = r.cells[m];
      return [c?.value ?? null, c?.ciLow ?? null, c?.ciHigh ?? null, c?.n ?? null, c?.runId ?? null];
    }),
  ]);
  return toCsv([head, ...rows]);
}

/** LaTeX (booktabs): value ± CI half-width, the best of each column in bold, better direction in the header. */
export function leaderboardLatex(b: Leaderboard): string {
  const lines = [
    "% Lineage leaderboard: latest completed result per model; ± is half the 95 % bootstrap interval; best per column in bold.",
    `\\begin{tabular}{l${"r".repeat(b.metrics.length)}}`,
    "\\toprule",
    `Model & ${b.metrics.map((m) => `${escapeLatex(header(m))}${directionMark(getMetric(m)?.better ?? "neutral")}`).join(" & ")} \\\\`,
    "\\midrule",
    ...b.rows.map((r) => {
      const cells = b.metrics.map((m) => {
        const c = r.cells[m];
        if (!c || c.value === null) return "--";
        const text = latexValue(c.value, c.ciLow, c.ciHigh);
        return b.best[m]?.includes(r.model.id) ? `\\textbf{${text}}` : text;
      });
      return `${escapeLatex(r.model.name)} & ${cells.join(" & ")} \\\\`;
    }),
    "\\bottomrule",
    "\\end{tabular}",
  ];
  return lines.join("\n") + "\n";
}
