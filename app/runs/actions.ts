"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { echoValues, formDataToObject, type ActionResult } from "@/lib/forms";
import { importGenerations, ImportFormatError, parseGenerations } from "@/lib/runs/import-generations";
import { parsePromptList } from "@/lib/benchmarks/prompt-lists";
import { controlRun, createRun, RunStateError, type RunControl } from "@/lib/runs/runs";
import { parseSuite, resolveSuite, SuiteError } from "@/lib/runs/suite";

export type FormState = ActionResult<unknown> | null;

const MAX_UPLOAD = 50 * 1024 * 1024;

const numberOr = (d: number | undefined) =>
  z.preprocess((v) => (v === "" || v === undefined ? d : v), z.coerce.number({ message: "Enter a number." }).optional());

const newRunSchema = z.object({
  modelId: z.string({ message: "Choose a model." }).min(1, "Choose a model."),
  name: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(120)),
  promptSource: z.enum(["dolly200-test", "dolly200-val", "upload"], { message: "Choose a prompt set." }),
  limit: numberOr(undefined).pipe(z.number().int("A whole number.").min(1, "At least 1.").optional()),
  samples: numberOr(1).pipe(z.number().int("A whole number.").min(1, "At least 1.").max(100, "At most 100.")),
  mode: z.enum(["completion", "chat"]),
  template: z.string().min(1, "The template needs {prompt}.").refine((t) => t.includes("{prompt}"), "The template needs {prompt}."),
  temperature: numberOr(0).pipe(z.number().min(0, "0 to 2.").max(2, "0 to 2.")),
  top_p: numberOr(1).pipe(z.number().gt(0, "Above 0, at most 1.").max(1, "Above 0, at most 1.")),
  max_tokens: numberOr(256).pipe(z.number().int("A whole number.").min(1, "At least 1.").max(32768, "At most 32768.")),
  seed: numberOr(undefined).pipe(z.number().int("A whole number.").optional()),
});

export async function createRunAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = (fieldErrors: Record<string, string>, formError?: string): FormState => ({ ok: false, fieldErrors, formError, values: echoValues(raw) });
  const parsed = newRunSchema.safeParse(raw);
  if (!parsed.success) {
    const errs: Record<string, string> = {};
    for (const i of parsed.error.issues) errs[String(i.path[0])] ??= i.message;
    return fail(errs);
  }
  const v = parsed.data;
  const db = await getDatabase();
  const model = await db.prisma.model.findUnique({ where: { id: v.modelId } });
  if (!model) return fail({ modelId: "This model no longer exists." });
  if (!model.baseUrl || !model.servedModelId) return fail({ modelId: `${model.name} has no endpoint yet: add its base URL first.` });
  let prompts;
  if (v.promptSource === "upload") {
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
  let resolved;
  try {
    resolved = await resolveSuite(
      parseSuite({
        name: v.name || `textual · ${prompts.source === "inline" ? prompts.name : "Dolly-200"}`,
        benchmarks: [
          {
            benchmark: "textual",
            prompts,
            limit: v.limit,
            samples: v.samples,
            mode: v.mode,
            template: v.template,
            decoding: { temperature: v.temperature, top_p: v.top_p, max_tokens: v.max_tokens, ...(v.seed !== undefined ? { seed: v.seed } : {}) },
          },
        ],
      }),
    );
  } catch (err) {
    if (err instanceof SuiteError) return fail({}, err.message);
    return fail({}, (err as Error).message);
  }
  const runId = await createRun(db, model.id, resolved, { name: v.name || undefined });
  revalidatePath("/runs");
  redirect(`/runs/${runId}`);
}

export async function controlRunAction(runId: string, action: RunControl): Promise<{ ok: boolean; message: string }> {
  const id = z.string().min(1).max(64).parse(runId);
  const act = z.enum(["pause", "resume", "cancel", "retry-failed"]).parse(action);
  try {
    const status = await controlRun(await getDatabase(), id, act);
    revalidatePath(`/runs/${id}`);
    return { ok: true, message: `Run ${status}.` };
  } catch (err) {
    if (err instanceof RunStateError) return { ok: false, message: err.message };
    throw err;
  }
}

export async function importGenerationsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const fail = (fieldErrors: Record<string, string>): FormState => ({ ok: false, fieldErrors, values: echoValues(raw) });
  const modelId = typeof raw.modelId === "string" ? raw.modelId : "";
  const db = await getDatabase();
  const model = modelId ? await db.prisma.model.findUnique({ where: { id: modelId } }) : null;
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
