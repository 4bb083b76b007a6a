import { CLI_ACTOR, tryRecordAudit, type AuditEntry } from "@/lib/audit/log";
import { getDatabase, closeDatabase, type Database } from "@/lib/db/client";
import { EnvironmentError, UsageError } from "./io";

/** Opens the database of the environment for a command: DATABASE_URL, else the embedded one (refused, with the
 * reason, while another process holds it). A command that only runs SQL passes `prisma: false` (a faster start). */
export async function withDatabase<T>(fn: (db: Database) => Promise<T>, opts: { prisma?: boolean } = {}): Promise<T> {
  let db: Database;
  try {
    db = await getDatabase(opts);
  } catch (err) {
    throw new EnvironmentError((err as Error).message);
  }
  try {
    return await fn(db);
  } finally {
    await closeDatabase();
  }
}

/** Records what a command changed in the audit log, as "cli" (lib/audit/log.ts). */
export function cliAudit(db: Database, entry: AuditEntry): Promise<void> {
  return tryRecordAudit(async () => db, CLI_ACTOR, entry);
}

export { EnvironmentError, UsageError };
