// Executes a run: for each benchmark, requests every pending item (never a completed one), writes results as
// they arrive, and stores the aggregates when the benchmark completes. Safe to stop at any moment (pause,
// cancel, kill -9): what was written stays, what was not is still pending and is requested on resume.
import { type AttributeServices, needsServices, openAttributeServices } from "@/lib/attributes/services";
import { LineageError } from "@/lib/errors";
import { setMaxListeners } from "node:events";
import { MAX_UNSTORED_MS } from "@/lib/db/batch-writer";
import { CredentialError } from "@/lib/credentials";
import type { Database } from "@/lib/db/client";
import { isLlmError } from "@/lib/llm/errors";
import type { Endpoint } from "@/lib/llm/endpoint";
import type { OnAttempt } from "@/lib/llm/retry";
import { endpointOf, EndpointNotConfiguredError } from "@/lib/models/registry";
import { createScorer, scorerFromRow } from "@/lib/scorers/config";
import { findScorerByName, scorerKeyCipher } from "@/lib/scorers/registry";
import { isScorerError, type ToxicityScorer } from "@/lib/scorers/types";
import { storeAggregates, storedMeanAggregates } from "./aggregates";
import { capabilitiesOf, learningEndpoint, unsupportedReason } from "./capabilities";
import { itemWriter, type ItemResult } from "./item-writer";
import { firstItemErrors } from "./runs";
import {
  completeStep,
  countDoneItems,
  doneItems,
  endRunningRun,
  failStep,
  markStepUnavailable,
  markStepUnsupported,
  pendingItems,
  replaceStepNotes,
  runForExecution,
  runStatus,
  saveItemProgress,
  setRunStatus,
  startStep,
  unalignedItems,
  unfinishedSteps,
} from "./store";
import { bindStep, type BoundStep } from "./steps/modules";
import { scoredTextsOf } from "./steps/item-data";
import type { ExecContext, PendingItem } from "./steps/types";
import { readSuiteSnapshot } from "./suite";

export type RunOutcome = "completed" | "paused" | "cancelled" | "failed" | "gone";

/** Errors that no retry can fix: the run stops and says what to change. */
/** Items in a row that could not connect (each after its retries) before a run stops instead of failing them all. */
export const CONNECTION_FAILURES_TO_STOP = 8;

function isFatal(err: unknown): boolean {
  return isLlmError(err) && !err.retryable && ["auth", "not_found", "bad_request", "unsupported"].includes(err.kind);
}

export interface ExecuteOptions {
  /** Aborted when the worker loses its lease or shuts down. */
  signal?: AbortSignal;
  /** How often the run's status is re-read to notice pause and cancel. */
  controlPollMs?: number;
}

