// `lineage db check` and `lineage db backup <folder>`.
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/lib/db/client";
import { databaseMode, lineageHome } from "@/lib/db/config";
import { checkTables, damagedMessage, DatabaseDamagedError, missingEssentials } from "@/lib/db/damage";
import { acquireEmbeddedLock } from "@/lib/db/embedded-lock";
import { UsageError } from "./io";
import type { Action } from "./program";

export const checkDbAction: Action = async (opts, _args, io) => {
  const postgres = databaseMode() === "postgres";
  const dataDir = path.join(lineageHome(), "db");
  if (!postgres) {
    const missing = missingEssentials(dataDir);
    if (fs.existsSync(path.join(dataDir, "PG_VERSION")) && missing.length)
      throw new DatabaseDamagedError(damagedMessage(dataDir, `missing ${missing.join(", ")}`));
  }
  // Opened without the start-up check, so that every table can be read and reported, damaged or not.
  const db = await openDatabase(postgres ? { url: process.env.DATABASE_URL } : { home: lineageHome(), checkTables: false });
  try {
    const tables = await checkTables(db.sql, true);
    const broken = tables.filter((t) => t.error);
    if (opts.json) io.stdout.write(JSON.stringify({ ok: broken.length === 0, tables }) + "\n");
    else {
      for (const t of tables) io.stdout.write(`${t.error ? "DAMAGED" : "ok     "}  ${t.table.padEnd(22)} ${t.error ?? `${t.rows} rows`}\n`);
      io.stdout.write(
        broken.length ? `${broken.length} table(s) cannot be read: restore LINEAGE_HOME from a backup (README, Backups)\n` : "every table reads back whole\n",
      );
    }
    return broken.length ? 1 : 0;
  } finally {
    await db.close();
  }
};

export const backupDbAction: Action = async (_opts, args, io) => {
  if (databaseMode() === "postgres") throw new UsageError("with DATABASE_URL, back up PostgreSQL with pg_dump (or your provider's snapshots)");
  const dataDir = path.join(lineageHome(), "db");
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) throw new UsageError(`no embedded database in ${dataDir}`);
  const dest = path.resolve(args[0]);
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) throw new UsageError(`${dest} exists and is not empty: name a new folder`);
  // Holding the lock means no process has the database open, so the files on disk are the whole database.
  const release = acquireEmbeddedLock(dataDir);
  try {
    fs.mkdirSync(dest, { recursive: true, mode: 0o700 });
    fs.cpSync(dataDir, path.join(dest, "db"), { recursive: true });
  } finally {
    release();
  }
  io.stdout.write(
    `copied the embedded database to ${path.join(dest, "db")}; restore by putting it back as LINEAGE_HOME/db. The key that decrypts stored API keys (LINEAGE_HOME/secret.key or LINEAGE_SECRET_KEY_FILE) is not in the copy: back it up separately.\n`,
  );
  return 0;
};
