// `lineage distill`: builds an active-inheritance dataset (the same job as /datasets/new) with an in-process worker,
// waits for it, and writes the selected set as JSON Lines. Everything checkable is checked before any request.
import fs from "node:fs";
import path from "node:path";
import { parsePromptList } from "@/lib/benchmarks/prompt-lists";
import { formatPctOnScreen } from "@/lib/export/format";
import type { Database } from "@/lib/db/client";
import { createDataset, datasetProgress, promptsFromList, type DatasetProgress } from "@/lib/inheritance/datasets";
import { candidateLines, datasetCard, isExportFormat, EXPORT_FORMATS, selectionLines } from "@/lib/inheritance/export";
import { selectionReport } from "@/lib/inheritance/report";
import { checkTarget, isSelectDirection, validateDatasetSpec, type DatasetSpecInput } from "@/lib/inheritance/spec";
import { isAttributeTarget } from "@/lib/inheritance/attribute-target";
import { startWorker } from "@/lib/runs/worker";
import { createHash } from "node:crypto";
import { intOption, numberOption, stringOption } from "./args";
import { cliAudit, withDatabase } from "./database";
import { type CliIO, EnvironmentError, UsageError, writeChunks, writeChunksToFile } from "./io";
import type { Action } from "./program";

const TERMINAL = new Set(["completed", "failed", "cancelled", "paused"]);

function formatProgress(p: DatasetProgress): string {
  const teachers = p.teachers.map((t) => `${t.teacher} ${t.done}/${t.total}${t.failed ? ` (${t.failed} failed)` : ""}`).join(" · ");
  const rate = p.throughput ? ` · ${p.throughput.toFixed(1)} candidates/s` : "";
  return `[${p.status}] ${teachers}${rate}`;
}

