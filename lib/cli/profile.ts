// `lineage profile` and `lineage runs show|resume` (`runs list`: ./runs-list.ts)
import type { Database } from "@/lib/db/client";
import { findModel } from "@/lib/models/registry";
import { controlRun, createRun, firstItemErrors, runMetrics, runProgress } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { readSuite } from "@/lib/runs/suite";
import { formatProgress, waitForRun } from "@/lib/runs/wait";
import { startWorker } from "@/lib/runs/worker";
import { resolveAttributes } from "@/lib/attributes/store";
import { intOption, stringOption } from "./args";
import { cliAudit, withDatabase } from "./database";
import { type CliIO, EnvironmentError, UsageError } from "./io";
import type { Action } from "./program";

/** The summary line of --json: always the last line of stdout. Steps say why they did not complete. */
async function summary(db: Database, runId: string) {
  const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
  const progress = await runProgress(db, runId);
  const firstErrors = await firstItemErrors(db, runId);
  const steps = (progress?.benchmarks ?? []).map((b) => ({
    benchmark: b.benchmark,
    status: b.status,
    done: b.done,
    failed: b.failed,
    total: b.total,
    ...(b.reason ? { reason: b.reason } : {}),
    ...(firstErrors[b.benchmark] ? { firstError: firstErrors[b.benchmark] } : {}),
  }));
  const notes = (run.notes ?? "").split("\n").filter((l) => l.trim() !== "");
  return { run: runId, status: run.status, ...(run.error ? { error: run.error } : {}), steps, notes, metrics: await runMetrics(db, runId) };
}

/** A run that produced nothing usable: no step has a completed item. */
function producedNothing(s: Awaited<ReturnType<typeof summary>>): boolean {
  return s.steps.every((st) => st.done === 0);
}

/** Runs the queue in this process until the run stops, printing progress to stderr. */
async function waitHere(db: Database, runId: string, io: CliIO): Promise<string> {
  let failure: string | null = null;
  let jobEnded = () => {};
  const ended = new Promise<void>((resolve) => (jobEnded = resolve));
  const worker = await startWorker(db, {
    log: () => undefined,
    onJobError: (_kind, id, message) => void (id === runId && (failure = message)),
    onJobEnd: (_kind, id) => void (id === runId && jobEnded()),
  });
  let last = "";
  try {
    const p = await waitForRun(
      db,
      runId,
      (p) => {
        const line = formatProgress(p);
        if (line !== last) io.stderr.write(line + "\n");
        last = line;
      },
      1000,
      () => failure,
      ended,
    );
    // The failure could not be stored (a full disk): say it here, the run's status in the database lags behind.
    if (failure) throw new EnvironmentError(`run ${runId} stopped: ${failure}. Then: lineage runs resume ${runId} --wait`);
    return p.status;
  } finally {
    await worker.stop();
  }
}

async function finishOutput(db: Database, runId: string, io: CliIO, json: boolean, waited: boolean): Promise<number> {
  const s = await summary(db, runId);
  if (json) io.stdout.write(JSON.stringify(s) + "\n");
  else if (waited) {
    io.stdout.write(`run ${runId}: ${s.status}${s.error ? ` — ${s.error}` : ""}\n`);
    for (const st of s.steps) {
      if (st.status === "completed" && st.failed === 0) continue;
      const counts = `${st.done}/${st.total} done${st.failed ? `, ${st.failed} failed` : ""}`;
      io.stdout.write(`  step ${st.benchmark}: ${st.status} (${counts})${st.reason ? ` — ${st.reason}` : ""}\n`);
      if (st.firstError && !st.reason) io.stdout.write(`    first error: ${st.firstError}\n`);
    }
    for (const n of s.notes) io.stdout.write(`  note: ${n}\n`);
    for (const [k, v] of Object.entries(s.metrics)) io.stdout.write(`  ${k.padEnd(28)} ${v === null ? "null" : v.toPrecision(6)}\n`);
  }
  if (waited && s.status === "completed" && producedNothing(s)) io.stderr.write(`run ${runId} produced no result: every step failed or is unsupported\n`);
  return waited && (s.status !== "completed" || producedNothing(s)) ? 1 : 0;
}

export const profileAction: Action = async (opts, _args, io) => {
  const values = { wait: opts.wait === true, json: opts.json === true };
  const modelRef = String(stringOption(opts.model));
  const suiteRef = String(stringOption(opts.suite));
  const seed = intOption(opts.seed, "seed") ?? 0;
  // A bad suite, a missing or malformed data file: LineageErrors, whose kind gives the exit code (program.ts).
  const { suite, baseDir } = readSuite(suiteRef);
  return withDatabase(async (db) => {
    const resolved = await resolveSuite(suite, { baseDir, findAttributes: (refs) => resolveAttributes(db, refs) });
    const model = await findModel(db, modelRef);
    if (!model) throw new UsageError(`no model named or with id "${modelRef}" (see: lineage models list)`);
    if (!model.baseUrl || !model.servedModelId) throw new UsageError(`model "${model.name}" has no endpoint yet: add its base URL and served model id`);
    const runId = await createRun(db, model.id, resolved, { seed });
    await cliAudit(db, { action: "run.start", subjectType: "run", subjectId: runId, detail: { suite: suiteRef, model: model.name } });
    io.stdout.write(values.json ? "" : `${runId}\n`);
    if (!values.json) io.stderr.write(`started run ${runId} of ${model.name} (${resolved.steps.reduce((a, s) => a + s.items.length, 0)} items)\n`);
    if (values.wait) await waitHere(db, runId, io);
    return finishOutput(db, runId, io, !!values.json, !!values.wait);
  });
};

export const showRunAction: Action = async (opts, args, io) =>
  withDatabase(async (db) => {
    const runId = args[0];
    const run = await db.prisma.run.findUnique({ where: { id: runId } });
    if (!run) throw new UsageError(`no run with id ${runId} (see: lineage runs list)`);
    await finishOutput(db, runId, io, opts.json === true, true);
    return 0;
  });

export const resumeRunAction: Action = async (opts, args, io) =>
  withDatabase(async (db) => {
    const runId = args[0];
    const run = await db.prisma.run.findUnique({ where: { id: runId } });
    if (!run) throw new UsageError(`no run with id ${runId} (see: lineage runs list)`);
    if (run.status !== "completed") await controlRun(db, runId, "resume");
    if (opts.wait) await waitHere(db, runId, io);
    return finishOutput(db, runId, io, opts.json === true, opts.wait === true);
  });
