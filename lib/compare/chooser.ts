// The runs the compare chooser lists: completed runs (those completed with failures marked, with what failed) are
// offered; failed runs and completed runs without any result are listed disabled, with the reason.
import type { Database } from "@/lib/db/client";
import { describeProblems, runHealth, type RunState } from "@/lib/runs/run-state";

export interface ChooserRun {
  id: string;
  name: string;
  modelName: string;
  createdAt: string;
  state: RunState;
  stateLabel: string;
  /** what failed, one line; empty when nothing did */
  problems: string;
  /** stored results (aggregates) */
  results: number;
  /** can be checked */
  offered: boolean;
  /** why it cannot be checked */
  reason: string | null;
}

export async function chooserRuns(db: Database, take = 200): Promise<ChooserRun[]> {
  const runs = await db.prisma.run.findMany({
    where: { status: { in: ["completed", "failed"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { model: { select: { name: true } } },
  });
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const [health, counts] = await Promise.all([
    runHealth(db, ids),
    db.sql.query<{ runId: string; n: number }>(`SELECT "runId", count(*)::int AS n FROM "Aggregate" WHERE "runId" = ANY($1::text[]) GROUP BY "runId"`, [ids]),
  ]);
  const results = new Map(counts.rows.map((r) => [r.runId, Number(r.n)]));
  return runs.map((r) => {
    const h = health.get(r.id);
    const state: RunState = h?.state ?? "failed";
    const problems = h ? describeProblems(h) : "";
    const n = results.get(r.id) ?? 0;
    const failed = state === "failed";
    const reason = failed ? `failed${r.error ? `: ${r.error}` : problems ? `: ${problems}` : ""}` : n === 0 ? "no results" : null;
    return {
      id: r.id,
      name: r.name,
      modelName: r.model.name,
      createdAt: r.createdAt.toISOString(),
      state,
      stateLabel: h?.label ?? r.status,
      problems,
      results: n,
      offered: reason === null,
      reason,
    };
  });
}
