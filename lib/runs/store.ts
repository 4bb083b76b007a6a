// The run's state in the database: the status of the run and of each of its steps (RunBenchmark), its notes, and
// the item queries the executor pages through. Every status transition of a run and of a step is written here, so
// the executor and the run controls (lib/runs/runs.ts) share one definition of each.
import type { Database } from "@/lib/db/client";
import type { DoneItem, PendingItem } from "./steps/types";

/** The run with its model and its steps, as the executor starts it. */
export async function runForExecution(db: Database, runId: string) {
  return db.prisma.run.findUnique({ where: { id: runId }, include: { model: true, benchmarks: true } });
}

/** The run's status, or null when it no longer exists. */
export async function runStatus(db: Database, runId: string): Promise<string | null> {
  const { rows } = await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM "Run" WHERE id = $1`, [runId]);
  return rows[0]?.status ?? null;
}

/** Sets the run's status (and error); "running" stamps the start once, an end state the finish. */
export async function setRunStatus(db: Database, runId: string, status: string, error: string | null = null): Promise<void> {
  await db.sql.query(
    `UPDATE "Run" SET status = $2::"RunStatus", error = $3,
       "startedAt" = CASE WHEN $2 = 'running' THEN coalesce("startedAt", now()) ELSE "startedAt" END,
       "finishedAt" = CASE WHEN $2 IN ('completed', 'failed', 'cancelled') THEN now() ELSE "finishedAt" END
     WHERE id = $1`,
    [runId, status, error],
  );
}

/**
 * Ends a run that is still running as completed or failed; a pause or cancel that arrived at the very end wins (the
 * run is left as it is). Returns the run's status afterwards, or null when it no longer exists.
 */
export async function endRunningRun(db: Database, runId: string, status: "completed" | "failed", error: string | null = null): Promise<string | null> {
  if (status === "failed")
    await db.sql.query(`UPDATE "Run" SET status = 'failed', error = $2, "finishedAt" = now() WHERE id = $1 AND status = 'running'`, [runId, error]);
  else await db.sql.query(`UPDATE "Run" SET status = 'completed', "finishedAt" = now() WHERE id = $1 AND status = 'running'`, [runId]);
  return runStatus(db, runId);
}

/** The step is executing (its start is stamped once). */
export async function startStep(db: Database, runId: string, benchmark: string): Promise<void> {
  await db.sql.query(`UPDATE "RunBenchmark" SET status = 'running', "startedAt" = coalesce("startedAt", now()) WHERE "runId" = $1 AND benchmark = $2`, [
    runId,
    benchmark,
  ]);
}

/** A step whose data was missing when the run was created: failed with the reason, the other steps run. */
export async function markStepUnavailable(db: Database, runId: string, benchmark: string, reason: string): Promise<void> {
  await db.sql.query(`UPDATE "RunBenchmark" SET status = 'failed', reason = $3, "finishedAt" = now() WHERE "runId" = $1 AND benchmark = $2`, [
    runId,
    benchmark,
    reason,
  ]);
}

/** A step the endpoint cannot execute: unsupported with the reason, never run another way. */
export async function markStepUnsupported(db: Database, runId: string, benchmark: string, reason: string): Promise<void> {
  await db.sql.query(`UPDATE "RunBenchmark" SET status = 'unsupported', reason = $3, "finishedAt" = now() WHERE "runId" = $1 AND benchmark = $2`, [
    runId,
    benchmark,
    reason,
  ]);
}

/** A step that stopped on an error no retry fixes: the step and the run fail with the message. */
export async function failStep(db: Database, runId: string, benchmark: string, message: string): Promise<void> {
  await db.sql.query(`UPDATE "RunBenchmark" SET status = 'failed', reason = $3 WHERE "runId" = $1 AND benchmark = $2`, [runId, benchmark, message]);
  await setRunStatus(db, runId, "failed", message);
}

/** The step completed; its reason counts its failed items (to retry), else is the step's note, if any. */
export async function completeStep(db: Database, runId: string, benchmark: string, note: string | null): Promise<void> {
  await db.sql.query(
    `UPDATE "RunBenchmark" SET status = 'completed', "finishedAt" = now(),
       reason = coalesce((SELECT CASE WHEN count(*) > 0 THEN count(*) || ' item(s) failed: retry them from the run page' END
                 FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'failed'), $3)
     WHERE "runId" = $1 AND benchmark = $2`,
    [runId, benchmark, note],
  );
}

/** Steps that did not complete, with their status and reason, by benchmark. */
export async function unfinishedSteps(db: Database, runId: string): Promise<{ benchmark: string; status: string; reason: string | null }[]> {
  const { rows } = await db.sql.query<{ benchmark: string; status: string; reason: string | null }>(
    `SELECT benchmark, status::text AS status, reason FROM "RunBenchmark" WHERE "runId" = $1 AND status <> 'completed' ORDER BY benchmark`,
    [runId],
  );
  return rows;
}

/** Puts the run's failed items back to pending, and their completed or failed steps with them; returns how many. */
export async function resetFailedItems(db: Database, runId: string): Promise<number> {
  const { rows } = await db.sql.query(
    `UPDATE "Item" SET status = 'pending', error = NULL, "errorKind" = NULL, attempts = 0 WHERE "runId" = $1 AND status = 'failed' RETURNING id`,
    [runId],
  );
  await db.sql.query(
    `UPDATE "RunBenchmark" SET status = 'pending', "finishedAt" = NULL WHERE "runId" = $1 AND status IN ('completed', 'failed')
       AND benchmark IN (SELECT DISTINCT benchmark FROM "Item" WHERE "runId" = $1 AND status = 'pending')`,
    [runId],
  );
  return rows.length;
}

/**
 * Replaces the step's lines of the run's notes (lines starting with "<benchmark>: "), so that a re-aggregation after
 * "retry failed items" does not repeat them. No lines: the notes are left as they are.
 */
export async function replaceStepNotes(db: Database, runId: string, benchmark: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const { rows: run } = await db.sql.query<{ notes: string }>(`SELECT notes FROM "Run" WHERE id = $1`, [runId]);
  const earlier = (run[0]?.notes ?? "").split("\n").filter((l) => l !== "" && !l.startsWith(`${benchmark}: `));
  await db.sql.query(`UPDATE "Run" SET notes = $2 WHERE id = $1`, [runId, [...earlier, ...lines].join("\n")]);
}

/** Up to `limit` pending items of a step after item id `afterId`, in id order. */
export async function pendingItems(db: Database, runId: string, benchmark: string, afterId: number, limit: number): Promise<PendingItem[]> {
  const { rows } = await db.sql.query<PendingItem>(
    `SELECT id, "itemKey", prompt, "sampleIndex", data FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'pending' AND id > $3 ORDER BY id LIMIT $4`,
    [runId, benchmark, afterId, limit],
  );
  return rows;
}

/** Stores intermediate data on an item that is still pending (e.g. continuations before they are scored). */
export async function saveItemProgress(db: Database, itemId: number, data: unknown): Promise<void> {
  await db.sql.query(`UPDATE "Item" SET data = $2::jsonb WHERE id = $1 AND status = 'pending'`, [itemId, JSON.stringify(data)]);
}

/** The step's completed items in a stable (item key in code-point order, sample index) order, for its aggregates. */
export async function doneItems(db: Database, runId: string, benchmark: string): Promise<DoneItem[]> {
  const { rows } = await db.sql.query<DoneItem>(
    `SELECT "itemKey", "sampleIndex", data, scores FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'done'
     ORDER BY "itemKey" COLLATE "C", "sampleIndex"`,
    [runId, benchmark],
  );
  return rows;
}

/** A completed item's identity and per-item metric values, as the paged aggregation reads them. */
export interface ScoredItem {
  id: number;
  itemKey: string;
  sampleIndex: number;
  scores: Record<string, number | null> | null;
}

/**
 * The step's completed items with their scores, page by page in id order (keyset on id: each page is one index
 * range, whatever the run's size), so that no caller holds every item of a large run at once.
 */
export async function* doneScorePages(db: Database, runId: string, benchmark: string, pageSize = 5000): AsyncGenerator<ScoredItem[]> {
  let afterId = 0;
  for (;;) {
    const { rows } = await db.sql.query<ScoredItem>(
      `SELECT id, "itemKey", "sampleIndex", scores FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'done' AND id > $3 ORDER BY id LIMIT $4`,
      [runId, benchmark, afterId, pageSize],
    );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    afterId = rows[rows.length - 1].id;
  }
}

/** How many of the step's items completed. */
export async function countStepDone(db: Database, runId: string, benchmark: string): Promise<number> {
  const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'done'`, [
    runId,
    benchmark,
  ]);
  return rows[0]?.n ?? 0;
}

/** How many of the run's items completed. */
export async function countDoneItems(db: Database, runId: string): Promise<number> {
  const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" WHERE "runId" = $1 AND status = 'done'`, [runId]);
  return rows[0]?.n ?? 0;
}

/** The step's items refused because their echoed tokens could not be aligned to the text: how many, and one error. */
export async function unalignedItems(db: Database, runId: string, benchmark: string): Promise<{ n: number; error: string | null }> {
  const { rows } = await db.sql.query<{ n: number; error: string | null }>(
    `SELECT count(*)::int AS n, min(error) AS error FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'failed' AND "errorKind" = 'unaligned'`,
    [runId, benchmark],
  );
  return rows[0] ?? { n: 0, error: null };
}
