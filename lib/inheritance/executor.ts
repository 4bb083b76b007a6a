// Executes a dataset: for every teacher (in parallel), requests the missing candidates of each prompt (never a
// completed or failed one) with n = k when all k are missing, scores each candidate's text as it arrives, and fills
// the dataset's selections once nothing is missing. Safe to stop at any moment (pause, cancel, kill -9): what was
// written stays, what was not is still missing and is requested on resume.
import { setMaxListeners } from "node:events";
import { CredentialError } from "@/lib/credentials";
import type { Database } from "@/lib/db/client";
import type { Model } from "@/lib/generated/prisma/client";
import { renderTemplate } from "@/lib/benchmarks/templates";
import { generate, type GenerateResult } from "@/lib/llm/generate";
import { isLlmError } from "@/lib/llm/errors";
import type { Endpoint } from "@/lib/llm/endpoint";
import { textMetrics } from "@/lib/metrics/text";
import { endpointOf, EndpointNotConfiguredError } from "@/lib/models/registry";
import { learningEndpoint } from "@/lib/runs/capabilities";
import { candidateWriter, type CandidateResult } from "./candidate-writer";
import { MAX_UNSTORED_MS, type BatchWriter } from "@/lib/db/batch-writer";
import { fillSelection } from "./selection";
import { completeRunningDataset, datasetForExecution, datasetSelections, datasetStatus, promptPage, setDatasetStatus } from "./store";
import { joinInstruction, readDatasetSettings, type DatasetDecoding } from "./spec";
import { countUnscored, isToxicityTarget, openScorer, resolveDatasetScorer, scoreMissing } from "./toxicity";
import { scoreMissingAttribute } from "./attribute-scores";
import { findVersion } from "@/lib/attributes/store";

export type DatasetOutcome = "completed" | "paused" | "cancelled" | "failed" | "gone";

function isFatal(err: unknown): boolean {
  return isLlmError(err) && !err.retryable && ["auth", "not_found", "bad_request", "unsupported"].includes(err.kind);
}

/** The text sent for a prompt: the template with {prompt} (instruction and input joined), {instruction}, {input}. */
export function renderDatasetPrompt(template: string, p: { prompt: string; input: string }): string {
  return renderTemplate(template, { prompt: joinInstruction(p), instruction: p.prompt, input: p.input });
}

export interface ExecuteDatasetOptions {
  signal?: AbortSignal;
  controlPollMs?: number;
}

interface Settings {
  template: string;
  mode: "chat" | "completion";
  decoding: DatasetDecoding;
  k: number;
  /** Ask one sample per request: per-candidate token counts are only known then. */
  perSampleUsage: boolean;
}

