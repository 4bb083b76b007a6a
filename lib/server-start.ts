import { getDatabase } from "@/lib/db/client";
import { codeVersion } from "@/lib/runs/version";

/** Opens the database at server start (on failure prints the reason and exits, as a refused start should) and
 * starts the in-process worker unless LINEAGE_WORKER=off. */
export async function startServerServices(): Promise<void> {
  // `next build` loads instrumentation too; only a running server opens the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  let db: Awaited<ReturnType<typeof getDatabase>>;
  try {
    db = await getDatabase();
    console.log(`[lineage] database: ${db.mode} (${db.location})`);
    // Asks git once now (two child processes, ~0.3 s), not while the first run or dataset is being created.
    codeVersion();
  } catch (err) {
    console.error(`[lineage] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  if (process.env.LINEAGE_WORKER !== "off") {
    const { startWorker } = await import("@/lib/runs/worker");
    const worker = await startWorker(db);
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void worker.stop().finally(() => process.exit(0)));
  }
}
