// PGlite runs no autovacuum, so the embedded database's planner statistics stay those of its first, empty tables:
// the planner then expects one item per run and picks plans that sort (or loop over) every item of a run of
// thousands — the run page's items in id order, the compare histogram. PostgreSQL's autovacuum keeps them fresh.
import type { Database } from "./client";

/** Refreshes the embedded database's planner statistics (ANALYZE samples each table: well under a second). */
export async function refreshStatistics(db: Database): Promise<void> {
  if (db.mode === "embedded") await db.sql.exec("ANALYZE");
}