export async function executeDataset(db: Database, datasetId: string, opts: ExecuteDatasetOptions = {}): Promise<DatasetOutcome> {
  const ds = await datasetForExecution(db, datasetId);
  if (!ds) return "gone";
  if (ds.status === "paused" || ds.status === "cancelled" || ds.status === "completed") return ds.status;
  const endpoints: { teacher: Model; endpoint: Endpoint }[] = [];
  try {
    for (const t of ds.teachers) endpoints.push({ teacher: t.teacher, endpoint: learningEndpoint(db, t.teacher.id, endpointOf(t.teacher)) });
  } catch (err) {
    if (err instanceof EndpointNotConfiguredError || err instanceof CredentialError) {
      await setDatasetStatus(db, datasetId, "failed", (err as Error).message);
      return "failed";
    }
    throw err;
  }
  await setDatasetStatus(db, datasetId, "running");
  const stored = readDatasetSettings(ds);
  const settings: Settings = {
    template: ds.template,
    mode: ds.mode === "completion" ? "completion" : "chat",
    decoding: stored.decoding,
    k: ds.k,
    perSampleUsage: ds.selections[0]?.target === "length_tokens",
  };

  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onOuterAbort);
  const poll = setInterval(async () => {
    try {
      if ((await datasetStatus(db, datasetId)) !== "running") stop.abort();
    } catch {
      /* the next poll tries again */
    }
  }, opts.controlPollMs ?? 1000);
  const writer = candidateWriter(db, datasetId);
  let fatal: string | null = null;
  const onFatal = (message: string) => {
    if (!fatal) fatal = message;
    stop.abort();
  };
  try {
    await Promise.all(endpoints.map((e) => executeTeacher(db, datasetId, e.teacher, e.endpoint, settings, writer, stop.signal, onFatal)));
    await writer.flush();
    // A toxicity selection needs every candidate scored: only the unscored ones are sent to the scorer.
    const selections = await datasetSelections(db, datasetId);
    // Custom attributes: each version's missing scores (cached per candidate, so a resume asks only for those).
    for (const versionId of new Set(selections.flatMap((x) => (x.attributeVersionId ? [x.attributeVersionId] : [])))) {
      if (fatal || stop.signal.aborted) break;
      const attribute = await findVersion(db, versionId);
      if (!attribute) continue;
      try {
        await scoreMissingAttribute(db, datasetId, attribute, { signal: stop.signal });
      } catch (err) {
        fatal = `attribute ${attribute.name} v${attribute.version}: ${(err as Error).message} — resume to score the rest`;
      }
    }
    if (!fatal && !stop.signal.aborted && selections.some((x) => isToxicityTarget(x.target)) && (await countUnscored(db, datasetId)) > 0) {
      let config = stored.decoding.scorer ?? null;
      if (!config) config = (await resolveDatasetScorer(db)).config;
      if (!config) fatal = "A toxicity target needs a toxicity scorer and none is configured: set LINEAGE_SCORER or add a scorer, then resume.";
      else {
        try {
          await scoreMissing(db, datasetId, await openScorer(db, config), stop.signal);
        } catch (err) {
          fatal = `toxicity scorer ${config.name}: ${(err as Error).message} — resume to score the rest`;
        }
      }
    }
  } finally {
    clearInterval(poll);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
  if (fatal) {
    await setDatasetStatus(db, datasetId, "failed", fatal);
    return "failed";
  }
  if (stop.signal.aborted) return ((await datasetStatus(db, datasetId)) ?? "gone") as DatasetOutcome;
  // Selections are computed from what is stored, before the dataset shows as completed.
  for (const s of await datasetSelections(db, datasetId)) await fillSelection(db, s.id);
  return ((await completeRunningDataset(db, datasetId)) ?? "gone") as DatasetOutcome;
}

interface PendingGroup {
  promptId: number;
  prompt: string;
  input: string;
  /** Sample indexes without a done or failed candidate, ascending. */
  samples: number[];
}

/** Prompts per page: the next page is read while the last groups of the previous one are still in flight. */
const PAGE = 500;

async function executeTeacher(
  db: Database,
  datasetId: string,
  teacher: Model,
  endpoint: Endpoint,
  s: Settings,
  writer: BatchWriter<CandidateResult>,
  signal: AbortSignal,
  onFatal: (message: string) => void,
): Promise<void> {
  // Groups in flight: enough to keep the endpoint's limiter full whether a group is one request (n = k) or k.
  const window = Math.max(2, endpoint.concurrency * 2);
  let afterPrompt = 0;
  // One count across pages (pages go by prompt id, so a missing candidate in flight is never fetched twice); a
  // settled group wakes the loop when it waits for room.
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  const settled = () => {
    inFlight--;
    const w = wake;
    wake = null;
    w?.();
  };
  const room = (limit: number) =>
    new Promise<void>((resolve) => {
      const check = () => (inFlight < limit ? resolve() : (wake = check));
      check();
    });
  try {
    while (!signal.aborted && failure === null) {
      const rows = await promptPage(db, datasetId, teacher.id, afterPrompt, PAGE);
      if (rows.length === 0) break;
      afterPrompt = Number(rows[rows.length - 1].promptId);
      for (const r of rows) {
        if (signal.aborted || failure !== null) break;
        const have = new Set((r.have ?? []).map(Number));
        const samples: number[] = [];
        for (let i = 0; i < s.k; i++) if (!have.has(i)) samples.push(i);
        if (samples.length === 0) continue;
        // While the database lags behind, no new request: bounds what a crash loses.
        if (writer.unstoredAgeMs() > MAX_UNSTORED_MS) await writer.waitUntilStored(MAX_UNSTORED_MS);
        const group: PendingGroup = { promptId: Number(r.promptId), prompt: r.prompt, input: r.input, samples };
        inFlight++;
        runGroup(endpoint, teacher.id, s, group, signal)
          .then((out) => {
            if (out === null) return; // aborted: the candidates stay missing
            if (out.fatal) onFatal(out.fatal);
            writer.add(...out.results);
          })
          .catch((err) => {
            // A failed write: stop every teacher now (their results could not be stored), then let what is in
            // flight settle.
            if (failure === null) onFatal(err instanceof Error ? err.message : String(err));
            failure ??= err;
          })
          .finally(settled);
        if (inFlight >= window) await room(window);
      }
    }
    await room(1);
    if (failure !== null) throw failure;
  } catch (err) {
    // A failed page query or write: let what is in flight settle before giving up, so nothing runs on after.
    onFatal(err instanceof Error ? err.message : String(err));
    await room(1);
    throw err;
  }
}

