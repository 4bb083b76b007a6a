// `lineage worker` (npm run worker): executes queued runs until stopped. With DATABASE_URL, start as many as you
// like, on any machine that reaches the database; with the embedded database only one process may open it.
import { startWorker } from "@/lib/runs/worker";
import { workerJobsFromEnv } from "@/lib/runs/queue";
import { intOption } from "./args";
import { withDatabase } from "./database";
import { UsageError } from "./io";
import type { Action } from "./program";

export const workerAction: Action = async (opts, _args, io) => {
  let jobs = intOption(opts.jobs, "jobs", 1);
  if (jobs === undefined) {
    try {
      jobs = workerJobsFromEnv();
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return withDatabase(async (db) => {
    const worker = await startWorker(db, { jobs, log: (l) => io.stderr.write(`[worker] ${l}\n`) });
    io.stderr.write(`[worker] ${worker.id} waiting for runs on the ${db.mode} database (${db.location}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await worker.stop();
    return 0;
  });
};
