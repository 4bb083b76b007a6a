// Executes a run: for each benchmark, requests every pending item (never a completed one), writes results as
// they arrive, and stores the aggregates when the benchmark completes. Safe to stop at any moment (pause,
// cancel, kill -9): what was written stays, what was not is still pending and is requested on resume.
import { setMaxListeners } from "node:events";
import { CredentialError } from "@/lib/credentials";
import type { Database } from "@/lib/db/client";
import { generate } from "@/lib/llm/generate";
import { isLlmError } from "@/lib/llm/errors";
import type { Endpoint } from "@/lib/llm/endpoint";
import { textMetrics } from "@/lib/metrics/text";
import { endpointOf, EndpointNotConfiguredError } from "@/lib/models/registry";
import { storeMeanAggregates } from "./aggregates";
import { ItemWriter, type ItemResult } from "./item-writer";
import type { ResolvedStep } from "./suite";

type StepSnapshot = ResolvedStep["snapshot"];

export type RunOutcome = "completed" | "paused" | "cancelled" | "failed" | "gone";

/** Errors that no retry can fix: the run stops and says what to change. */
function isFatal(err: unknown): boolean {
  return isLlmError(err) && !err.retryable && ["auth", "not_found", "bad_request", "unsupported"].includes(err.kind);
}

async function setRunStatus(db: Database, runId: string, status: string, error: string | null = null) {
  await db.sql.query(
    `UPDATE "Run" SET status = $2::"RunStatus", error = $3,
       "startedAt" = CASE WHEN $2 = 'running' THEN coalesce("startedAt", now()) ELSE "startedAt" END,
       "finishedAt" = CASE WHEN $2 IN ('completed', 'failed', 'cancelled') THEN now() ELSE "finishedAt" END
     WHERE id = $1`,
    [runId, status, error],
  );
}