async function runGroup(
  endpoint: Endpoint,
  teacherId: string,
  s: Settings,
  g: PendingGroup,
  signal: AbortSignal,
): Promise<{ results: CandidateResult[]; fatal: string | null } | null> {
  const prompt = renderDatasetPrompt(s.template, g);
  const full = !s.perSampleUsage && g.samples.length === s.k && g.samples.every((x, i) => x === i);
  // All k missing: one request with n = k (generate falls back to k requests itself). A partial group (after a
  // retry) asks each missing sample with its own seed, seed + sample index, as generate's fallback does.
  const calls = full ? [{ samples: g.samples, seed: s.decoding.seed }] : g.samples.map((x) => ({ samples: [x], seed: s.decoding.seed + x }));
  const results: CandidateResult[] = [];
  let fatal: string | null = null;
  await Promise.all(
    calls.map(async (c) => {
      let lastError: { message: string; kind: string } | null = null;
      let attempts = 0;
      let r: GenerateResult;
      try {
        r = await generate(
          endpoint,
          {
            mode: s.mode,
            prompt,
            temperature: s.decoding.temperature,
            top_p: s.decoding.top_p,
            max_tokens: s.decoding.max_tokens,
            seed: c.seed,
            n: c.samples.length,
          },
          {
            signal,
            onAttempt: (a) => {
              attempts++;
              lastError = { message: `attempt ${a.attempt}: ${a.error.message}`, kind: a.error.kind };
            },
          },
        );
      } catch (err) {
        if (signal.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        if (isFatal(err)) fatal = message;
        for (const sampleIndex of c.samples)
          results.push({
            promptId: g.promptId,
            teacherId,
            sampleIndex,
            status: "failed",
            output: null,
            finishReason: null,
            scores: null,
            latencyMs: null,
            completionTokens: null,
            error: message,
            errorKind: isLlmError(err) ? err.kind : "internal",
            attempts: Math.max(1, attempts),
          });
        return;
      }
      const single = c.samples.length === 1;
      c.samples.forEach((sampleIndex, i) => {
        const out = r.outputs[i];
        const text = out?.text ?? "";
        const tokens = single && r.usage ? r.usage.completionTokens : null;
        const le = lastError as { message: string; kind: string } | null;
        results.push({
          promptId: g.promptId,
          teacherId,
          sampleIndex,
          status: "done",
          output: text,
          finishReason: out?.finishReason ?? null,
          scores: { ...textMetrics(text), length_tokens: tokens },
          latencyMs: r.latencyMs,
          completionTokens: tokens,
          error: le?.message ?? null,
          errorKind: le?.kind ?? null,
          attempts: r.attempts,
        });
      });
    }),
  );
  if (signal.aborted && results.length === 0) return null;
  return { results, fatal };
}