export async function executeRun(db: Database, runId: string, opts: ExecuteOptions = {}): Promise<RunOutcome> {
  const run = await runForExecution(db, runId);
  if (!run) return "gone";
  if (run.status === "paused" || run.status === "cancelled" || run.status === "completed") return run.status;
  let endpoint: Endpoint;
  try {
    endpoint = learningEndpoint(db, run.model.id, endpointOf(run.model));
  } catch (err) {
    if (err instanceof EndpointNotConfiguredError || err instanceof CredentialError) {
      await setRunStatus(db, runId, "failed", (err as Error).message);
      return "failed";
    }
    throw err;
  }
  await setRunStatus(db, runId, "running");
  // Each step's snapshot is read back through the schema it was written with (lib/runs/suite.ts).
  for (const stored of readSuiteSnapshot(run.suite)) {
    const benchmark = stored.kind === "step" ? stored.step.benchmark : stored.benchmark;
    const bench = run.benchmarks.find((b) => b.benchmark === benchmark);
    if (bench?.status === "completed" || bench?.status === "unsupported") continue;
    if (stored.kind === "unavailable") {
      // Its data was missing when the run was created: shown as failed with the reason; the other steps run.
      await markStepUnavailable(db, runId, benchmark, stored.reason);
      continue;
    }
    if (stored.kind === "unknown") {
      await failStep(db, runId, benchmark, `this version of Lineage cannot execute the benchmark "${benchmark}"`);
      return "failed";
    }
    if (stored.kind === "invalid") {
      await failStep(db, runId, benchmark, stored.message);
      return "failed";
    }
    const step = stored.step;
    const bound = bindStep(step);
    await startStep(db, runId, step.benchmark);
    let scorer: ToxicityScorer | undefined;
    let why = unsupportedReason(bound.capability === "generate" ? null : await capabilitiesOf(db, run.model, endpoint), bound.capability);
    if (!why && step.benchmark === "rtp_toxicity") {
      let config = step.scorer;
      if (!config && step.scorerName !== undefined) {
        const row = await findScorerByName(db, step.scorerName);
        if (!row) {
          await failStep(db, runId, step.benchmark, `no toxicity scorer named "${step.scorerName}" (configure it on the scorers page)`);
          return "failed";
        }
        config = scorerFromRow(row);
        step.scorer = config; // the aggregates record the scorer that produced them
      }
      if (!config) why = "no toxicity scorer configured: set LINEAGE_SCORER (perspective, moderation or http) or choose a scorer, then create the run again";
      else {
        try {
          const cipher = config.scorerId ? await scorerKeyCipher(db, config.scorerId) : null;
          scorer = createScorer(config, cipher);
        } catch (err) {
          await failStep(db, runId, step.benchmark, (err as Error).message);
          return "failed";
        }
      }
    }
    if (why) {
      await markStepUnsupported(db, runId, step.benchmark, why);
      continue;
    }
    // Judge and classifier attributes of the textual step: their endpoints and scorers, opened once for the step.
    let attributes: AttributeServices | undefined;
    if (step.benchmark === "textual" && needsServices(step.attributes)) {
      try {
        attributes = await openAttributeServices(db, step.attributes);
      } catch (err) {
        if (!(err instanceof LineageError)) throw err;
        await failStep(db, runId, step.benchmark, err.message);
        return "failed";
      }
    }
    const outcome = await executeStep(db, runId, endpoint, bound, opts, run.seed, scorer, attributes);
    if (outcome.kind === "stopped") return (await runStatus(db, runId)) as RunOutcome;
    if (outcome.kind === "unsupported") {
      await markStepUnsupported(db, runId, step.benchmark, `not supported by this endpoint: ${outcome.message}`);
      continue;
    }
    if (outcome.kind === "fatal") {
      await failStep(db, runId, step.benchmark, outcome.message);
      return "failed";
    }
    await storeStepAggregates(db, runId, bound, run.seed);
    await completeStep(db, runId, step.benchmark, step.note ?? null);
  }
  // Nothing usable (every item failed, every step unsupported or failed): the run failed, whatever ran.
  if ((await countDoneItems(db, runId)) === 0) {
    const why = await unfinishedSteps(db, runId);
    const errors = await firstItemErrors(db, runId);
    const parts = [...why.map((b) => `${b.benchmark} ${b.status}${b.reason ? `: ${b.reason}` : ""}`), ...Object.entries(errors).map(([b, e]) => `${b}: ${e}`)];
    const status = await endRunningRun(db, runId, "failed", `nothing usable: no item completed${parts.length ? ` (${parts.slice(0, 3).join("; ")})` : ""}`);
    return (status ?? "gone") as RunOutcome;
  }
  // Only a run still running completes: a pause or cancel that arrived at the very end wins.
  return ((await endRunningRun(db, runId, "completed")) ?? "gone") as RunOutcome;
}

