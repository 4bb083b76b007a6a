import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { migrationsDir } from "@/lib/db/config";
import { DatabaseLockedError } from "@/lib/db/embedded-lock";
import { DatabaseNewerError, applyMigrations, migrationState, readMigrations } from "@/lib/db/migrate";
import { createDatabase } from "../support/pg-cluster";

const files = readMigrations(migrationsDir());
const pgUrl = inject("pgUrl");

describe("embedded database", () => {
  it("creates the folder, applies every migration and records it like Prisma", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-mig-"));
    const db = await openDatabase({ home });
    const state = await migrationState(db.sql, files);
    expect(state).toEqual({ applied: files.map((f) => f.name), pending: [], unknown: [], failed: [] });
    const rows = (
      await db.sql.query<{ checksum: string; applied_steps_count: number }>(
        `SELECT checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      )
    ).rows;
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    await db.close();
    // Reopening applies nothing again and keeps data.
    const again = await openDatabase({ home });
    expect((await migrationState(again.sql, files)).pending).toEqual([]);
    await again.close();
  });

  it("refuses a second opener while the first holds the folder, and takes over a stale lock", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-lock-"));
    const db = await openDatabase({ home });
    // Simulate another live process holding the lock: PID 1 always exists.
    const lockFile = path.join(home, "db.lock");
    const mine = fs.readFileSync(lockFile, "utf8");
    fs.writeFileSync(lockFile, JSON.stringify({ ...JSON.parse(mine), pid: 1, command: "next start" }));
    await expect(openDatabase({ home })).rejects.toThrow(DatabaseLockedError);
    await expect(openDatabase({ home })).rejects.toThrow(/in use by process 1 \(next start/);
    fs.writeFileSync(lockFile, mine);
    await db.close();
    expect(fs.existsSync(lockFile)).toBe(false);
    // A lock left by a killed process (a PID that no longer runs) is stale.
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: "x", command: "x" }));
    const reopened = await openDatabase({ home });
    await reopened.close();
  });

  it("refuses a database folder from a newer schema", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-newer-"));
    const db = await openDatabase({ home });
    await db.sql.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'y', '29991231000000_future', now(), 1)`,
    );
    await db.close();
    await expect(openDatabase({ home })).rejects.toThrow(DatabaseNewerError);
    await expect(openDatabase({ home })).rejects.toThrow(/newer version of Lineage.*29991231000000_future/);
  });
});

describe.skipIf(!pgUrl)(`PostgreSQL ${pgUrl ? "" : "(skipped: " + inject("pgSkipReason") + ")"}`, () => {
  it("our migrator and `prisma migrate status` agree", async (ctx) => {
    const url = await createDatabase(pgUrl!, `lineage_status_${process.pid}`);
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const sql = { query: (q: string, p?: unknown[]) => client.query(q, p) as never, exec: (q: string) => client.query(q) };
    expect(await applyMigrations(sql, files, "test")).toEqual(files.map((f) => f.name));
    await client.end();
    let out: string;
    try {
      out = execFileSync("npx", ["prisma", "migrate", "status"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", stdio: "pipe" });
    } catch (err) {
      const text = `${(err as { stdout?: string }).stdout ?? ""}${(err as { stderr?: string }).stderr ?? ""}`;
      // Offline, the Prisma CLI cannot fetch its native schema engine; only the environment can point it at one.
      const offline = /binaries\.prisma\.sh|ENOTFOUND|EAI_AGAIN/.test(text) && !process.env.PRISMA_SCHEMA_ENGINE_BINARY;
      if (offline) {
        const why = "skipped: the Prisma CLI cannot download its schema engine here and PRISMA_SCHEMA_ENGINE_BINARY is not set";
        console.warn(`[migrations.test] ${why}`);
        ctx.skip(why);
      }
      throw new Error(`prisma migrate status failed:\n${text}`);
    }
    expect(out).toMatch(/Database schema is up to date/);
  });

  it("refuses to start on a PostgreSQL that is not migrated, naming the command", async () => {
    const url = await createDatabase(pgUrl!, `lineage_empty_${process.pid}`);
    await expect(openDatabase({ url })).rejects.toThrow(/npx prisma migrate deploy/);
  });
});
