"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, onField, reportAction, type FormState } from "@/lib/actions";
import { parsePromptList } from "@/lib/benchmarks/prompt-lists";
import { getDatabase } from "@/lib/db/client";
import { resolveAttributes } from "@/lib/attributes/store";
import { badInput, LineageError } from "@/lib/errors";
import { MAX_UPLOAD_BYTES, postedFile, postedFiles, recordId, formList, formText } from "@/lib/forms";
import { getModelRow } from "@/lib/models/registry";
import { importGenerations, parseGenerations } from "@/lib/runs/import-generations";
import { importToolkitResults, parseToolkitResults } from "@/lib/runs/import-toolkit";
import { JOB_CONTROLS } from "@/lib/runs/job-control";
import { newRunSchema } from "@/lib/runs/run-form";
import { MAX_COMMENT_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, parseTags, saveRunAnnotations } from "@/lib/runs/run-list";
import { controlRun, createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { BUILTIN_SUITES, parseSuite, type SuiteSpec, type textualStepSchema } from "@/lib/runs/suite";
import { resolveScorer } from "@/lib/scorers/resolve";

export type { FormState };

/** Where the textual step's prompts come from (a path is for suite files only). */
type TextualPrompts = Exclude<z.input<typeof textualStepSchema>["prompts"], string | undefined>;

export const createRunAction = formAction(
  newRunSchema,
  async (v, { form, refuse }) => {
    const db = await getDatabase();
    const model = await getModelRow(db, v.modelId);
    if (!model) return refuse({ modelId: "This model no longer exists." });
    if (!model.baseUrl || !model.servedModelId) return refuse({ modelId: `${model.name} has no endpoint yet: add its base URL first.` });
    if (v.suite === "custom" && v.benchmarks.length === 0) return refuse({ benchmarks: "Choose at least one benchmark." });
    const scorer = v.scorerName ? await onField("scorerName", () => resolveScorer(db, { name: v.scorerName })) : null;
    const needsTextual = v.suite === "textual" || (v.suite === "custom" && v.benchmarks.includes("textual"));
    let prompts: TextualPrompts;
    if (!needsTextual) prompts = { source: "dolly200", split: "test" };
    else if (v.promptSource === "upload") {
      const file = postedFile(form, "promptFile", "Choose a JSONL, CSV or TXT file of prompts.");
      const items = await onField("promptFile", async () => parsePromptList(new Uint8Array(await file.arrayBuffer()), file.name));
      prompts = { source: "inline", name: file.name, items: items.map((p) => ({ key: p.key, prompt: p.prompt })) };
    } else prompts = { source: "dolly200", split: v.promptSource === "dolly200-val" ? "val" : "test" };
    const textualStep = {
      benchmark: "textual" as const,
      prompts,
      limit: v.limit,
      samples: v.samples,
      mode: v.mode,
      template: v.template,
      decoding: { temperature: v.temperature, top_p: v.top_p, max_tokens: v.max_tokens, ...(v.seed !== undefined ? { seed: v.seed } : {}) },
      attributes: v.attributes,
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
    let resolved: Awaited<ReturnType<typeof resolveSuite>>;
    try {
      // From the browser a missing data file does not block the other benchmarks: the step says what is missing.
      resolved = await resolveSuite(parseSuite(spec), {
        onMissingData: "skip",
        findAttributes: (refs) => resolveAttributes(db, refs),
        ...(scorer ? { scorer } : {}),
      });
    } catch (err) {
      // Whatever stops the suite from resolving is said at the top of the form.
      throw err instanceof LineageError ? err : badInput((err as Error).message);
    }
    const runId = await createRun(db, model.id, resolved, { name: v.name || undefined });
    revalidatePath("/runs");
    redirect(`/runs/${runId}`);
  },
  { requires: "editor", audit: { action: "run.start", detail: (v) => ({ suite: v.suite, name: v.name }) } },
);

export const controlRunAction = reportAction(
  z.object({ id: recordId, control: z.enum(JOB_CONTROLS) }),
  async ({ id, control }) => {
    const status = await controlRun(await getDatabase(), id, control);
    revalidatePath(`/runs/${id}`);
    return { ok: true, message: `Run ${status}.` };
  },
  { requires: "editor", invalid: "Unknown run or control.", audit: { action: (i) => `run.${i.control}` } },
);

const chooseGenerationsModel = "Choose the model that wrote these generations.";

export const importGenerationsAction = formAction(
  z.object({
    modelId: z.string({ message: chooseGenerationsModel }).min(1, chooseGenerationsModel),
    name: formText(120, "cut"),
    attributes: formList(z.string().min(1).max(120)),
  }),
  async (v, { form, refuse }) => {
    const db = await getDatabase();
    const model = await getModelRow(db, v.modelId);
    if (!model) return refuse({ modelId: chooseGenerationsModel });
    const file = postedFile(form, "file", 'Choose a JSON Lines file of {"prompt", "output"} records.');
    const generations = await onField("file", async () => parseGenerations(await file.text(), file.name));
    const attributes = await onField("attributes", () => resolveAttributes(db, v.attributes));
    const runId = await onField("attributes", () =>
      importGenerations(db, model.id, generations, { name: v.name || `imported ${file.name}`, file: file.name, attributes }),
    );
    revalidatePath("/runs");
    redirect(`/runs/${runId}`);
  },
  { requires: "editor", audit: { action: "run.import", detail: (v) => ({ format: "generations", name: v.name }) } },
);

const chooseToolkitModel = "Choose the model these results are of.";

export const importToolkitAction = formAction(
  z.object({ toolkitModelId: z.string({ message: chooseToolkitModel }).min(1, chooseToolkitModel), toolkitName: formText(120, "cut") }),
  async (v, { form, refuse }) => {
    const db = await getDatabase();
    const model = await getModelRow(db, v.toolkitModelId);
    if (!model) return refuse({ toolkitModelId: chooseToolkitModel });
    const files = postedFiles(form, "files", "Choose the result files of one experiment folder.", 4 * MAX_UPLOAD_BYTES);
    const texts: Record<string, string> = {};
    for (const f of files) texts[f.name.split(/[\\/]/).pop()!] = await f.text();
    const parsed = await onField("files", () => parseToolkitResults(texts));
    const experiment = parsed.metadata && typeof parsed.metadata.experiment_dir === "string" ? parsed.metadata.experiment_dir : undefined;
    // What the import itself refuses (e.g. a SEAT test listed twice) is said on the files too.
    const runId = await onField("files", () =>
      importToolkitResults(db, model.id, parsed, { name: v.toolkitName || undefined, folder: experiment || undefined }),
    );
    revalidatePath("/runs");
    redirect(`/runs/${runId}`);
  },
  { requires: "editor", audit: { action: "run.import", detail: (v) => ({ format: "toolkit", name: v.toolkitName }) } },
);

/** Saves a run's tags (comma-separated) and its short comment; the run's id comes from the form's hidden field. */
export const saveRunAnnotationsAction = formAction(
  z.object({
    id: recordId,
    tags: z
      .string()
      .default("")
      .transform(parseTags)
      .pipe(z.array(z.string().max(MAX_TAG_LENGTH, `A tag has at most ${MAX_TAG_LENGTH} characters.`)).max(MAX_TAGS, `At most ${MAX_TAGS} tags.`)),
    comment: z
      .string()
      .default("")
      .transform((s) => s.trim())
      .pipe(z.string().max(MAX_COMMENT_LENGTH, `A comment has at most ${MAX_COMMENT_LENGTH} characters.`)),
  }),
  async ({ id, tags, comment }, { refuse }) => {
    if (!(await saveRunAnnotations(await getDatabase(), id, tags, comment))) return refuse({}, "This run no longer exists.");
    revalidatePath(`/runs/${id}`);
    revalidatePath("/runs");
    return { ok: true, data: { tags, comment }, message: "Saved." };
  },
  { requires: "editor", audit: { action: "run.annotate", detail: (v) => ({ tags: v.tags }) } },
);
