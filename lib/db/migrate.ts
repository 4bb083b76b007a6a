// Applies prisma/migrations to a database the way `prisma migrate deploy` does, recording each migration in
// `_prisma_migrations` with the same checksum (sha256 of migration.sql), so `prisma migrate status` agrees.
// Used for the embedded database, which the Prisma CLI cannot reach in-process.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { errorOfKind } from "@/lib/errors";

/** The minimal SQL surface the migrator needs; PGlite and pg both provide it. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<unknown>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationState {
  applied: string[];
  pending: string[];
  /** Applied in the database but unknown to this version of Lineage: the database is newer than the code. */
  unknown: string[];
  /** Started but never finished (a crash mid-migration, or a failed one). */
  failed: string[];
}

export class DatabaseNewerError extends errorOfKind("environment") {}
export class MigrationFailedError extends errorOfKind("environment") {}

export function readMigrations(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const buf = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: buf.toString("utf8"), checksum: createHash("sha256").update(buf).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface Row {
  migration_name: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

export async function migrationState(db: SqlExecutor, files: MigrationFile[]): Promise<MigrationState> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('public._prisma_migrations')::text AS t`);
  const rows = exists.rows[0]?.t ? (await db.query<Row>(`SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`)).rows : [];
  const live = rows.filter((r) => !r.rolled_back_at);
  const done = new Set(live.filter((r) => r.finished_at).map((r) => r.migration_name));
  const known = new Set(files.map((f) => f.name));
  return {
    applied: files.filter((f) => done.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !done.has(f.name)).map((f) => f.name),
    unknown: [...done].filter((n) => !known.has(n)).sort(),
    failed: live.filter((r) => !r.finished_at).map((r) => r.migration_name),
  };
}

/** Applies every pending migration, each in its own transaction. Refuses a database from a newer schema. */
export async function applyMigrations(db: SqlExecutor, files: MigrationFile[], where: string): Promise<string[]> {
  await db.exec(CREATE_TABLE);
  const state = await migrationState(db, files);
  if (state.unknown.length > 0) {
    throw new DatabaseNewerError(
      `The database at ${where} was created by a newer version of Lineage (it has migration ${state.unknown.join(", ")}, ` +
        `which this version does not know). Upgrade Lineage, or set LINEAGE_HOME to another folder.`,
    );
  }
  if (state.failed.length > 0) {
    throw new MigrationFailedError(
      `A migration did not finish on the database at ${where} (${state.failed.join(", ")}). ` +
        `Restore a backup of that folder, or move it away to start with a new database.`,
    );
  }
  for (const name of state.pending) {
    const file = files.find((f) => f.name === name)!;
    const id = randomUUID();
    await db.exec("BEGIN");
    try {
      await db.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [
        id,
        file.checksum,
        name,
      ]);
      await db.exec(file.sql);
      await db.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      await db.exec("COMMIT");
    } catch (err) {
      await db.exec("ROLLBACK");
      throw new MigrationFailedError(`Migration ${name} failed on ${where}: ${(err as Error).message}`);
    }
  }
  return state.pending;
}
