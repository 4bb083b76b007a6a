// Runs: creation (run, its benchmarks and every item in one transaction, then a job), control (pause, resume,
// cancel, retry failed items) and progress read from the database.
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import type { SqlExecutor } from "@/lib/db/migrate";
import { applyJobControl, type JobControl } from "./job-control";
import { enqueue, queuePosition, workerJobsFromEnv } from "./queue";
import { runAggregates } from "./aggregates";
import { completedStamp, memoCompleted } from "./run-cache";
import { resetFailedItems } from "./store";
import type { ResolvedItem, ResolvedSuite } from "./suite";
import { codeVersion } from "./version";
import { errorOfKind } from "@/lib/errors";

export const RUN_JOB = "run";

export async function insertItems(
  tx: SqlExecutor,
  runId: string,
  benchmark: string,
  items: ResolvedItem[],
  extra?: {
    status: "pending" | "done";
    outputs?: (string | null)[];
    data?: unknown[];
  },
): Promise<number[]> {
  const ids: number[] = [];
  // Chunks keep each statement's parameter arrays moderate on very large runs.
  for (let i = 0; i < items.length; i += 5000) {
    const chunk = items.slice(i, i + 5000);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", status, prompt, output, data, "completedAt")
       SELECT $1, $2, k, s, $3::"ItemStatus", p, o, d::jsonb, CASE WHEN $3 = 'done' THEN now() END
       FROM unnest($4::text[], $5::int[], $6::text[], $7::text[], $8::text[]) AS t(k, s, p, o, d)
       ON CONFLICT ("runId", benchmark, "itemKey", "sampleIndex") DO NOTHING
       RETURNING id`,
      [
        runId,
        benchmark,
        extra?.status ?? "pending",
        chunk.map((it) => it.key),
        chunk.map((it) => it.sampleIndex),
        chunk.map((it) => it.prompt),
        chunk.map((_, j) => extra?.outputs?.[i + j] ?? null),
        chunk.map((it, j) => JSON.stringify(extra?.data?.[i + j] ?? it.data ?? { prompt: it.raw })),
      ],
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export interface CreateRunOptions {
  name?: string;
  seed?: number;
  source?: string;
  notes?: string;
}

/** Creates the run with all its items (pending) and queues it. */
export async function createRun(db: Database, modelId: string, suite: ResolvedSuite, opts: CreateRunOptions = {}): Promise<string> {
  const runId = randomUUID();
  const snapshot = { name: suite.name, benchmarks: suite.steps.map((s) => s.snapshot) };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "Run" (id, "modelId", name, status, suite, source, notes, "codeVersion", seed, "createdAt")
       VALUES ($1, $2, $3, 'queued', $4::jsonb, $5, $6, $7, $8, now())`,
      [runId, modelId, opts.name ?? suite.name, JSON.stringify(snapshot), opts.source ?? "profile", opts.notes ?? "", codeVersion(), opts.seed ?? 0],
    );
    for (const step of suite.steps) {
      await tx.query(`INSERT INTO "RunBenchmark" ("runId", benchmark, status, total) VALUES ($1, $2, 'pending', $3)`, [
        runId,
        step.benchmark,
        step.items.length,
      ]);
      await insertItems(tx, runId, step.benchmark, step.items);
    }
    // In the same transaction: a run never exists without its job.
    await enqueue(tx, RUN_JOB, { runId }, runId);
  });
  return runId;
}

export type RunControl = JobControl;

export class RunStateError extends errorOfKind("conflict") {}

/** Applies a control action; the executor notices status changes within a second. */
export async function controlRun(db: Database, runId: string, action: RunControl): Promise<string> {
  const run = await db.prisma.run.findUnique({ where: { id: runId }, select: { status: true, source: true } });
  if (!run) throw new RunStateError(`no run with id ${runId}`);
  if (run.source !== "profile" && action !== "cancel") throw new RunStateError("an imported run has nothing to execute");
  return applyJobControl(
    db,
    {
      table: "Run",
      statusType: "RunStatus",
      id: runId,
      noun: "run",
      status: run.status,
      jobKind: RUN_JOB,
      jobPayload: { runId },
      failedNoun: "items",
      error: (m) => new RunStateError(m),
      resetFailed: () => resetFailedItems(db, runId),
    },
    action,
  );
}

