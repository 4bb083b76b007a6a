// The job queue lives in the same database (table "Job"): any number of workers claim jobs with
// FOR UPDATE SKIP LOCKED and hold a lease they renew; a job whose lease ran out (its worker was killed) is claimed
// again. Works the same on PGlite (one process) and PostgreSQL (many processes, many machines).
import type { SqlExecutor } from "@/lib/db/migrate";

export interface Job {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Adds a job unless an equal one (same kind and key) is already queued or active. A partial unique index
 * ("Job_open_key") makes this hold under concurrent callers too, so a run never has two jobs at once. */
export async function enqueue(sql: SqlExecutor, kind: string, payload: Record<string, unknown>, key: string): Promise<void> {
  await sql.query(
    `INSERT INTO "Job" (id, kind, payload, status, "runAfter", attempts, "createdAt", "updatedAt")
     VALUES (gen_random_uuid()::text, $1, $2::jsonb, 'queued', now(), 0, now(), now())
     ON CONFLICT (kind, (payload->>'key')) WHERE status IN ('queued', 'active') DO NOTHING`,
    [kind, JSON.stringify({ ...payload, key })],
  );
}

export async function claim(sql: SqlExecutor, workerId: string, leaseMs: number, kinds: string[]): Promise<Job | null> {
  const { rows } = await sql.query<Job>(
    `UPDATE "Job" SET status = 'active', "lockedBy" = $1, "lockedUntil" = now() + ($2::int * interval '1 millisecond'),
       attempts = attempts + 1, "updatedAt" = now()
     WHERE id = (
       SELECT id FROM "Job"
       WHERE kind = ANY($3::text[]) AND ((status = 'queued' AND "runAfter" <= now()) OR (status = 'active' AND "lockedUntil" < now()))
       ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, payload, attempts`,
    [workerId, leaseMs, kinds],
  );
  return rows[0] ?? null;
}

/** Extends the lease; false when the job is no longer ours (another worker took it over). */
export async function renewLease(sql: SqlExecutor, jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE "Job" SET "lockedUntil" = now() + ($3::int * interval '1 millisecond'), "updatedAt" = now()
     WHERE id = $1 AND "lockedBy" = $2 AND status = 'active' RETURNING id`,
    [jobId, workerId, leaseMs],
  );
  return rows.length > 0;
}

/** Ends a job this worker still holds; false when it was taken over (its lease ran out). */
export async function finish(sql: SqlExecutor, jobId: string, workerId: string, error?: string): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE "Job" SET status = $3, error = $4, "lockedUntil" = NULL, "updatedAt" = now()
     WHERE id = $1 AND "lockedBy" = $2 AND status = 'active' RETURNING id`,
    [jobId, workerId, error ? "failed" : "completed", error ?? null],
  );
  return rows.length > 0;
}

/** With the embedded database only this process can run jobs: any job left active was orphaned by a crash. */
export async function releaseOrphanedJobs(sql: SqlExecutor): Promise<number> {
  const { rows } = await sql.query(
    `UPDATE "Job" SET status = 'queued', "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now() WHERE status = 'active' RETURNING id`,
  );
  return rows.length;
}

/** Where the queued job of a run or dataset (its key) stands: jobs claimed before it, and jobs executing now. */
export async function queuePosition(sql: SqlExecutor, key: string): Promise<{ ahead: number; active: number } | null> {
  const { rows } = await sql.query<{ ahead: number; active: number }>(
    `WITH mine AS (SELECT "createdAt" FROM "Job" WHERE status = 'queued' AND payload->>'key' = $1 LIMIT 1)
     SELECT (SELECT count(*)::int FROM "Job" j, mine WHERE j.status = 'queued' AND j."createdAt" < mine."createdAt") AS ahead,
            (SELECT count(*)::int FROM "Job" WHERE status = 'active') AS active
     FROM mine`,
    [key],
  );
  return rows[0] ?? null;
}

/** Jobs (runs, datasets) one worker executes at once: LINEAGE_WORKER_JOBS, default 2. */
export function workerJobsFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.LINEAGE_WORKER_JOBS;
  const n = raw === undefined || raw.trim() === "" ? 2 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`LINEAGE_WORKER_JOBS must be a whole number from 1 to 64 (got "${raw}")`);
  return n;
}
