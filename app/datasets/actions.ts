"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { formDataToObject, postedId, refuseWith, type ActionResult, type Notice } from "@/lib/forms";
import { controlDataset, createDataset, deleteDataset, findDataset, requestSelection, DatasetStateError, loadPromptSource, type PromptSource } from "@/lib/inheritance/datasets";
import { selectionWithDataset } from "@/lib/inheritance/selection";
import { checkTarget, validateDatasetSpec } from "@/lib/inheritance/spec";
import { resolveDatasetScorer } from "@/lib/inheritance/toxicity";
import { createDerivation } from "@/lib/models/lineage";

export type FormState = ActionResult<unknown> | null;

const MAX_UPLOAD = 50 * 1024 * 1024;

const numberOr = (d: number | undefined) =>
  z.preprocess((v) => (v === "" || v === undefined ? d : v), z.coerce.number({ message: "Enter a number." }).optional());
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "1", z.boolean());
const asArray = z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));

const formSchema = z.object({
  name: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(120, "At most 120 characters.")),
  promptSource: z.enum(["dolly200-test", "dolly200-val", "alpaca", "upload"], { message: "Choose a prompt set." }),
  limit: numberOr(undefined).pipe(z.number().int("A whole number.").min(1, "At least 1.").optional()),
  teacherIds: asArray,
  k: numberOr(undefined),
  mode: z.enum(["chat", "completion"], { message: "Choose chat or completion." }),
  template: z.string().default(""),
  temperature: numberOr(1),
  top_p: numberOr(0.95),
  max_tokens: numberOr(256),
  seed: numberOr(0),
  rule: z.enum(["best", "random"], { message: "Choose best-of-k or random." }),
  target: z.string().default(""),
  direction: z.preprocess((v) => (v === "max" || v === "min" ? v : null), z.enum(["max", "min"]).nullable()),
  confirmGreedy: checkbox,
  dropEmpty: checkbox,
  dropTruncated: checkbox,
  minWords: numberOr(0),
});

export async function createDatasetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = refuseWith(raw);
  const parsed = formSchema.safeParse(raw);
  if (!parsed.success) {
    const errs: Record<string, string> = {};
    for (const i of parsed.error.issues) errs[String(i.path[0])] ??= i.message;
    return fail(errs);
  }
  const v = parsed.data;
  let source: PromptSource;
  if (v.promptSource === "upload") {
    const file = form.get("promptFile");
    if (!(file instanceof File) || file.size === 0) return fail({ promptFile: "Choose a JSONL, JSON (Alpaca-style), CSV or TXT file of prompts." });
    if (file.size > MAX_UPLOAD) return fail({ promptFile: "The file is larger than 50 MB." });
    source = { source: "upload", name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), limit: v.limit };
  } else if (v.promptSource === "alpaca") source = { source: "alpaca", limit: v.limit };
  else source = { source: "dolly200", split: v.promptSource === "dolly200-val" ? "val" : "test", limit: v.limit };
  let loaded;
  try {
    loaded = await loadPromptSource(source);
  } catch (err) {
    const message = (err as Error).message;
    return v.promptSource === "upload" ? fail({ promptFile: message }) : fail({ promptSource: message });
  }
  const db = await getDatabase();
  const checked = await validateDatasetSpec(
    db,
    {
      name: v.name,
      teacherIds: v.teacherIds,
      k: v.k,
      mode: v.mode,
      template: v.template,
      decoding: { temperature: v.temperature, top_p: v.top_p, max_tokens: v.max_tokens },
      seed: v.seed,
      rule: v.rule,
      target: v.target,
      direction: v.rule === "best" ? v.direction : null,
      confirmGreedy: v.confirmGreedy,
      filters: { dropEmpty: v.dropEmpty, dropTruncated: v.dropTruncated, minWords: v.minWords },
    },
    loaded.prompts,
  );
  if (!checked.ok) {
    const { prompts, ...rest } = checked.fieldErrors;
    return fail(prompts ? { ...rest, [v.promptSource === "upload" ? "promptFile" : "promptSource"]: prompts } : rest);
  }
  const id = await createDataset(db, checked.value, loaded.prompts, loaded.description);
  revalidatePath("/datasets");
  redirect(`/datasets/${id}`);
}

