// PGlite runs no autovacuum, so the embedded database's planner statistics stay those of its first, empty tables:
// the planner then expects one item per run and picks plans that sort (or loop over) every item of a run of
// thousands — the run page's items in id order, the compare histogram. PostgreSQL's autovacuum keeps them fresh.
import type { Database } from "./client";

/**
 * Refreshes the embedded database's planner statistics where they are stale, as autovacuum would: a table is
 * analyzed when it has grown by more than a tenth (and a page) since its last ANALYZE. Its size on disk is the
 * measure (the activity counters stay at zero in PGlite's single-user backend); an ANALYZE of every table costs
 * ~0.3 s even when nothing changed, twice per run. Returns the tables analyzed.
 */
export async function refreshStatistics(db: Database): Promise<string[]> {
  if (db.mode !== "embedded") return [];
  const { rows } = await db.sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
        AND pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.1 + 1`,
  );
  for (const { name } of rows) await db.sql.exec(`ANALYZE "${name.replaceAll('"', '""')}"`);
  return rows.map((r) => r.name);
}
