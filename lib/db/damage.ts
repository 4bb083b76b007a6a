// A damaged embedded database folder, said as such: PGlite reports a missing pg_control or WAL segment as
// "Aborted(). Build with -sASSERTIONS…", and a missing or corrupt table file only when a page touches it. The folder
// is checked for the files PostgreSQL cannot start without, every table is read at start (one row each), and
// `lineage db check` reads every row of every table.
import fs from "node:fs";
import path from "node:path";
import { errorOfKind } from "@/lib/errors";
import type { SqlExecutor } from "./migrate";

export class DatabaseDamagedError extends errorOfKind("environment") {}

const WAL_SEGMENT = /^[0-9A-F]{24}$/;
const MIN_FREE_BYTES = 32 * 1024 * 1024;

/** Files PostgreSQL cannot start without that are missing from the folder. */
export function missingEssentials(dataDir: string): string[] {
  const missing: string[] = [];
  for (const f of ["PG_VERSION", "global/pg_control", "global/pg_filenode.map"]) if (!fs.existsSync(path.join(dataDir, f))) missing.push(f);
  if (!fs.existsSync(path.join(dataDir, "base"))) missing.push("base/");
  const wal = path.join(dataDir, "pg_wal");
  if (!fs.existsSync(wal) || !fs.readdirSync(wal).some((f) => WAL_SEGMENT.test(f))) missing.push("pg_wal/ (no WAL segment)");
  return missing;
}

export function damagedMessage(dataDir: string, what: string): string {
  return (
    `The embedded database in ${dataDir} is damaged: ${what}. Lineage cannot use it. Restore LINEAGE_HOME from a backup ` +
    "(README, Backups), or move the folder aside to start with an empty database; `lineage db check` reads every table of a folder to say what is lost."
  );
}

/** Why PGlite could not open the folder, as a message a user can act on (or null when the folder looks whole). */
export function diagnoseOpenFailure(dataDir: string, err: unknown): DatabaseDamagedError | DiskFullError | null {
  // PostgreSQL needs room for a WAL segment to start: a nearly full disk fails the open with no useful message.
  try {
    const st = fs.statfsSync(dataDir);
    if (st.bavail * st.bsize < MIN_FREE_BYTES) return diskFullError(new Error("No space left on device"), dataDir);
  } catch {
    /* no statfs here: go on with the other checks */
  }
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) return null; // a new folder: not a damage
  const missing = missingEssentials(dataDir);
  if (missing.length) return new DatabaseDamagedError(damagedMessage(dataDir, `missing ${missing.join(", ")}`), { cause: err });
  if (/Aborted\(\)|RuntimeError|unreachable|invalid checkpoint|could not (open|read) file/i.test(String((err as Error)?.message ?? err)))
    return new DatabaseDamagedError(damagedMessage(dataDir, `PostgreSQL could not start on it (${String((err as Error)?.message ?? err).split("\n")[0]})`), {
      cause: err,
    });
  return null;
}

export interface TableCheck {
  table: string;
  rows: number | null;
  error: string | null;
}

/** Reads every table of the public schema: one row each (`full: false`, at start) or every row (`lineage db check`). */
export async function checkTables(sql: SqlExecutor, full: boolean): Promise<TableCheck[]> {
  const { rows: tables } = await sql.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  if (!full && tables.length) {
    // At every start: one statement reading a row of each table; only when it fails, one per table to say which.
    try {
      await sql.query(`SELECT ${tables.map((t, i) => `(SELECT 1 FROM ${quote(t.name)} LIMIT 1) AS t${i}`).join(", ")}`);
      return tables.map((t) => ({ table: t.name, rows: null, error: null }));
    } catch {
      /* find the damaged ones below */
    }
  }
  const out: TableCheck[] = [];
  for (const { name } of tables) {
    const quoted = quote(name);
    try {
      if (full) {
        const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoted}`);
        out.push({ table: name, rows: rows[0]?.n ?? 0, error: null });
      } else {
        await sql.query(`SELECT 1 FROM ${quoted} LIMIT 1`);
        out.push({ table: name, rows: null, error: null });
      }
    } catch (err) {
      out.push({ table: name, rows: null, error: String((err as Error).message ?? err).split("\n")[0] });
    }
  }
  return out;
}

export class DiskFullError extends errorOfKind("environment") {}

/** The disk under the database is full: said with where, and what to do, instead of PostgreSQL's file name. */
export function diskFullError(err: unknown, where: string): DiskFullError | null {
  const text = String((err as Error)?.message ?? err);
  if (!/No space left on device|ENOSPC|could not extend file/i.test(text) && (err as { code?: string })?.code !== "ENOSPC") return null;
  return new DiskFullError(
    `no space left on device in ${where}: free some space (the embedded database needs room for a 16 MB WAL segment), then resume — completed items are kept`,
    { cause: err },
  );
}
