import path from "node:path";

/** Where Lineage keeps its embedded database, benchmark cache and key file. */
export function lineageHome(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.LINEAGE_HOME || ".lineage");
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
