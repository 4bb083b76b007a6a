"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { formDataToObject, postedId, refuseWith, type ActionResult, type Notice } from "@/lib/forms";
import { importGenerations, ImportFormatError, parseGenerations } from "@/lib/runs/import-generations";
import { importToolkitResults, parseToolkitResults, ToolkitFormatError } from "@/lib/runs/import-toolkit";
import { parsePromptList } from "@/lib/benchmarks/prompt-lists";
import { QA_TEMPLATE } from "@/lib/benchmarks/templates";
import { controlRun, createRun, RunStateError } from "@/lib/runs/runs";
import { BUILTIN_SUITES, parseSuite, resolveSuite, STEP_BENCHMARKS, SuiteError, type SuiteSpec } from "@/lib/runs/suite";
import { getModelRow } from "@/lib/models/registry";
import { scorerFromRow } from "@/lib/scorers/config";
import { findScorerByName } from "@/lib/scorers/registry";
import type { ScorerConfig } from "@/lib/scorers/types";

export type FormState = ActionResult<unknown> | null;

const MAX_UPLOAD = 50 * 1024 * 1024;

const numberOr = (d: number | undefined) =>
  z.preprocess((v) => (v === "" || v === undefined ? d : v), z.coerce.number({ message: "Enter a number." }).optional());

const newRunSchema = z.object({
  suite: z.enum(["textual", "quick", "paper", "custom"], { message: "Choose a suite." }).default("textual"),
  benchmarks: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(STEP_BENCHMARKS))),
  benchLimit: numberOr(undefined).pipe(z.number().int("A whole number.").min(1, "At least 1.").optional()),
  scorerName: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(120)),
  modelId: z.string({ message: "Choose a model." }).min(1, "Choose a model."),
  name: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(120)),
  // Absent when the textual fields are hidden (quick, paper, custom without textual): the suite's defaults apply.
  promptSource: z.enum(["dolly200-test", "dolly200-val", "upload"], { message: "Choose a prompt set." }).default("dolly200-test"),
  limit: numberOr(undefined).pipe(z.number().int("A whole number.").min(1, "At least 1.").optional()),
  samples: numberOr(1).pipe(z.number().int("A whole number.").min(1, "At least 1.").max(100, "At most 100.")),
  mode: z.enum(["completion", "chat"]).default("completion"),
  template: z.string().default(QA_TEMPLATE).pipe(z.string().min(1, "The template needs {prompt}.").refine((t) => t.includes("{prompt}"), "The template needs {prompt}.")),
  temperature: numberOr(0).pipe(z.number().min(0, "0 to 2.").max(2, "0 to 2.")),
  top_p: numberOr(1).pipe(z.number().gt(0, "Above 0, at most 1.").max(1, "Above 0, at most 1.")),
  max_tokens: numberOr(256).pipe(z.number().int("A whole number.").min(1, "At least 1.").max(32768, "At most 32768.")),
  seed: numberOr(undefined).pipe(z.number().int("A whole number.").optional()),
});

export async function createRunAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = refuseWith(raw);
  const parsed = newRunSchema.safeParse(raw);
  if (!parsed.success) {
    const errs: Record<string, string> = {};
    for (const i of parsed.error.issues) errs[String(i.path[0])] ??= i.message;
    return fail(errs);
  }
  const v = parsed.data;
  const db = await getDatabase();
  const model = await getModelRow(db, v.modelId);
  if (!model) return fail({ modelId: "This model no longer exists." });
  if (!model.baseUrl || !model.servedModelId) return fail({ modelId: `${model.name} has no endpoint yet: add its base URL first.` });
  if (v.suite === "custom" && v.benchmarks.length === 0) return fail({ benchmarks: "Choose at least one benchmark." });
  let scorer: ScorerConfig | undefined;
  if (v.scorerName) {
    const row = await findScorerByName(db, v.scorerName);
    if (!row) return fail({ scorerName: `No scorer named "${v.scorerName}".` });
    try {
      scorer = scorerFromRow(row);
    } catch (err) {
      return fail({ scorerName: (err as Error).message });
    }
  }
  const needsTextual = v.suite === "textual" || (v.suite === "custom" && v.benchmarks.includes("textual"));
  let prompts;
  if (!needsTextual) {
    prompts = { source: "dolly200" as const, split: "test" as const };
  } else if (v.promptSource === "upload") {
    const file = form.get("promptFile");
    if (!(file instanceof File) || file.size === 0) return fail({ promptFile: "Choose a JSONL, CSV or TXT file of prompts." });
    if (file.size > MAX_UPLOAD) return fail({ promptFile: "The file is larger than 50 MB." });
    try {
      const items = parsePromptList(new Uint8Array(await file.arrayBuffer()), file.name);
      prompts = { source: "inline" as const, name: file.name, items: items.map((p) => ({ key: p.key, prompt: p.prompt })) };
    } catch (err) {
      return fail({ promptFile: (err as Error).message });
    }
  } else {
    prompts = { source: "dolly200" as const, split: v.promptSource === "dolly200-val" ? ("val" as const) : ("test" as const) };
  }
  const textualStep = {
    benchmark: "textual" as const,
    prompts,
    limit: v.limit,
    samples: v.samples,
    mode: v.mode,
    template: v.template,
    decoding: { temperature: v.temperature, top_p: v.top_p, max_tokens: v.max_tokens, ...(v.seed !== undefined ? { seed: v.seed } : {}) },
  };
  let spec: SuiteSpec;
  if (v.suite === "quick" || v.suite === "paper") spec = { ...BUILTIN_SUITES[v.suite], name: v.name || BUILTIN_SUITES[v.suite].name };
  else if (v.suite === "custom")
    spec = {
      name: v.name || `custom · ${v.benchmarks.join(", ")}`,
      benchmarks: v.benchmarks.map((b) =>
        b === "textual" ? textualStep : { benchmark: b, ...(v.benchLimit ? { limit: v.benchLimit, sample: "seeded" as const } : {}) },
      ),
    };
  else spec = { name: v.name || `textual · ${prompts.source === "inline" ? prompts.name : "Dolly-200"}`, benchmarks: [textualStep] };
  let resolved;
  try {
    // From the browser a missing data file does not block the other benchmarks: the step says what is missing.
    resolved = await resolveSuite(parseSuite(spec), { onMissingData: "skip", ...(scorer ? { scorer } : {}) });
  } catch (err) {
    if (err instanceof SuiteError) return fail({}, err.message);
    return fail({}, (err as Error).message);
  }
  const runId = await createRun(db, model.id, resolved, { name: v.name || undefined });
  revalidatePath("/runs");
  redirect(`/runs/${runId}`);
}

