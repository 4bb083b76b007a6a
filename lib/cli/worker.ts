// `lineage worker` (npm run worker): executes queued runs until stopped. With DATABASE_URL, start as many as you
// like, on any machine that reaches the database; with the embedded database only one process may open it.
import { startWorker } from "@/lib/runs/worker";
import { parseCommandArgs } from "./args";
import { withDatabase } from "./database";
import type { Command } from "./io";

const USAGE = "usage: lineage worker [--jobs <n>]";

export const workerCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, { jobs: { type: "string" } }, USAGE);
  return withDatabase(async (db) => {
    const worker = await startWorker(db, { jobs: values.jobs ? Math.max(1, Number(values.jobs)) : 2, log: (l) => io.stderr.write(`[worker] ${l}\n`) });
    io.stderr.write(`[worker] ${worker.id} waiting for runs on the ${db.mode} database (${db.location}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await worker.stop();
    return 0;
  });
};