export interface BenchmarkProgress {
  benchmark: string;
  status: string;
  reason: string | null;
  total: number;
  done: number;
  failed: number;
  pending: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunProgress {
  id: string;
  status: string;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  benchmarks: BenchmarkProgress[];
  errorsByKind: Record<string, number>;
  /** Items completed per second over the last minute; null before any. */
  throughput: number | null;
  /** Seconds left at the current throughput. */
  etaSeconds: number | null;
  /** What the run's execution or import noted (skipped tokens, files not imported…), one per line. */
  notes: string[];
  /** While queued: jobs ahead of it, jobs executing now, and how many this dashboard executes at once. */
  queue: { ahead: number; active: number; slots: number } | null;
}

/**
 * Errors by kind and the recent throughput (completions per second over the last minute) of a run's items or a
 * dataset's candidates: what the live progress of both shows.
 */
export async function workActivity(
  db: Database,
  table: "Item" | "Candidate",
  owner: "runId" | "datasetId",
  id: string,
): Promise<{ errorsByKind: Record<string, number>; throughput: number | null }> {
  const { rows: kinds } = await db.sql.query<{ kind: string; n: number }>(
    `SELECT coalesce("errorKind", 'other') AS kind, count(*)::int AS n FROM "${table}" WHERE "${owner}" = $1 AND error IS NOT NULL GROUP BY 1`,
    [id],
  );
  const { rows: recent } = await db.sql.query<{ n: number; first: Date | string | null }>(
    `SELECT count(*)::int AS n, min("completedAt") AS first FROM "${table}"
     WHERE "${owner}" = $1 AND status = 'done' AND "completedAt" > now() - interval '60 seconds'`,
    [id],
  );
  const r = recent[0];
  const throughput = r && r.n > 1 && r.first ? r.n / Math.max(1, (Date.now() - new Date(r.first).getTime()) / 1000) : null;
  return { errorsByKind: Object.fromEntries(kinds.map((k) => [k.kind, k.n])), throughput };
}

export async function runProgress(db: Database, runId: string): Promise<RunProgress | null> {
  const run = await db.prisma.run.findUnique({ where: { id: runId }, include: { benchmarks: true } });
  if (!run) return null;
  const stamp = completedStamp(run);
  const counts = await itemCounts(db, runId, stamp);
  // A run completed over a minute ago has no completion in the last minute: nothing to read for its throughput.
  const quiet = stamp !== null && Date.now() - run.finishedAt!.getTime() > 60_000;
  const { errorsByKind, throughput } = quiet
    ? { errorsByKind: await memoCompleted(stamp, "errors", async () => (await workActivity(db, "Item", "runId", runId)).errorsByKind), throughput: null }
    : await workActivity(db, "Item", "runId", runId);
  const benchmarks = run.benchmarks.map((b) => {
    const of = (s: string) => counts.find((c) => c.benchmark === b.benchmark && c.status === s)?.n ?? 0;
    return {
      benchmark: b.benchmark,
      status: b.status,
      reason: b.reason,
      total: b.total,
      done: of("done"),
      failed: of("failed"),
      pending: of("pending"),
      startedAt: b.startedAt?.toISOString() ?? null,
      finishedAt: b.finishedAt?.toISOString() ?? null,
    };
  });
  const pending = benchmarks.reduce((a, b) => a + b.pending, 0);
  return {
    id: run.id,
    status: run.status,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    notes: (run.notes ?? "").split("\n").filter((l) => l.trim() !== ""),
    queue: run.status === "queued" ? await queueOf(db, run.id) : null,
    benchmarks,
    errorsByKind,
    throughput,
    etaSeconds: throughput && run.status === "running" ? pending / throughput : null,
  };
}

/** The run's item counts by benchmark and status. */
export function itemCounts(db: Database, runId: string, stamp: string | null = null): Promise<{ benchmark: string; status: string; n: number }[]> {
  return memoCompleted(stamp, "counts", async () => {
    const { rows } = await db.sql.query<{ benchmark: string; status: string; n: number }>(
      `SELECT benchmark, status::text AS status, count(*)::int AS n FROM "Item" WHERE "runId" = $1 GROUP BY 1, 2`,
      [runId],
    );
    return rows;
  });
}

/** Run-level metric values: { metric id → value }. `stamp`: the run's completedStamp, when it has one. */
export async function runMetrics(db: Database, runId: string, stamp: string | null = null): Promise<Record<string, number | null>> {
  const rows = await runAggregates(db, runId, stamp);
  return Object.fromEntries([...rows].sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0)).map((a) => [a.metric, a.value]));
}

/** The first error of each benchmark's failed items: what a reader needs to see why a step produced nothing. */
export async function firstItemErrors(db: Database, runId: string): Promise<Record<string, string>> {
  const { rows } = await db.sql.query<{ benchmark: string; error: string }>(
    `SELECT DISTINCT ON (benchmark) benchmark, error FROM "Item" WHERE "runId" = $1 AND status = 'failed' AND error IS NOT NULL ORDER BY benchmark, id`,
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.benchmark, r.error]));
}

async function queueOf(db: Database, key: string): Promise<RunProgress["queue"]> {
  const q = await queuePosition(db.sql, key);
  let slots = 2;
  try {
    slots = workerJobsFromEnv();
  } catch {
    /* a bad setting is reported where the worker starts */
  }
  return q ? { ...q, slots } : null;
}

export interface RunListRow {
  id: string;
  model: string;
  status: string;
  source: string;
  name: string;
  createdAt: string;
}

/** Runs, newest first, in one SQL query (the command line lists them without loading the Prisma client). */
export async function listRunRows(db: Database): Promise<RunListRow[]> {
  const { rows } = await db.sql.query<{ id: string; model: string; status: string; source: string; name: string; createdAt: Date | string }>(
    `SELECT r.id, m.name AS model, r.status::text AS status, r.source, r.name, r."createdAt"
       FROM "Run" r JOIN "Model" m ON m.id = r."modelId" ORDER BY r."createdAt" DESC`,
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}

/** A run with its model's id and name, or null. */
export async function getRun(db: Database, runId: string) {
  return db.prisma.run.findUnique({ where: { id: runId }, include: { model: { select: { id: true, name: true } } } });
}
