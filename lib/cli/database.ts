import { CLI_ACTOR, tryRecordAudit, type AuditEntry } from "@/lib/audit/log";
import { getDatabase, closeDatabase, type Database } from "@/lib/db/client";
import { EnvironmentError, UsageError } from "./io";

/** Opens the database of the environment for a command: DATABASE_URL, else the embedded one (refused, with the
 * reason, while another process holds it). */
export async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  let db: Database;
  try {
    db = await getDatabase();
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