/** The step's aggregates from its completed items, in a stable (item key, sample) order, and its run notes. */
async function storeStepAggregates(db: Database, runId: string, bound: BoundStep, seed: number): Promise<void> {
  const { step } = bound;
  if (bound.meansOfScores) {
    // Means of per-item scores: read page by page, whatever the step's size (nothing else to note from the items).
    await storeAggregates(db, runId, step.benchmark, bound.annotateMeans(await storedMeanAggregates(db, runId, step.benchmark, seed)));
    return;
  }
  const rows = await doneItems(db, runId, step.benchmark);
  await storeAggregates(db, runId, step.benchmark, bound.aggregate(rows, seed));
  // METRICS.md §2: when the endpoint gives the first token no log-prob, the run's notes say so; so do tokens
  // further in that came back without one (left out of the score, which a reader should know).
  const options = rows.flatMap((r) => scoredTextsOf(step.benchmark, r.data));
  const notes: string[] = [];
  if (options.some((o) => o.skippedFirstToken))
    notes.push(
      `${step.benchmark}: the endpoint returns no log-prob for the first token of a sentence, so sentence scores use the tokens after it (METRICS.md §2).`,
    );
  const startTokens = [...new Set(options.map((o) => o.startToken).filter((t): t is string => !!t))];
  if (startTokens.length)
    notes.push(
      `${step.benchmark}: the endpoint echoes a start token (${startTokens.map((t) => JSON.stringify(t)).join(", ")}) before each text; it is not part of the text and not scored, and the first word, conditioned on it, is (METRICS.md §2).`,
    );
  const tails = options.filter((o) => o.uncoveredTail).length;
  if (tails) notes.push(`${step.benchmark}: ${tails} scored text(s) end in whitespace that a generated token ran over; those characters are not scored.`);
  const refused = await unalignedItems(db, runId, step.benchmark);
  if (refused.n)
    notes.push(`${step.benchmark}: ${refused.n} item(s) not scored because their echoed tokens could not be aligned to the text (e.g. ${refused.error}).`);
  const nullTokens = options.reduce((n, o) => n + (o.nullTokens ?? 0), 0);
  if (nullTokens > 0) {
    const affected = options.filter((o) => (o.nullTokens ?? 0) > 0).length;
    notes.push(`${step.benchmark}: ${nullTokens} token(s) in ${affected} scored text(s) came back without a log-prob and are left out of their scores.`);
  }
  // A re-aggregation (after "retry failed items") replaces this step's earlier notes instead of repeating them.
  await replaceStepNotes(db, runId, step.benchmark, notes);
}

type StepOutcome = { kind: "done" } | { kind: "stopped" } | { kind: "fatal"; message: string } | { kind: "unsupported"; message: string };

type RunResult = (ItemResult & { fatal: boolean; unsupported?: boolean }) | null;

