import { getDatabase } from "@/lib/db/client";

/** Opens the database at server start; on failure prints the reason and exits, as a refused start should. */
export async function startServerServices(): Promise<void> {
  // `next build` loads instrumentation too; only a running server opens the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  try {
    const db = await getDatabase();
    console.log(`[lineage] database: ${db.mode} (${db.location})`);
  } catch (err) {
    console.error(`[lineage] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}
