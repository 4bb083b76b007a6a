// The worker: claims run jobs from the queue and executes them. The web process runs one (embedded database or
// not); with DATABASE_URL any number of `npm run worker` processes on any machine share the queue.
import os from "node:os";
import type { Database } from "@/lib/db/client";
import { DATASET_JOB } from "@/lib/inheritance/datasets";
import { executeDataset } from "@/lib/inheritance/executor";
import { diskFullError } from "@/lib/db/damage";
import { ahead } from "@/lib/db/priority";
import { refreshStatistics } from "@/lib/db/statistics";
import { executeRun } from "./executor";
import { claim, enqueue, finish, releaseOrphanedJobs, renewLease, workerJobsFromEnv } from "./queue";
import { RUN_JOB } from "./runs";

export interface WorkerOptions {
  /** Jobs executed at once by this process. */
  jobs?: number;
  pollMs?: number;
  leaseMs?: number;
  log?: (line: string) => void;
  /** Told when a job stops on an error, even when its failure could not be stored (a full disk). */
  onJobError?: (kind: "run" | "dataset", id: string, message: string) => void;
  /** Told when this worker is done with a job, however it ended (so a waiting command need not poll for it). */
  onJobEnd?: (kind: "run" | "dataset", id: string) => void;
}

export interface Worker {
  id: string;
  stop(): Promise<void>;
}

export function leaseMsFromEnv(): number {
  return Number(process.env.LINEAGE_JOB_LEASE_MS ?? 30_000);
}

export async function startWorker(db: Database, opts: WorkerOptions = {}): Promise<Worker> {
  const id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const leaseMs = opts.leaseMs ?? leaseMsFromEnv();
  const pollMs = opts.pollMs ?? 500;
  const slots = opts.jobs ?? workerJobsFromEnv();
  const log = opts.log ?? ((line: string) => console.log(`[lineage worker] ${line}`));
  if (db.mode === "embedded") {
    const n = await releaseOrphanedJobs(db.sql);
    if (n > 0) log(`resuming ${n} job(s) interrupted by the previous stop`);
  }
  const shutdown = new AbortController();
  const running = new Set<Promise<void>>();
  let wake: (() => void) | null = null;

  const runJob = async (job: { id: string; kind: string; payload: Record<string, unknown> }) => {
    // Two kinds share the queue and the lease logic: profiling runs and active-inheritance datasets.
    const isDataset = job.kind === DATASET_JOB;
    const runId = String(isDataset ? job.payload.datasetId : job.payload.runId);
    const label = isDataset ? "dataset" : "run";
    const table = isDataset ? "Dataset" : "Run";
    const lost = new AbortController();
    const onShutdown = () => lost.abort();
    shutdown.signal.addEventListener("abort", onShutdown);
    const renew = setInterval(
      async () => {
        try {
          if (!(await renewLease(db.sql, job.id, id, leaseMs))) lost.abort();
        } catch {
          /* a transient database error: the lease is long enough for the next try */
        }
      },
      Math.max(1000, leaseMs / 3),
    );
    try {
      log(`${label} ${runId}: started`);
      // Its items were just added (and it ends with them completed): the embedded database's plans need to know.
      await refreshStatistics(db).catch(() => undefined);
      const outcome = isDataset ? await executeDataset(db, runId, { signal: lost.signal }) : await executeRun(db, runId, { signal: lost.signal });
      log(`${label} ${runId}: ${outcome}`);
      await refreshStatistics(db).catch(() => undefined);
      // On shutdown the job stays active; its lease runs out (or, embedded, it is released at the next start).
      if (!shutdown.signal.aborted && (await finish(db.sql, job.id, id))) {
        // A resume or retry that arrived while this job was still active could not queue a new job (one open job
        // per key): the executor stopped on the status change, so queue the follow-up now.
        const { rows } = await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM "${table}" WHERE id = $1`, [runId]);
        if (rows[0]?.status === "queued") await enqueue(db.sql, job.kind, job.payload, runId);
      }
    } catch (err) {
      const message = (diskFullError(err, db.location) ?? (err as Error)).message;
      log(`${label} ${runId}: error ${message}`);
      opts.onJobError?.(isDataset ? "dataset" : "run", runId, message);
      // Only the worker that still holds the job may mark the run failed (another may have taken it over).
      if (await finish(db.sql, job.id, id, message).catch(() => false)) {
        await db.sql
          .query(`UPDATE "${table}" SET status = 'failed', error = $2, "finishedAt" = now() WHERE id = $1 AND status = 'running'`, [runId, message])
          .catch(() => undefined);
      }
    } finally {
      clearInterval(renew);
      shutdown.signal.removeEventListener("abort", onShutdown);
      opts.onJobEnd?.(isDataset ? "dataset" : "run", runId);
    }
  };

  // One listener for the worker's life (not one per idle poll).
  shutdown.signal.addEventListener("abort", () => wake?.(), { once: true });
  // Everything a job does (its answer writes above all) goes ahead of the dashboard's page reads (lib/db/priority.ts).
  const loop = ahead(async () => {
    while (!shutdown.signal.aborted) {
      if (running.size < slots) {
        let job = null;
        try {
          job = await claim(db.sql, id, leaseMs, [RUN_JOB, DATASET_JOB]);
        } catch (err) {
          log(`queue unavailable: ${(err as Error).message}`);
        }
        if (job) {
          const p = runJob(job).finally(() => {
            running.delete(p);
            wake?.();
          });
          running.add(p);
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  });

  return {
    id,
    stop: async () => {
      shutdown.abort();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}
