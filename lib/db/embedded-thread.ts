// The embedded database (PGlite) runs on a thread of its own. PGlite executes every statement synchronously in
// WebAssembly: on the main thread a batch of 200 candidates blocked the event loop for ~20 ms, and every model
// response that arrived meanwhile waited (a dataset's generation ran ~8 % slower than its requests allowed), as did
// the dashboard's pages. Here the main thread posts a statement and receives its result; PGlite, its WebAssembly
// memory and its data folder stay on the database thread.
//
// EmbeddedThread offers the part of PGlite's interface that Lineage and pglite-prisma-adapter use: query (with
// rowMode and per-type parsers, applied here because functions cannot cross threads), exec, transaction (with
// query, exec and rollback on the transaction) and close. Errors come back as PGlite's DatabaseError, so the
// adapter maps them to Prisma's errors as before.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { messages, type PGlite, type Results, type Transaction } from "@electric-sql/pglite";
import { isAhead } from "./priority";

// The thread's code: a string, so that it runs wherever this module was bundled; it loads PGlite from the
// resolution base it is given (the app's node_modules).
const THREAD_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule("node:worker_threads");
const { createRequire } = process.getBuiltinModule("node:module");
const { PGlite, messages } = createRequire(workerData.resolveFrom)("@electric-sql/pglite");
let db = null;
let statements = 0;
let checkpointing = false;
const txs = new Map();
// A standalone PostgreSQL has no checkpointer: without a CHECKPOINT the write-ahead log grows until the database
// closes (GBs over a run of a million items). Every so often, when statements ran and no transaction is open, one
// is issued; max_wal_size then caps what is kept.
async function checkpoint() {
  if (!db || statements === 0 || txs.size || checkpointing) return;
  statements = 0;
  checkpointing = true;
  try {
    await db.exec("CHECKPOINT");
  } catch {
    // the next one tries again
  } finally {
    checkpointing = false;
  }
}
const ends = new Map();
// One unit at a time (a statement, or a transaction from begin to end), ahead-marked units first: PGlite would run
// them in arrival order, and a run's answer writes would wait behind every page read queued before them. The
// statements of the open transaction (m.tx) and its end belong to the unit that holds the thread.
const queues = [[], []];
let active = false;
function schedule(m, unit) {
  queues[m.ahead ? 0 : 1].push(unit);
  pump();
}
function pump() {
  if (active) return;
  const unit = queues[0].shift() ?? queues[1].shift();
  if (!unit) return;
  active = true;
  // setImmediate: messages that arrived meanwhile are received (and an ahead one queued) before the next pick.
  Promise.resolve().then(unit).catch(() => undefined).finally(() => setImmediate(() => { active = false; pump(); }));
}
function errorOf(e) {
  // PGlite can throw a plain object (Emscripten's ExitStatus when the WebAssembly aborts): keep what it says.
  if (!(e instanceof Error)) return { message: e && typeof e === "object" ? String(e.message ?? e.name ?? JSON.stringify(e)) : String(e) };
  const out = { message: e.message, name: e.name, database: e instanceof messages.DatabaseError, length: e.length, stack: e.stack };
  for (const [k, v] of Object.entries(e)) if (typeof v !== "function" && k !== "queryOptions") out[k] = v;
  return out;
}
function target(m) {
  if (!db) throw new Error("the embedded database is closed");
  if (m.tx === undefined) return db;
  const tx = txs.get(m.tx);
  if (!tx) throw new Error("the transaction is over");
  return tx;
}
function reply(id, value) {
  try {
    parentPort.postMessage({ id, value });
  } catch (e) {
    parentPort.postMessage({ id, error: errorOf(e) });
  }
}
async function run(m) {
  try {
    switch (m.op) {
      case "open":
        db = await PGlite.create(m.dataDir, { startParams: [...PGlite.defaultStartParams, ...m.settings.flatMap((s) => ["-c", s])] });
        setInterval(checkpoint, m.checkpointMs).unref();
        return reply(m.id, null);
      case "query": {
        statements++;
        const options = { ...m.options };
        if (m.rawTypes) options.parsers = Object.fromEntries(m.rawTypes.map((t) => [t, (v) => v]));
        return reply(m.id, await target(m).query(m.sql, m.params, options));
      }
      case "exec":
        statements++;
        return reply(m.id, await target(m).exec(m.sql));
      case "rollback":
        return reply(m.id, await target(m).rollback());
      case "begin": {
        let ready = false;
        // The unit lasts until the transaction ends.
        return db.transaction(async (tx) => {
          txs.set(m.id, tx);
          ready = true;
          parentPort.postMessage({ id: m.id, value: "ready" });
          const commit = await new Promise((resolve) => ends.set(m.id, resolve));
          if (!commit && !tx.closed) await tx.rollback();
        }).then(
          () => parentPort.postMessage({ id: m.id, end: true }),
          (e) => parentPort.postMessage(ready ? { id: m.id, end: true, error: errorOf(e) } : { id: m.id, error: errorOf(e) }),
        ).finally(() => {
          txs.delete(m.id);
          ends.delete(m.id);
        });
      }
      case "end":
        ends.get(m.tx)?.(m.commit);
        return;
      case "backup": {
        // A unit of its own: no statement runs meanwhile, and after the checkpoint the folder on disk is the whole
        // database (PGlite has no background writer), so the copy is consistent.
        if (!db) throw new Error("the embedded database is closed");
        await db.exec("CHECKPOINT");
        process.getBuiltinModule("node:fs").cpSync(m.from, m.to, { recursive: true, errorOnExist: true, force: false });
        return reply(m.id, null);
      }
      case "close":
        if (db) await db.close();
        db = null;
        return reply(m.id, null);
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: errorOf(e) });
  }
}
parentPort.on("message", (m) => {
  if (m.op === "open" || m.op === "end" || m.tx !== undefined) return void run(m);
  schedule(m, () => run(m));
});
`;

/**
 * Server settings of the embedded database. The write-ahead log keeps at most ~64 MB between checkpoints (see
 * CHECKPOINT_EVERY_MS). PostgreSQL's default shared_buffers (128 MB) is allocated and touched
 * in the WebAssembly memory at start, which never shrinks: with 16 MB, opening an existing database costs ~160 MB of
 * resident memory instead of ~290 MB (measured by `npm run bench:scale`, "open only"). The operating system's page
 * cache still holds the data files, so the smaller buffer pool costs little on writes.
 */
export const EMBEDDED_SETTINGS = ["shared_buffers=16MB", "max_wal_size=64MB", "min_wal_size=32MB"];

/**
 * How often the database thread issues a CHECKPOINT when statements ran: PGlite runs PostgreSQL standalone, with no
 * checkpointer, and its write-ahead log otherwise grows until the database closes (measured: 176 MB of WAL for
 * 200,000 small updates, 64 MB after a checkpoint with max_wal_size 64 MB).
 */
export const CHECKPOINT_EVERY_MS = 30_000;

type Parsers = Record<number, (value: string, typeId: number) => unknown>;
interface QueryOptions {
  rowMode?: "array" | "object";
  parsers?: Parsers;
}

interface ThreadError {
  message: string;
  name?: string;
  database?: boolean;
  length?: number;
  stack?: string;
  [field: string]: unknown;
}

interface Reply {
  id: number;
  value?: unknown;
  end?: boolean;
  error?: ThreadError;
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** An error as PGlite raised it on the database thread: a DatabaseError with its fields when it was one. */
function rebuildError(e: ThreadError): Error {
  const { message, name, database, length, stack, ...fields } = e;
  const err = database ? new messages.DatabaseError(message, length ?? 0, (name ?? "error") as "error") : new Error(message);
  if (!database && name && name !== "Error") (err as { name: string }).name = name;
  Object.assign(err, fields);
  if (stack) err.stack = `${stack}\n    (on the database thread)`;
  return err;
}

/** Where `@electric-sql/pglite` is resolved from: the app's folder (Next bundles this module elsewhere). */
function resolutionBase(): string {
  const candidates = [path.join(process.cwd(), "package.json")];
  try {
    candidates.push(fileURLToPath(import.meta.url));
  } catch {
    /* bundled without a file URL */
  }
  for (const c of candidates) {
    try {
      createRequire(c).resolve("@electric-sql/pglite");
      return c;
    } catch {
      /* try the next */
    }
  }
  return candidates[0];
}

export class EmbeddedThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  /** Transactions waiting for their end (commit or rollback) on the thread. */
  private readonly ending = new Map<number, Waiting>();
  private nextId = 1;
  private failure: Error | null = null;
  /** When the oldest statement still in flight was sent; null when none is. */
  private busySince: number | null = null;
  /** One unreferenced timer for the thread's life (not one per burst of statements: refresh runs on every reply). */
  private readonly watchdog = setInterval(() => this.checkStuck(), 2000).unref();
  private dataDir = "";

  private constructor() {
    // No inherited flags (a TypeScript loader, an inspector): the code above needs none.
    this.worker = new Worker(THREAD_SOURCE, { eval: true, execArgv: [], workerData: { resolveFrom: resolutionBase() } });
    this.worker.unref(); // only statements in flight keep the process alive
    this.worker.on("message", (r: Reply) => this.onReply(r));
    const stopped = (err: Error) => {
      this.failure ??= new Error(`the embedded database thread stopped: ${err.message}`);
      for (const w of [...this.waiting.values(), ...this.ending.values()]) w.reject(this.failure);
      this.waiting.clear();
      this.ending.clear();
    };
    this.worker.on("error", stopped);
    this.worker.on("exit", (code) => {
      clearInterval(this.watchdog);
      stopped(new Error(`exit code ${code}`));
    });
  }

  static async open(dataDir: string): Promise<EmbeddedThread> {
    const t = new EmbeddedThread();
    t.dataDir = dataDir;
    try {
      await t.call({ op: "open", dataDir, settings: EMBEDDED_SETTINGS, checkpointMs: CHECKPOINT_EVERY_MS });
    } catch (err) {
      await t.worker.terminate();
      throw err;
    }
    return t;
  }

  private onReply(r: Reply): void {
    const map = r.end ? this.ending : this.waiting;
    const w = map.get(r.id);
    if (!w) return;
    map.delete(r.id);
    this.busySince = Date.now(); // progress: the next statement's wait starts now
    this.refresh();
    if (r.error) w.reject(rebuildError(r.error));
    else w.resolve(r.value);
  }

  private refresh(): void {
    if (this.waiting.size + this.ending.size === 0) {
      this.worker.unref();
      this.busySince = null;
    } else {
      this.worker.ref();
      this.busySince ??= Date.now();
    }
  }

  /**
   * PGlite spins forever on a statement that hits a full disk (the WAL cannot grow): after 10 s on one statement
   * with the disk (nearly) full, the thread is stopped and every caller is told the disk is full, instead of hanging.
   */
  private checkStuck(): void {
    if (this.busySince === null || Date.now() - this.busySince < 10_000 || !this.dataDir) return;
    let free = Infinity;
    try {
      const st = fs.statfsSync(this.dataDir);
      free = st.bavail * st.bsize;
    } catch {
      return;
    }
    if (free >= 32 * 1024 * 1024) return;
    this.failure = new Error(`No space left on device in ${this.dataDir}`);
    void this.worker.terminate();
  }

  private call(message: Record<string, unknown>, id = this.nextId++): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.refresh();
      try {
        this.worker.postMessage({ ...message, id, ahead: isAhead() });
      } catch (err) {
        this.waiting.delete(id);
        this.refresh();
        reject(err as Error);
      }
    });
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<T>> {
    const parsers = options?.parsers;
    const rawTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
    const result = (await this.call({
      op: "query",
      sql,
      params,
      options: options?.rowMode ? { rowMode: options.rowMode } : undefined,
      rawTypes,
      tx,
    })) as Results<T>;
    if (parsers) {
      // The thread returned these types' text as is; parse it here with the caller's functions.
      const byArray = options?.rowMode === "array";
      result.fields.forEach((f, j) => {
        const parse = parsers[f.dataTypeID];
        if (!parse) return;
        for (const row of result.rows as Record<string | number, unknown>[]) {
          const key = byArray ? j : f.name;
          const v = row[key];
          if (v !== null && v !== undefined) row[key] = parse(v as string, f.dataTypeID);
        }
      });
    }
    return result;
  }

  async exec(sql: string, tx?: number): Promise<Results[]> {
    return (await this.call({ op: "exec", sql, tx })) as Results[];
  }

  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = this.nextId++;
    await this.call({ op: "begin" }, id);
    let closed = false;
    let rolledBack = false;
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => this.query<R>(sql, params, options, id),
      sql: () => {
        throw new Error("tagged-template queries are not available on the embedded database thread");
      },
      exec: (sql: string) => this.exec(sql, id),
      rollback: async () => {
        rolledBack = true; // pglite-prisma-adapter does not await it before ending the transaction
        try {
          await this.call({ op: "rollback", tx: id });
        } catch (err) {
          if (!this.failure) throw err; // a dead or closed thread rolled everything back already
        }
        closed = true;
      },
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    const ended = new Promise<unknown>((resolve, reject) => {
      this.ending.set(id, { resolve, reject });
      this.refresh();
    });
    // Awaited below once fn is done; if the thread dies while fn still runs, that is not an unhandled rejection.
    ended.catch(() => undefined);
    let value: T;
    try {
      value = await fn(tx);
    } catch (err) {
      this.worker.postMessage({ op: "end", tx: id, commit: false });
      await ended.catch(() => undefined);
      throw err;
    }
    this.worker.postMessage({ op: "end", tx: id, commit: !rolledBack });
    await ended;
    return value;
  }

  /** Copies the database folder to `to` (a new folder) between two statements, after a checkpoint. */
  async backup(to: string): Promise<void> {
    await this.call({ op: "backup", from: this.dataDir, to });
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    if (this.failure) return void (await this.worker.terminate());
    const closing = this.call({ op: "close" });
    // Statements issued from now on are refused with a clear message; those already posted finish first.
    this.failure = new Error("the embedded database is closed");
    try {
      await closing;
    } finally {
      await this.worker.terminate();
    }
  }

  /** What pglite-prisma-adapter is given in place of a PGlite instance. */
  asPGlite(): PGlite {
    return {
      query: (sql: string, params?: unknown[], options?: QueryOptions) => this.query(sql, params, options),
      exec: (sql: string) => this.exec(sql),
      transaction: <T>(fn: (tx: Transaction) => Promise<T>) => this.transaction(fn),
      close: () => this.close(),
    } as unknown as PGlite;
  }
}