async function executeStep(
  db: Database,
  runId: string,
  endpoint: Endpoint,
  bound: BoundStep,
  opts: ExecuteOptions,
  seed: number,
  scorer: ToxicityScorer | undefined,
  attributes?: AttributeServices,
): Promise<StepOutcome> {
  const { step } = bound;
  const stop = new AbortController();
  // Every in-flight request listens on this signal; there are as many as the endpoint's concurrency allows.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onOuterAbort);
  let fatal: string | null = null;
  let unsupported: string | null = null;
  const saveProgress = (itemId: number, data: unknown) => saveItemProgress(db, itemId, data);
  const poll = setInterval(async () => {
    try {
      const status = await runStatus(db, runId);
      if (status !== "running") stop.abort();
    } catch {
      /* the next poll tries again */
    }
  }, opts.controlPollMs ?? 1000);
  const writer = itemWriter(db, runId);
  const held: NonNullable<RunResult>[] = [];
  const window = Math.max(1, endpoint.concurrency * 2);
  try {
    let afterId = 0;
    // One set across pages: the next page is fetched while the previous one's last items are still in flight
    // (pages go by id, so an item in flight is never fetched twice).
    const inFlight = new Set<Promise<void>>();
    try {
      while (!stop.signal.aborted) {
        const page = await pendingItems(db, runId, step.benchmark, afterId, 2000);
        if (page.length === 0) break;
        afterId = page[page.length - 1].id;
        for (const item of page) {
          if (stop.signal.aborted) break;
          // While the database lags behind (e.g. serving pages), no new request: bounds what a crash loses.
          if (writer.unstoredAgeMs() > MAX_UNSTORED_MS) await writer.waitUntilStored(MAX_UNSTORED_MS);
          const run = runStepItem(bound, { endpoint, seed, signal: stop.signal, scorer, attributes, saveProgress }, item);
          const task = run.then((result) => {
            if (result === null) return; // aborted: the item stays pending
            if (result.unsupported) {
              // The endpoint cannot do what the step needs: the item stays pending, the step is marked unsupported.
              if (!unsupported && !fatal) unsupported = result.error;
              stop.abort();
              return;
            }
            if (result.status === "failed" && result.fatal && !fatal) {
              fatal = result.error;
              stop.abort();
            }
            // Connection failures (after their retries) are held back: a server that is down stops the run after a
            // few of them, with those items still pending for resume, instead of failing every item in turn.
            if (result.status === "failed" && result.errorKind === "connection") {
              held.push(result);
              if (held.length >= CONNECTION_FAILURES_TO_STOP && !fatal) {
                fatal = `stopped after ${held.length} requests in a row could not connect: ${result.error}. Start the model's server (or correct its base URL), then resume the run.`;
                held.length = 0;
                stop.abort();
              }
              return;
            }
            for (const h of held.splice(0)) writer.add(h);
            writer.add(result);
          });
          inFlight.add(task);
          // Settled either way; a rejection is seen by the race or the final await, not left unhandled here.
          void task.finally(() => inFlight.delete(task)).catch(() => undefined);
          if (inFlight.size >= window) await Promise.race(inFlight);
        }
      }
      await Promise.all(inFlight);
      // Connection failures at the very end of a step that did not reach the limit are real failures.
      if (!fatal) for (const h of held.splice(0)) writer.add(h);
    } catch (err) {
      // A failed page query or write: stop what is in flight before giving up, so nothing runs on after the step.
      stop.abort();
      await Promise.allSettled(inFlight);
      throw err;
    }
    await writer.flush();
  } finally {
    clearInterval(poll);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
  if (fatal) return { kind: "fatal", message: fatal };
  if (unsupported) return { kind: "unsupported", message: unsupported };
  if (stop.signal.aborted) return { kind: "stopped" };
  return { kind: "done" };
}

/**
 * Executes one item through its step's module. The failed attempts the module reports (ctx.onAttempt) are counted
 * for a failed item, and the last one stays recorded on an item that a retry completed (errors by kind).
 */
async function runStepItem(bound: BoundStep, ctx: Omit<ExecContext, "step" | "onAttempt">, item: PendingItem): Promise<RunResult> {
  const attempts = { failed: 0, last: null as { message: string; kind: string } | null };
  const onAttempt: OnAttempt = (a) => {
    attempts.failed++;
    attempts.last = { message: `attempt ${a.attempt}: ${a.error.message}`, kind: a.error.kind };
  };
  try {
    const r = await bound.execute({ ...ctx, onAttempt }, item);
    return {
      id: item.id,
      status: "done",
      output: r.output,
      data: r.data,
      finishReason: r.finishReason ?? null,
      latencyMs: r.latencyMs,
      promptTokens: r.promptTokens ?? null,
      completionTokens: r.completionTokens ?? null,
      error: attempts.last?.message ?? null,
      errorKind: attempts.last?.kind ?? null,
      attempts: r.attempts,
      scores: r.scores,
      fatal: false,
    };
  } catch (err) {
    if (ctx.signal.aborted) return null;
    const unsupported = !bound.unsupportedStopsRun && isLlmError(err) && err.kind === "unsupported";
    return { ...failedResult(item.id, err, Math.max(1, attempts.failed)), unsupported };
  }
}

/** An item whose request (or scoring) failed: the error recorded on it, fatal when no retry can fix it. */
function failedResult(id: number, err: unknown, attempts: number): NonNullable<RunResult> {
  return {
    id,
    status: "failed",
    output: null,
    data: undefined,
    finishReason: null,
    latencyMs: null,
    promptTokens: null,
    completionTokens: null,
    error: err instanceof Error ? err.message : String(err),
    errorKind: isLlmError(err) ? err.kind : isScorerError(err) ? `scorer_${err.kind}` : "internal",
    attempts,
    scores: {},
    fatal: isFatal(err) || (isScorerError(err) && !err.retryable),
  };
}
