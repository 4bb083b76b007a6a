// What a reader should take a run's end for. The stored status says where the job is (queued … completed, failed,
// cancelled); a completed run whose items or steps partly failed is "completed with failures", so that nobody
// reads its numbers as whole. A run with nothing usable ends "failed" (the executor decides that).
import type { Database } from "@/lib/db/client";

export type RunState = "queued" | "running" | "paused" | "cancelled" | "failed" | "completed" | "completed_with_failures";

export const RUN_STATE_LABEL: Record<RunState, string> = {
  queued: "queued",
  running: "running",
  paused: "paused",
  cancelled: "cancelled",
  failed: "failed",
  completed: "completed",
  completed_with_failures: "completed with failures",
};

export interface StepProblem {
  benchmark: string;
  status: string;
  reason: string | null;
  failedItems: number;
}

export interface RunHealth {
  state: RunState;
  label: string;
  failedItems: number;
  /** Steps that did not complete cleanly (failed, unsupported, or completed with failed items). */
  problems: StepProblem[];
}

export function runState(status: string, problems: readonly StepProblem[]): RunState {
  if (status === "completed") return problems.length > 0 ? "completed_with_failures" : "completed";
  return (status in RUN_STATE_LABEL ? status : "failed") as RunState;
}

/** One line for lists and exports: "completed with failures: 3 item(s) failed; bbq unsupported (…)". */
export function describeProblems(h: RunHealth): string {
  return h.problems
    .map((p) =>
      p.status === "completed" ? `${p.benchmark}: ${p.failedItems} item(s) failed` : `${p.benchmark} ${p.status}${p.reason ? ` (${p.reason})` : ""}`,
    )
    .join("; ");
}

/** The health of several runs in two queries. Runs that do not exist are absent from the map. */
export async function runHealth(db: Database, runIds: readonly string[]): Promise<Map<string, RunHealth>> {
  const out = new Map<string, RunHealth>();
  if (runIds.length === 0) return out;
  const ids = [...new Set(runIds)];
  const { rows: runs } = await db.sql.query<{ id: string; status: string }>(`SELECT id, status::text AS status FROM "Run" WHERE id = ANY($1::text[])`, [ids]);
  const { rows: steps } = await db.sql.query<{ runId: string; benchmark: string; status: string; reason: string | null; failed: number }>(
    `SELECT b."runId", b.benchmark, b.status::text AS status, b.reason,
            (SELECT count(*)::int FROM "Item" i WHERE i."runId" = b."runId" AND i.benchmark = b.benchmark AND i.status = 'failed') AS failed
       FROM "RunBenchmark" b WHERE b."runId" = ANY($1::text[]) ORDER BY b.benchmark`,
    [ids],
  );
  for (const r of runs) {
    const mine = steps.filter((s) => s.runId === r.id);
    const problems = mine
      .filter((s) => s.status === "failed" || s.status === "unsupported" || (s.status === "completed" && s.failed > 0))
      .map((s) => ({ benchmark: s.benchmark, status: s.status, reason: s.reason, failedItems: s.failed }));
    const state = runState(r.status, problems);
    out.set(r.id, { state, label: RUN_STATE_LABEL[state], failedItems: mine.reduce((a, s) => a + s.failed, 0), problems });
  }
  return out;
}