/** Runs the queue in this process until the dataset stops, printing progress to stderr. */
export async function waitForDataset(db: Database, datasetId: string, io: Pick<CliIO, "stderr">, pollMs = 500): Promise<string> {
  // A failure the worker could not store (a full disk) ends the wait too, as for `profile --wait`.
  let failure: string | null = null;
  const worker = await startWorker(db, {
    log: () => undefined,
    pollMs: 100,
    onJobError: (_kind, id, message) => void (id === datasetId && (failure = message)),
  });
  let last = "";
  try {
    for (;;) {
      if (failure) throw new EnvironmentError(`dataset ${datasetId} stopped: ${failure}`);
      const p = await datasetProgress(db, datasetId);
      if (!p) throw new Error(`dataset ${datasetId} no longer exists`);
      const line = formatProgress(p);
      if (line !== last) io.stderr.write(line + "\n");
      last = line;
      if (TERMINAL.has(p.status)) return p.status;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await worker.stop();
  }
}

export const distillAction: Action = async (opts, _args, io) => {
  const str = (k: string) => stringOption(opts[k]);
  const values = {
    teachers: str("teachers"),
    prompts: str("prompts"),
    k: str("k"),
    target: str("target"),
    direction: str("direction"),
    "target-value": str("targetValue"),
    out: str("out"),
    format: str("format"),
    selection: str("selection"),
    "confirm-greedy": opts.confirmGreedy === true,
    mode: str("mode"),
    template: str("template"),
    temperature: str("temperature"),
    "top-p": str("topP"),
    "max-tokens": str("maxTokens"),
    seed: str("seed"),
    limit: str("limit"),
    "min-words": str("minWords"),
    "drop-truncated": opts.dropTruncated === true,
    "keep-empty": opts.keepEmpty === true,
    candidates: str("candidates"),
    card: str("card"),
    name: str("name"),
    json: opts.json === true,
  };
  // Checks that need neither the database nor a request come first.
  const teacherRefs = String(values.teachers)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (teacherRefs.length === 0) throw new UsageError(`--teachers names no model`);
  const promptsFile = String(values.prompts);
  const k = intOption(String(values.k), "k") ?? 0;
  if (k < 1) throw new UsageError(`--k must be at least 1 (got ${k})`);
  const target = String(values.target);
  const rule = values.selection ?? "best";
  if (rule !== "best" && rule !== "random") throw new UsageError(`--selection must be best or random (got "${rule}")`);
  const direction = values.direction ?? null;
  if (direction !== null && !isSelectDirection(direction)) throw new UsageError(`--direction must be max, min or closest (got "${direction}")`);
  if (rule === "best" && !direction) throw new UsageError(`--direction is required with best-of-k selection`);
  const targetValue = numberOption(values["target-value"], "target-value") ?? null;
  // Whether a toxicity scorer is configured, and a custom attribute's definition and judge, are checked with the
  // database (validateDatasetSpec).
  if (!isAttributeTarget(target)) {
    const t = checkTarget(target, rule, direction, { scorer: true });
    if (!t.ok) throw new UsageError(t.message!);
  }
  const format = values.format ?? "chat";
  if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")} (got "${format}")`);
  const mode = values.mode ?? "chat";
  if (mode !== "chat" && mode !== "completion") throw new UsageError(`--mode must be chat or completion (got "${mode}")`);
  if (!fs.existsSync(promptsFile)) throw new UsageError(`prompt file not found: ${promptsFile}`);
  let prompts = promptsFromList(parsePromptList(fs.readFileSync(promptsFile), path.basename(promptsFile)));
  const limit = intOption(values.limit, "limit");
  if (limit !== undefined && limit < 1) throw new UsageError(`--limit must be at least 1`);
  if (limit) prompts = prompts.slice(0, limit);
  if (prompts.length === 0) throw new UsageError(`the prompt file ${promptsFile} holds no prompt`);
  const spec: DatasetSpecInput = {
    name: values.name ?? "",
    teacherIds: teacherRefs,
    k,
    mode,
    template: values.template ?? "{prompt}",
    decoding: {
      temperature: numberOption(values.temperature, "temperature") ?? 1,
      top_p: numberOption(values["top-p"], "top-p") ?? 0.95,
      max_tokens: intOption(values["max-tokens"], "max-tokens") ?? 256,
    },
    seed: intOption(values.seed, "seed") ?? 0,
    rule,
    target,
    direction: rule === "best" ? direction : null,
    targetValue,
    confirmGreedy: !!values["confirm-greedy"],
    filters: { dropEmpty: !values["keep-empty"], dropTruncated: !!values["drop-truncated"], minWords: intOption(values["min-words"], "min-words") ?? 0 },
  };
  return withDatabase(async (db) => {
    const v = await validateDatasetSpec(db, spec, prompts);
    if (!v.ok)
      throw new UsageError(
        Object.entries(v.fieldErrors)
          .map(([f, m]) => (f === "confirmGreedy" ? `${m} (--confirm-greedy)` : `${f}: ${m}`))
          .join("; "),
      );
    const description = {
      source: "file" as const,
      name: path.basename(promptsFile),
      count: prompts.length,
      ...(limit ? { limit } : {}),
      sha256: createHash("sha256").update(JSON.stringify(prompts)).digest("hex"),
    };
    const datasetId = await createDataset(db, v.value, prompts, description);
    await cliAudit(db, { action: "dataset.start", subjectType: "dataset", subjectId: datasetId, detail: { k } });
    io.stderr.write(`started dataset ${datasetId}: ${prompts.length} prompts × k ${k} × ${v.value.teachers.length} teacher(s)\n`);
    const status = await waitForDataset(db, datasetId, io);
    const ds = await db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
    if (status !== "completed") {
      io.stderr.write(`dataset ${datasetId}: ${status}${ds.error ? ` — ${ds.error}` : ""}\n`);
      if (values.json) io.stdout.write(JSON.stringify({ dataset: datasetId, status, error: ds.error }) + "\n");
      return 1;
    }
    const sel = await db.prisma.selection.findFirstOrThrow({ where: { datasetId }, orderBy: { createdAt: "asc" } });
    const report = await selectionReport(db, sel.id, { wins: 0 });
    if (values.out) await writeChunksToFile(values.out, selectionLines(db, sel.id, format));
    else if (!values.json) await writeChunks(io.stdout, selectionLines(db, sel.id, format));
    if (values.candidates) await writeChunksToFile(values.candidates, candidateLines(db, datasetId, sel.id));
    if (values.card) fs.writeFileSync(values.card, await datasetCard(db, datasetId, report));
    const summary = {
      dataset: datasetId,
      status,
      selected: report?.selected.count ?? 0,
      target: sel.target ?? target,
      ...(report?.attribute ? { attribute: `${report.attribute.name}@${report.attribute.version}` } : {}),
      direction: sel.direction,
      ...(sel.direction === "closest" ? { targetValue: sel.targetValue } : {}),
      mean: { all: report?.all.mean ?? null, random: report?.random.mean ?? null, selected: report?.selected.mean ?? null },
      changeVsRandom: report?.changeVsRandom ?? null,
      ...(ds.error ? { note: ds.error } : {}),
    };
    if (values.json) io.stdout.write(JSON.stringify(summary) + "\n");
    else {
      const f = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toPrecision(5));
      io.stderr.write(
        `dataset ${datasetId}: ${summary.selected} selected · ${target} mean all ${f(summary.mean.all)} · random ${f(summary.mean.random)} · selected ${f(summary.mean.selected)}` +
          ` (${formatPctOnScreen(summary.changeVsRandom)} vs random)${values.out ? ` → ${values.out}` : ""}\n`,
      );
    }
    if (summary.selected === 0) {
      // Nothing to fine-tune on: a script must not carry on as if a dataset had been built.
      io.stderr.write(
        `dataset ${datasetId}: no candidate was selected${ds.error ? ` (${ds.error})` : ""}; its page on the dashboard (/datasets/${datasetId}) lists the failed candidates\n`,
      );
      return 1;
    }
    return 0;
  });
};
