// `lineage worker` (npm run worker): executes queued runs until stopped. With DATABASE_URL, start as many as you
// like, on any machine that reaches the database; with the embedded database only one process may open it.
import { startWorker } from "@/lib/runs/worker";
import { intOption, parseCommandArgs } from "./args";
import { withDatabase } from "./database";
import type { Command } from "./io";

const USAGE = "usage: lineage worker [--jobs <n>]";

export const workerCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, { jobs: { type: "string" } }, USAGE);
  const jobs = intOption(values.jobs, "jobs", USAGE, 1) ?? 2;
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
