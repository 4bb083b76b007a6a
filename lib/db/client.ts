// The one way to reach the database. Embedded (PGlite in LINEAGE_HOME/db, migrations applied at open) unless
// DATABASE_URL names a PostgreSQL, which must already be migrated (`npx prisma migrate deploy`).
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseMode, ensurePrivateDir, lineageHome, migrationsDir, redactedDatabaseUrl, type DatabaseMode } from "./config";
import { checkTables, damagedMessage, DatabaseDamagedError, diagnoseOpenFailure } from "./damage";
import { acquireEmbeddedLock } from "./embedded-lock";
import { applyMigrations, migrationState, readMigrations, type MigrationState, type SqlExecutor } from "./migrate";
import { errorOfKind } from "@/lib/errors";

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  mode: DatabaseMode;
  /** Folder of the embedded database, or the redacted PostgreSQL URL. */
  location: string;
  /** Raw SQL on the same database, for bulk writes, the queue, the migrator and the health route. */
  sql: SqlExecutor;
  /** Runs fn in one transaction on one connection. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Embedded only: writes a consistent copy of the database folder to `to` (a new folder) while it is open. */
  backupTo?(to: string): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseNotMigratedError extends errorOfKind("environment") {}

export interface OpenOptions {
  /** read a row of every table at open (embedded; default true) */
  checkTables?: boolean;
  /**
   * false: a command that only runs SQL (db.sql) does not load the Prisma client (~0.1–0.2 s of a CLI start, more on
   * a busy machine); `prisma` then throws. Default true.
   */
  prisma?: boolean;
}

/** What `prisma` is on a database opened with `prisma: false`: using it is a programming error, said plainly. */
function withoutPrisma(): PrismaClient {
  return new Proxy({} as PrismaClient, {
    get(_t, key) {
      throw new Error(`the database was opened without Prisma (prisma: false) but db.prisma.${String(key)} was used`);
    },
  });
}

async function openEmbedded(home: string, opts: OpenOptions = {}): Promise<Database> {
  const dataDir = path.join(home, "db");
  ensurePrivateDir(home);
  ensurePrivateDir(dataDir);
  const release = acquireEmbeddedLock(dataDir);
  try {
    // The Prisma client loads on this thread while PGlite opens on its own (~0.1 s hidden in the ~0.3 s open).
    const prismaModule = opts.prisma === false ? null : loadPrisma();
    const { EmbeddedThread } = await import("./embedded-thread");
    let pglite: Awaited<ReturnType<typeof EmbeddedThread.open>>;
    try {
      pglite = await EmbeddedThread.open(dataDir);
    } catch (err) {
      throw diagnoseOpenFailure(dataDir, err) ?? err;
    }
    const sql: SqlExecutor = {
      query: async (q, params) => ({ rows: (await pglite.query(q, params)).rows as never[] }),
      exec: (q) => pglite.exec(q),
    };
    try {
      await applyMigrations(sql, readMigrations(migrationsDir()), dataDir);
      // A missing or corrupt table file opens fine and fails the first page that reads it: read a row of each now.
      const broken = opts.checkTables === false ? [] : (await checkTables(sql, false)).filter((t) => t.error);
      if (broken.length) throw new DatabaseDamagedError(damagedMessage(dataDir, broken.map((t) => `table ${t.table}: ${t.error}`).join("; ")));
    } catch (err) {
      await pglite.close().catch(() => undefined);
      throw err;
    }
    let prisma: PrismaClient | null = null;
    if (prismaModule) {
      const { PrismaClient, PrismaPGlite } = await prismaModule;
      prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite.asPGlite()) });
    }
    return {
      prisma: prisma ?? withoutPrisma(),
      mode: "embedded",
      location: dataDir,
      sql,
      transaction: (fn) =>
        pglite.transaction((tx) => fn({ query: async (q, params) => ({ rows: (await tx.query(q, params)).rows as never[] }), exec: (q) => tx.exec(q) })),
      backupTo: (to) => pglite.backup(to),
      close: async () => {
        await prisma?.$disconnect();
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

async function loadPrisma() {
  const [{ PrismaClient }, { PrismaPGlite }] = await Promise.all([import("@/lib/generated/prisma/client"), import("pglite-prisma-adapter")]);
  return { PrismaClient, PrismaPGlite };
}

async function openPostgres(url: string): Promise<Database> {
  const { PrismaClient } = await import("@/lib/generated/prisma/client");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.LINEAGE_DB_POOL ?? 10) });
  const sql: SqlExecutor = {
    query: async (q, params) => ({ rows: (await pool.query(q, params as unknown[])).rows }),
    exec: (q) => pool.query(q),
  };
  const where = redactedDatabaseUrl(url);
  const state = await migrationState(sql, readMigrations(migrationsDir())).catch(async (err) => {
    await pool.end();
    throw new DatabaseNotMigratedError(`Cannot reach the PostgreSQL at ${where}: ${(err as Error).message}`);
  });
  const problem = describeMigrationProblem(state);
  if (problem) {
    await pool.end();
    throw new DatabaseNotMigratedError(`The PostgreSQL at ${where} ${problem}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    mode: "postgres",
    location: where,
    sql,
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: SqlExecutor = { query: async (q, params) => ({ rows: (await client.query(q, params as unknown[])).rows }), exec: (q) => client.query(q) };
        const out = await fn(tx);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

export function describeMigrationProblem(state: MigrationState): string | null {
  if (state.unknown.length) return `was migrated by a newer version of Lineage (${state.unknown.join(", ")}); upgrade Lineage.`;
  if (state.failed.length) return `has a failed migration (${state.failed.join(", ")}); see \`npx prisma migrate status\`.`;
  if (state.pending.length) return `is missing migrations (${state.pending.join(", ")}); apply them with \`npx prisma migrate deploy\`.`;
  return null;
}

const globalForDb = globalThis as unknown as { __lineageDb?: Promise<Database> };

/** Opens a database: PostgreSQL when a URL is given, else the embedded one under `home`. */
export function openDatabase(opts: { url?: string; home?: string } & OpenOptions = {}): Promise<Database> {
  return opts.url ? openPostgres(opts.url) : openEmbedded(opts.home ?? lineageHome(), opts);
}

/**
 * Opens the database of this process's environment, once per process. `prisma: false` (a command that only runs
 * SQL, opening first) applies to the embedded database; PostgreSQL's client is light and always has Prisma.
 */
export function getDatabase(opts: Pick<OpenOptions, "prisma"> = {}): Promise<Database> {
  if (!globalForDb.__lineageDb) {
    const url = databaseMode() === "postgres" ? process.env.DATABASE_URL : undefined;
    globalForDb.__lineageDb = openDatabase({ url, prisma: opts.prisma }).catch((err) => {
      globalForDb.__lineageDb = undefined;
      throw err;
    });
  }
  return globalForDb.__lineageDb;
}

export async function closeDatabase(): Promise<void> {
  const db = globalForDb.__lineageDb;
  globalForDb.__lineageDb = undefined;
  if (db) await (await db).close();
}

export async function currentMigrationState(): Promise<MigrationState> {
  const db = await getDatabase();
  return migrationState(db.sql, readMigrations(migrationsDir()));
}
