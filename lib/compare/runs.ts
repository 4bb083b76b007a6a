// The runs of a comparison and their stored aggregates (run-level values come from the database, never from
// samples loaded into the page).
import { loadAttributeMetrics } from "@/lib/attributes/store";
import type { Database } from "@/lib/db/client";
import { describeProblems, runHealth, type RunState } from "@/lib/runs/run-state";

export type LineageRole = "base" | "student" | "teacher";

export interface CompareRun {
  id: string;
  name: string;
  modelId: string;
  modelName: string;
  status: string;
  source: string;
  createdAt: string;
  finishedAt: string | null;
  codeVersion: string;
  seed: number;
  suite: unknown;
  /** Role in the lineage ("teacher", "student & teacher"), when the comparison's models are related by one. */
  role: string | null;
  /** What a reader should take the run's end for (lib/runs/run-state.ts): completed, completed_with_failures, … */
  state: RunState;
  /** "completed with failures" */
  stateLabel: string;
  /** the failed steps and items, one line ("bbq: 3 item(s) failed; seat unsupported (…)"); empty when none */
  problems: string;
}

export interface AggregateCell {
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
  benchmark: string;
  details: Record<string, unknown> | null;
  /** when the aggregate was stored; part of the cache key of paired statistics */
  stamp: string;
}

/** Loads runs in the order given; unknown ids are reported, not silently dropped. */
export async function loadRuns(db: Database, ids: readonly string[]): Promise<{ runs: CompareRun[]; missing: string[] }> {
  const found = await db.prisma.run.findMany({
    where: { id: { in: [...ids] } },
    include: { model: { select: { id: true, name: true } } },
  });
  const byId = new Map(found.map((r) => [r.id, r]));
  const health = await runHealth(
    db,
    found.map((r) => r.id),
  );
  const runs: CompareRun[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) {
      missing.push(id);
      continue;
    }
    runs.push({
      id: r.id,
      name: r.name || r.id.slice(0, 8),
      modelId: r.model.id,
      modelName: r.model.name,
      status: r.status,
      source: r.source,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      codeVersion: r.codeVersion,
      seed: r.seed,
      suite: r.suite,
      role: null,
      state: health.get(r.id)?.state ?? "failed",
      stateLabel: health.get(r.id)?.label ?? r.status,
      problems: health.has(r.id) ? describeProblems(health.get(r.id)!) : "",
    });
  }
  return { runs, missing };
}

/** aggregates[runId][metric] */
export async function loadAggregates(db: Database, runIds: readonly string[]): Promise<Record<string, Record<string, AggregateCell>>> {
  await loadAttributeMetrics(db);
  const out: Record<string, Record<string, AggregateCell>> = Object.fromEntries(runIds.map((id) => [id, {}]));
  if (runIds.length === 0) return out;
  const { rows } = await db.sql.query<{
    runId: string;
    metric: string;
    benchmark: string;
    value: number | string | null;
    ciLow: number | string | null;
    ciHigh: number | string | null;
    n: number;
    details: Record<string, unknown> | string | null;
    createdAt: Date | string;
  }>(`SELECT "runId", metric, benchmark, value, "ciLow", "ciHigh", n, details, "createdAt" FROM "Aggregate" WHERE "runId" = ANY($1::text[])`, [
    runIds as string[],
  ]);
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  for (const r of rows) {
    out[r.runId][r.metric] = {
      value: num(r.value),
      lo: num(r.ciLow),
      hi: num(r.ciHigh),
      n: Number(r.n),
      benchmark: r.benchmark,
      details: typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
      stamp: new Date(r.createdAt).toISOString(),
    };
  }
  return out;
}