export async function controlRunAction(_prev: Notice, form: FormData): Promise<Notice> {
  const id = postedId(form);
  const act = z.enum(["pause", "resume", "cancel", "retry-failed"]).safeParse(form.get("control"));
  if (!id || !act.success) return { ok: false, message: "Unknown run or control." };
  try {
    const status = await controlRun(await getDatabase(), id, act.data);
    revalidatePath(`/runs/${id}`);
    return { ok: true, message: `Run ${status}.` };
  } catch (err) {
    if (err instanceof RunStateError) return { ok: false, message: err.message };
    throw err;
  }
}

export async function importGenerationsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = refuseWith(raw);
  const modelId = typeof raw.modelId === "string" ? raw.modelId : "";
  const db = await getDatabase();
  const model = modelId ? await getModelRow(db, modelId) : null;
  if (!model) return fail({ modelId: "Choose the model that wrote these generations." });
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return fail({ file: "Choose a JSON Lines file of {\"prompt\", \"output\"} records." });
  if (file.size > MAX_UPLOAD) return fail({ file: "The file is larger than 50 MB." });
  let generations;
  try {
    generations = parseGenerations(await file.text(), file.name);
  } catch (err) {
    if (err instanceof ImportFormatError) return fail({ file: err.message });
    throw err;
  }
  const name = typeof raw.name === "string" && raw.name.trim() ? raw.name.trim().slice(0, 120) : `imported ${file.name}`;
  const runId = await importGenerations(db, model.id, generations, { name, file: file.name });
  revalidatePath("/runs");
  redirect(`/runs/${runId}`);
}

export async function importToolkitAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = refuseWith(raw);
  const modelId = typeof raw.toolkitModelId === "string" ? raw.toolkitModelId : "";
  const db = await getDatabase();
  const model = modelId ? await getModelRow(db, modelId) : null;
  if (!model) return fail({ toolkitModelId: "Choose the model these results are of." });
  const files = form.getAll("files").filter((f): f is File => f instanceof File && f.size > 0);
  if (files.length === 0) return fail({ files: "Choose the result files of one experiment folder." });
  if (files.reduce((a, f) => a + f.size, 0) > 4 * MAX_UPLOAD) return fail({ files: "The files are larger than 200 MB together." });
  const texts: Record<string, string> = {};
  for (const f of files) texts[f.name.split(/[\\/]/).pop()!] = await f.text();
  let parsed;
  try {
    parsed = parseToolkitResults(texts);
  } catch (err) {
    if (err instanceof ToolkitFormatError) return fail({ files: err.message });
    throw err;
  }
  const name = typeof raw.toolkitName === "string" && raw.toolkitName.trim() ? raw.toolkitName.trim().slice(0, 120) : undefined;
  const experiment = parsed.metadata && typeof parsed.metadata.experiment_dir === "string" ? parsed.metadata.experiment_dir : undefined;
  const runId = await importToolkitResults(db, model.id, parsed, { name, folder: experiment || undefined });
  revalidatePath("/runs");
  redirect(`/runs/${runId}`);
}
