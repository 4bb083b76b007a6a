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

export { EnvironmentError, UsageError };
