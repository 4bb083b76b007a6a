// `lineage db check` and `lineage db backup <folder>`.
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/lib/db/client";
import { databaseMode, lineageHome } from "@/lib/db/config";
import { checkTables, damagedMessage, DatabaseDamagedError, missingEssentials } from "@/lib/db/damage";
import { backupTarget } from "@/lib/db/backup";
import { askDashboard, dashboardHoldingDatabase, dashboardRefusal } from "./dashboard";
import { acquireEmbeddedLock, DatabaseLockedError, lockHolder } from "@/lib/db/embedded-lock";
import { EnvironmentError, UsageError } from "./io";
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
  const home = lineageHome();
  const dataDir = path.join(home, "db");
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) throw new UsageError(`no embedded database in ${dataDir}`);
  const dest = path.resolve(args[0]);
  let target: string;
  try {
    target = backupTarget(dest);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let release: (() => void) | null = null;
  try {
    release = acquireEmbeddedLock(dataDir);
  } catch (err) {
    if (!(err instanceof DatabaseLockedError)) throw err;
  }
  let how: string;
  if (release) {
    // Holding the lock means no process has the database open, so the files on disk are the whole database.
    try {
      fs.mkdirSync(dest, { recursive: true, mode: 0o700 });
      fs.cpSync(dataDir, target, { recursive: true });
    } finally {
      release();
    }
    how = "copied the embedded database";
  } else {
    await backupThroughDashboard(home, dataDir, dest);
    how = "the running dashboard wrote a consistent copy of the embedded database";
  }
  io.stdout.write(
    `${how} to ${target}; restore by putting it back as LINEAGE_HOME/db. The key that decrypts stored API keys (LINEAGE_HOME/secret.key or LINEAGE_SECRET_KEY_FILE) is not in the copy: back it up separately.\n`,
  );
  return 0;
};

/** Asks the dashboard that holds the database to write the copy (lib/db/backup.ts). */
async function backupThroughDashboard(home: string, dataDir: string, dest: string): Promise<void> {
  const dashboard = dashboardHoldingDatabase(home);
  if (!dashboard) {
    const holder = lockHolder(dataDir);
    throw new EnvironmentError(
      `the embedded database at ${dataDir} is open in process ${holder?.pid ?? "?"} (${holder?.command || "lineage"}), which is not a dashboard: ` +
        "stop it and run the backup again, or run the backup while the dashboard has the database",
    );
  }
  const res = await askDashboard(home, dashboard, "/api/admin/backup", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ dest }),
  });
  if (!res.ok) throw new EnvironmentError(`the dashboard at ${dashboard.url} could not write the backup: ${await dashboardRefusal(res)}`);
}
