// The embedded database on its own thread: what crosses the thread (results, per-type parsers, PGlite's
// DatabaseError, transactions) behaves as PGlite in the same thread did, and a long statement no longer stops the
// main thread.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@electric-sql/pglite";
import { Prisma } from "@/lib/generated/prisma/client";
import { openDatabase, type Database } from "@/lib/db/client";
import { EmbeddedThread } from "@/lib/db/embedded-thread";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "lineage-thread-"));

describe("EmbeddedThread", () => {
  let t: EmbeddedThread;
  beforeAll(async () => {
    t = await EmbeddedThread.open(path.join(tmp(), "db"));
    await t.exec(`CREATE TABLE kv (k text PRIMARY KEY, v int, at timestamptz, doc jsonb)`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("returns rows, fields and affected rows; parses types PGlite's way unless given parsers, which run here", async () => {
    await t.query(`INSERT INTO kv VALUES ($1, $2, $3, $4)`, ["a", 1, new Date("2026-01-02T03:04:05Z"), { x: [1, 2] }]);
    const r = await t.query<{ k: string; v: number; at: Date; doc: unknown }>(`SELECT * FROM kv`);
    expect(r.rows).toEqual([{ k: "a", v: 1, at: new Date("2026-01-02T03:04:05Z"), doc: { x: [1, 2] } }]);
    expect(r.fields.map((f) => f.name)).toEqual(["k", "v", "at", "doc"]);
    const seen: [string, number][] = [];
    const arr = await t.query<unknown[]>(`SELECT k, doc FROM kv`, [], {
      rowMode: "array",
      parsers: { 3802: (text: string, typeId: number) => (seen.push([text, typeId]), `parsed:${text}`) },
    });
    expect(arr.rows).toEqual([["a", `parsed:{"x": [1, 2]}`]]);
    expect(seen).toEqual([[`{"x": [1, 2]}`, 3802]]);
    expect((await t.query(`UPDATE kv SET v = v + 1`)).affectedRows).toBe(1);
  });

  it("raises PGlite's DatabaseError with its code and fields", async () => {
    const err = await t.query(`INSERT INTO kv (k) VALUES ('a')`).catch((e) => e);
    expect(err).toBeInstanceOf(messages.DatabaseError);
    expect(err).toMatchObject({ code: "23505", constraint: "kv_pkey", severity: "ERROR" });
    expect(err.message).toMatch(/duplicate key/);
  });

  it("commits a transaction when its function resolves and rolls it back when it throws or asks to", async () => {
    expect(await t.transaction(async (tx) => (await tx.query(`INSERT INTO kv (k) VALUES ('b')`), "done"))).toBe("done");
    const boom = new Error("boom");
    await expect(
      t.transaction(async (tx) => {
        await tx.query(`INSERT INTO kv (k) VALUES ('c')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    await t.transaction(async (tx) => {
      await tx.query(`INSERT INTO kv (k) VALUES ('d')`);
      void tx.rollback(); // as pglite-prisma-adapter does: not awaited before the function returns
    });
    const keys = (await t.query<{ k: string }>(`SELECT k FROM kv ORDER BY k`)).rows.map((r) => r.k);
    expect(keys).toEqual(["a", "b"]);
    // A statement outside the transaction waits for it, as in PGlite.
    const order: string[] = [];
    await Promise.all([
      t.transaction(async (tx) => {
        await tx.query(`SELECT pg_sleep(0.05)`);
        order.push("transaction");
      }),
      t.query(`SELECT 1`).then(() => order.push("outside")),
    ]);
    expect(order).toEqual(["transaction", "outside"]);
  });

  it("keeps the main thread running during a long statement", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await t.query(`SELECT pg_sleep(0.3)`);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0); // PGlite on the main thread: 0, the statement blocks every timer
  });
});

describe("the embedded database through Prisma on the thread", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ home: tmp() });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("maps a unique violation to Prisma's P2002 and rolls back an interactive transaction", async () => {
    await db.prisma.model.create({ data: { name: "thread-model" } });
    const err = await db.prisma.model.create({ data: { name: "thread-model" } }).catch((e) => e);
    expect(err).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(err.code).toBe("P2002");
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.model.create({ data: { name: "inside" } });
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    await db.prisma.$transaction(async (tx) => {
      await tx.model.create({ data: { name: "kept" } });
    });
    const names = (await db.prisma.model.findMany({ orderBy: { name: "asc" } })).map((m) => m.name);
    expect(names).toEqual(["kept", "thread-model"]);
  });
});

describe("EmbeddedThread when its thread stops or is closed", () => {
  it("rejects an open transaction instead of crashing the process, and refuses later statements clearly", async () => {
    const t = await EmbeddedThread.open(path.join(tmp(), "db"));
    const worker = (t as unknown as { worker: { terminate(): Promise<number> } }).worker;
    const inside = t.transaction(async (tx) => {
      await tx.query(`SELECT 1`);
      await worker.terminate(); // the thread dies while the transaction's function is still running
      await new Promise((r) => setTimeout(r, 20));
      void tx.rollback(); // as the adapter does, not awaited: must not become an unhandled rejection
      return "fn done";
    });
    await expect(inside).rejects.toThrow(/embedded database thread stopped/);
    await expect(t.query(`SELECT 1`)).rejects.toThrow(/embedded database thread stopped/);
    await t.close();

    const u = await EmbeddedThread.open(path.join(tmp(), "db"));
    await u.close();
    await expect(u.query(`SELECT 1`)).rejects.toThrow("the embedded database is closed");
  });
});

describe("opening without Prisma (a command that only runs SQL)", () => {
  it("answers SQL and says plainly that Prisma was not loaded", async () => {
    const home = tmp();
    const db = await openDatabase({ home, prisma: false });
    try {
      expect((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Run"`)).rows).toEqual([{ n: 0 }]);
      expect(() => db.prisma.run).toThrow("the database was opened without Prisma (prisma: false) but db.prisma.run was used");
    } finally {
      await db.close();
    }
    // The same folder opens with Prisma afterwards.
    const again = await openDatabase({ home });
    try {
      expect(await again.prisma.run.count()).toBe(0);
    } finally {
      await again.close();
    }
  });
});
