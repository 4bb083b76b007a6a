// Pause, resume, cancel and retry-failed for anything executed by a queue job (runs and datasets): one state
// machine; the executor notices a status change at its next poll and stops, a resume queues the job again.
import type { Database } from "@/lib/db/client";
import { enqueue } from "./queue";

export const JOB_CONTROLS = ["pause", "resume", "cancel", "retry-failed"] as const;
export type JobControl = (typeof JOB_CONTROLS)[number];

export interface ControlTarget {
  table: "Run" | "Dataset";
  statusType: "RunStatus" | "DatasetStatus";
  id: string;
  /** "run" or "dataset", for messages. */
  noun: string;
  /** Its status when the action was asked for, for messages. */
  status: string;
  jobKind: string;
  jobPayload: Record<string, unknown>;
  /** Puts failed units back to pending; returns how many. */
  resetFailed(): Promise<number>;
  /** "items", "candidates": for the message when there is nothing to retry. */
  failedNoun: string;
  error: (message: string) => Error;
}

export async function applyJobControl(db: Database, t: ControlTarget, action: JobControl): Promise<string> {
  const set = async (status: string, from: string[]) => {
    const { rows } = await db.sql.query(
      `UPDATE "${t.table}" SET status = $2::"${t.statusType}", error = CASE WHEN $2 = 'queued' THEN NULL ELSE error END,
         "finishedAt" = CASE WHEN $2 = 'cancelled' THEN now() ELSE "finishedAt" END
       WHERE id = $1 AND status::text = ANY($3::text[]) RETURNING id`,
      [t.id, status, from],
    );
    if (rows.length === 0) throw t.error(`cannot ${action} a ${t.noun} that is ${t.status}`);
  };
  switch (action) {
    case "pause":
      await set("paused", ["queued", "running"]);
      return "paused";
    case "cancel":
      await set("cancelled", ["queued", "running", "paused", "failed"]);
      return "cancelled";
    case "resume":
      await set("queued", ["paused", "failed", "queued", "running"]);
      await enqueue(db.sql, t.jobKind, t.jobPayload, t.id);
      return "queued";
    case "retry-failed": {
      const reset = await t.resetFailed();
      if (reset === 0 && t.status === "completed") throw t.error(`this ${t.noun} has no failed ${t.failedNoun}`);
      await set("queued", ["completed", "failed", "paused", "queued", "running", "cancelled"]);
      await enqueue(db.sql, t.jobKind, t.jobPayload, t.id);
      return "queued";
    }
  }
}