async function currentStatus(db: Database, runId: string): Promise<string | null> {
  const { rows } = await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM "Run" WHERE id = $1`, [runId]);
  return rows[0]?.status ?? null;
}

export interface ExecuteOptions {
  /** Aborted when the worker loses its lease or shuts down. */
  signal?: AbortSignal;
  /** How often the run's status is re-read to notice pause and cancel. */
  controlPollMs?: number;
}

export async function executeRun(db: Database, runId: string, opts: ExecuteOptions = {}): Promise<RunOutcome> {
  const run = await db.prisma.run.findUnique({ where: { id: runId }, include: { model: true, benchmarks: true } });
  if (!run) return "gone";
  if (run.status === "paused" || run.status === "cancelled" || run.status === "completed") return run.status;
  let endpoint: Endpoint;
  try {
    endpoint = endpointOf(run.model);
  } catch (err) {
    if (err instanceof EndpointNotConfiguredError || err instanceof CredentialError) {
      await setRunStatus(db, runId, "failed", (err as Error).message);
      return "failed";
    }
    throw err;
  }
  await setRunStatus(db, runId, "running");
  const suite = run.suite as unknown as { benchmarks: StepSnapshot[] };
  for (const step of suite.benchmarks) {
    const bench = run.benchmarks.find((b) => b.benchmark === step.benchmark);
    if (bench?.status === "completed" || bench?.status === "unsupported") continue;
    await db.sql.query(
      `UPDATE "RunBenchmark" SET status = 'running', "startedAt" = coalesce("startedAt", now()) WHERE "runId" = $1 AND benchmark = $2`,
      [runId, step.benchmark],
    );
    const outcome = await executeTextualStep(db, runId, endpoint, step, opts);
    if (outcome.kind === "stopped") return (await currentStatus(db, runId)) as RunOutcome;
    if (outcome.kind === "fatal") {
      await db.sql.query(`UPDATE "RunBenchmark" SET status = 'failed', reason = $3 WHERE "runId" = $1 AND benchmark = $2`, [
        runId,
        step.benchmark,
        outcome.message,
      ]);
      await setRunStatus(db, runId, "failed", outcome.message);
      return "failed";
    }
    await storeMeanAggregates(db, runId, step.benchmark, run.seed);
    await db.sql.query(
      `UPDATE "RunBenchmark" SET status = 'completed', "finishedAt" = now(),
         reason = (SELECT CASE WHEN count(*) > 0 THEN count(*) || ' item(s) failed: retry them from the run page' END
                   FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'failed')
       WHERE "runId" = $1 AND benchmark = $2`,
      [runId, step.benchmark],
    );
  }
  // Only a run still running completes: a pause or cancel that arrived at the very end wins.
  await db.sql.query(`UPDATE "Run" SET status = 'completed', "finishedAt" = now() WHERE id = $1 AND status = 'running'`, [runId]);
  return ((await currentStatus(db, runId)) ?? "gone") as RunOutcome;
}

type StepOutcome = { kind: "done" } | { kind: "stopped" } | { kind: "fatal"; message: string };

async function executeTextualStep(
  db: Database,
  runId: string,
  endpoint: Endpoint,
  step: StepSnapshot,
  opts: ExecuteOptions,
): Promise<StepOutcome> {
  const stop = new AbortController();
  // Every in-flight request listens on this signal; there are as many as the endpoint's concurrency allows.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onOuterAbort);
  let fatal: string | null = null;
  const poll = setInterval(async () => {
    try {
      const status = await currentStatus(db, runId);
      if (status !== "running") stop.abort();
    } catch {
      /* the next poll tries again */
    }
  }, opts.controlPollMs ?? 1000);
  const writer = new ItemWriter(db, runId);
  const window = Math.max(1, endpoint.concurrency * 2);
  try {
    let afterId = 0;
    while (!stop.signal.aborted) {
      const { rows: page } = await db.sql.query<{ id: number; prompt: string; sampleIndex: number }>(
        `SELECT id, prompt, "sampleIndex" FROM "Item" WHERE "runId" = $1 AND benchmark = $2 AND status = 'pending' AND id > $3 ORDER BY id LIMIT 2000`,
        [runId, step.benchmark, afterId],
      );
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      const inFlight = new Set<Promise<void>>();
      for (const item of page) {
        if (stop.signal.aborted) break;
        const task = runItem(endpoint, step, item, stop.signal).then((result) => {
          if (result === null) return; // aborted: the item stays pending
          if (result.status === "failed" && result.fatal && !fatal) {
            fatal = result.error;
            stop.abort();
          }
          writer.add(result);
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        if (inFlight.size >= window) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    }
    await writer.flush();
  } finally {
    clearInterval(poll);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
  if (fatal) return { kind: "fatal", message: fatal };
  if (stop.signal.aborted) return { kind: "stopped" };
  return { kind: "done" };
}

async function runItem(
  endpoint: Endpoint,
  step: StepSnapshot,
  item: { id: number; prompt: string; sampleIndex: number },
  signal: AbortSignal,
): Promise<(ItemResult & { fatal: boolean }) | null> {
  let attempts = 0;
  // The last failed attempt stays recorded on the item even when a retry succeeded (errors by kind).
  let lastError: { message: string; kind: string } | null = null;
  const seed = step.decoding.seed === undefined ? undefined : step.decoding.seed + item.sampleIndex;
  try {
    const r = await generate(
      endpoint,
      {
        mode: step.mode,
        prompt: item.prompt,
        temperature: step.decoding.temperature,
        top_p: step.decoding.top_p,
        max_tokens: step.decoding.max_tokens,
        seed,
        stop: step.decoding.stop,
        n: 1,
      },
      {
        signal,
        onAttempt: (a) => {
          attempts++;
          lastError = { message: `attempt ${a.attempt}: ${a.error.message}`, kind: a.error.kind };
        },
      },
    );
    const out = r.outputs[0];
    const text = out?.text ?? "";
    return {
      id: item.id,
      status: "done",
      output: text,
      data: undefined,
      finishReason: out?.finishReason ?? null,
      latencyMs: r.latencyMs,
      promptTokens: r.usage?.promptTokens ?? null,
      completionTokens: r.usage?.completionTokens ?? null,
      error: (lastError as { message: string } | null)?.message ?? null,
      errorKind: (lastError as { kind: string } | null)?.kind ?? null,
      attempts: r.attempts,
      scores: { ...textMetrics(text), length_tokens: r.usage ? r.usage.completionTokens : null },
      fatal: false,
    };
  } catch (err) {
    if (signal.aborted) return null;
    const message = err instanceof Error ? err.message : String(err);
    return {
      id: item.id,
      status: "failed",
      output: null,
      data: undefined,
      finishReason: null,
      latencyMs: null,
      promptTokens: null,
      completionTokens: null,
      error: message,
      errorKind: isLlmError(err) ? err.kind : "internal",
      attempts: Math.max(1, attempts),
      scores: {},
      fatal: isFatal(err),
    };
  }
}
