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
import { createScorer, scorerFromRow } from "@/lib/scorers/config";
import { findScorerByName, scorerKeyCipher } from "@/lib/scorers/registry";
import { isScorerError, type ToxicityScorer, type ScorerConfig } from "@/lib/scorers/types";
import { storeAggregates, storeMeanAggregates } from "./aggregates";
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
import { STEP_MODULES } from "./steps/modules";
import type { ExecContext, PendingItem, StepModule } from "./steps/types";
import type { StepBenchmark, TextualSnapshot } from "./suite";

type StepSnapshot = { benchmark: StepBenchmark; note?: string; [key: string]: unknown };

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
  const suite = run.suite as unknown as { benchmarks: StepSnapshot[] };
  for (const step of suite.benchmarks) {
    const bench = run.benchmarks.find((b) => b.benchmark === step.benchmark);
    if (bench?.status === "completed" || bench?.status === "unsupported") continue;
    if (typeof step.unavailable === "string") {
      // Its data was missing when the run was created: shown as failed with the reason; the other steps run.
      await markStepUnavailable(db, runId, step.benchmark, step.unavailable);
      continue;
    }
    const mod = step.benchmark === "textual" ? null : STEP_MODULES[step.benchmark];
    if (!mod && step.benchmark !== "textual") {
      await failStep(db, runId, step.benchmark, `this version of Lineage cannot execute the benchmark "${step.benchmark}"`);
      return "failed";
    }
    await startStep(db, runId, step.benchmark);
    let scorer: ToxicityScorer | undefined;
    if (mod) {
      let why = unsupportedReason(mod.capability === "generate" ? null : await capabilitiesOf(db, run.model, endpoint), mod.capability);
      if (!why && step.benchmark === "rtp_toxicity") {
        let config = (step.scorer ?? null) as ScorerConfig | null;
        if (!config && typeof step.scorerName === "string") {
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
    }
    const outcome = await executeStep(db, runId, endpoint, step, opts, mod, run.seed, scorer);
    if (outcome.kind === "stopped") return (await runStatus(db, runId)) as RunOutcome;
    if (outcome.kind === "unsupported") {
      await markStepUnsupported(db, runId, step.benchmark, `not supported by this endpoint: ${outcome.message}`);
      continue;
    }
    if (outcome.kind === "fatal") {
      await failStep(db, runId, step.benchmark, outcome.message);
      return "failed";
    }
    if (mod) await storeStepAggregates(db, runId, step, mod, run.seed);
    else await storeMeanAggregates(db, runId, step.benchmark, run.seed);
    await completeStep(db, runId, step.benchmark, typeof step.note === "string" ? step.note : null);
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

/** Benchmark-level aggregates from the step's completed items, in a stable (item key, sample) order. */
async function storeStepAggregates(db: Database, runId: string, step: StepSnapshot, mod: StepModule, seed: number): Promise<void> {
  const rows = await doneItems(db, runId, step.benchmark);
  await storeAggregates(db, runId, step.benchmark, mod.aggregate(rows, seed, step));
  // METRICS.md §2: when the endpoint gives the first token no log-prob, the run's notes say so; so do tokens
  // further in that came back without one (left out of the score, which a reader should know).
  type Scored = { skippedFirstToken?: string | null; nullTokens?: number; startToken?: string; uncoveredTail?: string };
  const options = rows
    .flatMap((r) => {
      const d = r.data as { options?: unknown[]; scored?: unknown[] } | null;
      return [...(d?.options ?? []), ...(d?.scored ?? [])];
    })
    .filter((o): o is Scored => typeof o === "object" && o !== null);
  const notes: string[] = [];
  if (options.some((o) => o.skippedFirstToken))
    notes.push(`${step.benchmark}: the endpoint returns no log-prob for the first token of a sentence, so sentence scores use the tokens after it (METRICS.md §2).`);
  const startTokens = [...new Set(options.map((o) => o.startToken).filter((t): t is string => !!t))];
  if (startTokens.length)
    notes.push(
      `${step.benchmark}: the endpoint echoes a start token (${startTokens.map((t) => JSON.stringify(t)).join(", ")}) before each text; it is not part of the text and not scored, and the first word, conditioned on it, is (METRICS.md §2).`,
    );
  const tails = options.filter((o) => o.uncoveredTail).length;
  if (tails) notes.push(`${step.benchmark}: ${tails} scored text(s) end in whitespace that a generated token ran over; those characters are not scored.`);
  const refused = await unalignedItems(db, runId, step.benchmark);
  if (refused.n) notes.push(`${step.benchmark}: ${refused.n} item(s) not scored because their echoed tokens could not be aligned to the text (e.g. ${refused.error}).`);
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
  step: StepSnapshot,
  opts: ExecuteOptions,
  mod: StepModule | null,
  seed: number,
  scorer: ToxicityScorer | undefined,
): Promise<StepOutcome> {
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
          const ctx: ExecContext = { endpoint, step, seed, signal: stop.signal, scorer, saveProgress };
          const run: Promise<RunResult> = mod ? runModuleItem(mod, ctx, item) : runItem(endpoint, step as unknown as TextualSnapshot, item, stop.signal);
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

async function runModuleItem(mod: StepModule, ctx: ExecContext, item: PendingItem): Promise<RunResult> {
  try {
    const r = await mod.execute(ctx, item);
    return {
      id: item.id,
      status: "done",
      output: r.output,
      data: r.data,
      finishReason: r.finishReason ?? null,
      latencyMs: r.latencyMs,
      promptTokens: r.promptTokens ?? null,
      completionTokens: r.completionTokens ?? null,
      error: null,
      errorKind: null,
      attempts: r.attempts,
      scores: r.scores,
      fatal: false,
    };
  } catch (err) {
    if (ctx.signal.aborted) return null;
    return { ...failedResult(item.id, err, 1), unsupported: isLlmError(err) && err.kind === "unsupported" };
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

async function runItem(
  endpoint: Endpoint,
  step: TextualSnapshot,
  item: { id: number; prompt: string; sampleIndex: number },
  signal: AbortSignal,
): Promise<RunResult> {
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
    return failedResult(item.id, err, Math.max(1, attempts));
  }
}