export async function controlDatasetAction(_prev: Notice, form: FormData): Promise<Notice> {
  const id = postedId(form);
  const act = z.enum(["pause", "resume", "cancel", "retry-failed"]).safeParse(form.get("control"));
  if (!id || !act.success) return { ok: false, message: "Unknown dataset or control." };
  try {
    const status = await controlDataset(await getDatabase(), id, act.data);
    revalidatePath(`/datasets/${id}`);
    return { ok: true, message: `Dataset ${status}.` };
  } catch (err) {
    if (err instanceof DatasetStateError) return { ok: false, message: err.message };
    throw err;
  }
}

const id64 = z.string().min(1).max(64);
const reselectSchema = z.object({
  datasetId: id64,
  rule: z.enum(["best", "random"]).default("best"),
  target: z.string().max(100).default(""),
  direction: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["min", "max"]).optional()),
});
const registerSchema = z.object({ datasetId: id64, selectionId: id64 });

/** Re-selects over the stored candidates (no generation request) and shows the new selection. */
export async function reselectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = refuseWith(raw);
  const parsed = reselectSchema.safeParse(raw);
  if (!parsed.success) return fail({}, "This re-selection form is incomplete: reload the page.");
  const { datasetId, rule, target } = parsed.data;
  const direction = parsed.data.direction ?? null;
  const db = await getDatabase();
  const ds = await findDataset(db, datasetId);
  if (!ds) return fail({}, "This dataset no longer exists.");
  const scorer = (ds.decoding as { scorer?: unknown }).scorer ? { config: true, error: null } : await resolveDatasetScorer(db);
  const t = checkTarget(target, rule, rule === "best" ? direction : null, { scorer: !!scorer.config, scorerError: scorer.error });
  if (!t.ok) return fail({ [t.field!]: t.message! });
  if (ds.status !== "completed") return fail({}, "Re-selection needs a completed dataset.");
  const { selectionId } = await requestSelection(db, datasetId, { rule, target, direction: rule === "best" ? direction : null });
  redirect(`/datasets/${datasetId}?selection=${selectionId}`);
}

/** Records a student trained on a selection: the derivation links it to the dataset's teachers and method. */
export async function registerStudentAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = refuseWith(raw);
  const ids = registerSchema.safeParse(raw);
  if (!ids.success) return fail({}, "This form is incomplete: reload the page.");
  const { datasetId, selectionId } = ids.data;
  const db = await getDatabase();
  const sel = await selectionWithDataset(db, selectionId);
  if (!sel || sel.datasetId !== datasetId) return fail({}, "This selection no longer exists.");
  const r = await createDerivation(db, {
    studentId: raw.studentId,
    baseModelId: raw.baseModelId,
    teacherIds: sel.dataset.teachers.map((t) => t.teacherId),
    method: sel.rule === "best" ? "active" : "passive",
    targetMetric: sel.target ?? "",
    direction: sel.direction ?? "",
    k: String(sel.dataset.k),
    datasetId,
    datasetLabel: "",
    notes: typeof raw.notes === "string" ? raw.notes : "",
  });
  if (!r.ok) {
    // Errors about fields this form does not show (teachers, target) come from the dataset: say them at the top.
    const { studentId: se, baseModelId: be, notes: ne, ...other } = r.fieldErrors;
    const shown = Object.fromEntries(Object.entries({ studentId: se, baseModelId: be, notes: ne }).filter(([, m]) => m)) as Record<string, string>;
    return fail(shown, r.formError ?? Object.values(other)[0]);
  }
  const studentId = String(raw.studentId);
  revalidatePath(`/models/${studentId}`);
  redirect(`/models/${studentId}`);
}

export async function deleteDatasetAction(_prev: Notice, form: FormData): Promise<Notice> {
  const id = postedId(form);
  if (!id) return { ok: false, message: "Unknown dataset." };
  try {
    await deleteDataset(await getDatabase(), id);
  } catch (err) {
    if (err instanceof DatasetStateError) return { ok: false, message: err.message };
    throw err;
  }
  revalidatePath("/datasets");
  redirect("/datasets");
}
