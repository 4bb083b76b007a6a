import fs from "node:fs";
import path from "node:path";

/** Where Lineage keeps its embedded database, benchmark cache and key file. */
export function lineageHome(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.LINEAGE_HOME || ".lineage");
}

/**
 * Creates a folder readable by this user only (0700), and tightens an existing one we own: the embedded database
 * holds unpublished results and encrypted keys, LINEAGE_HOME the key file that decrypts them. A folder owned by
 * someone else is left alone (the owner chose its mode).
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (typeof process.getuid !== "function") return; // Windows: no POSIX modes
  const st = fs.statSync(dir);
  if (st.uid === process.getuid() && (st.mode & 0o077) !== 0) fs.chmodSync(dir, st.mode & 0o700);
}

export type DatabaseMode = "embedded" | "postgres";

export function databaseMode(): DatabaseMode {
  return process.env.DATABASE_URL ? "postgres" : "embedded";
}

/** The PostgreSQL URL without its password, for logs and the health route. */
export function redactedDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** The migrations folder shipped with the app (the same one `prisma migrate deploy` reads). */
export function migrationsDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.LINEAGE_MIGRATIONS_DIR || path.join(process.cwd(), "prisma", "migrations"));
}
