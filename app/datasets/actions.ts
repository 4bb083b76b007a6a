"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, onField, reportAction, type FormState } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { postedFile, recordId } from "@/lib/forms";
import { newDatasetSchema, registerStudentSchema, reselectSchema } from "@/lib/inheritance/dataset-form";
import {
  checkSelectionRequest,
  controlDataset,
  createDataset,
  deleteDataset,
  findDataset,
  requestSelection,
  loadPromptSource,
  type PromptSource,
} from "@/lib/inheritance/datasets";
import { selectionWithDataset } from "@/lib/inheritance/selection";
import { validateDatasetSpec } from "@/lib/inheritance/spec";
import { createDerivation } from "@/lib/models/lineage";
import { JOB_CONTROLS } from "@/lib/runs/job-control";

export type { FormState };

export const createDatasetAction = formAction(
  newDatasetSchema,
  async (v, { form, refuse }) => {
    // What is wrong with the prompts is said on the file when uploaded, else on the prompt set.
    const promptField = v.promptSource === "upload" ? "promptFile" : "promptSource";
    let source: PromptSource;
    if (v.promptSource === "upload") {
      const file = postedFile(form, "promptFile", "Choose a JSONL, JSON (Alpaca-style), CSV or TXT file of prompts.");
      source = { source: "upload", name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), limit: v.limit };
    } else if (v.promptSource === "alpaca") source = { source: "alpaca", limit: v.limit };
    else source = { source: "dolly200", split: v.promptSource === "dolly200-val" ? "val" : "test", limit: v.limit };
    const loaded = await onField(promptField, () => loadPromptSource(source));
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
        targetValue: v.targetValue ?? null,
        confirmGreedy: v.confirmGreedy,
        filters: { dropEmpty: v.dropEmpty, dropTruncated: v.dropTruncated, minWords: v.minWords },
      },
      loaded.prompts,
    );
    if (!checked.ok) {
      const { prompts, ...rest } = checked.fieldErrors;
      return refuse(prompts ? { ...rest, [promptField]: prompts } : rest);
    }
    const id = await createDataset(db, checked.value, loaded.prompts, loaded.description);
    revalidatePath("/datasets");
    redirect(`/datasets/${id}`);
  },
  { requires: "editor", audit: { action: "dataset.start", detail: (v) => ({ name: v.name, k: v.k }) } },
);

export const controlDatasetAction = reportAction(
  z.object({ id: recordId, control: z.enum(JOB_CONTROLS) }),
  async ({ id, control }) => {
    const status = await controlDataset(await getDatabase(), id, control);
    revalidatePath(`/datasets/${id}`);
    return { ok: true, message: `Dataset ${status}.` };
  },
  { requires: "editor", invalid: "Unknown dataset or control.", audit: { action: (i) => `dataset.${i.control}` } },
);

/** Re-selects over the stored candidates (no generation request) and shows the new selection. */
export const reselectAction = formAction(
  reselectSchema,
  async ({ datasetId, rule, target, direction, targetValue }, { refuse }) => {
    const db = await getDatabase();
    const ds = await findDataset(db, datasetId);
    if (!ds) return refuse({}, "This dataset no longer exists.");
    const checked = await checkSelectionRequest(db, ds, { rule, target, direction: direction ?? null, targetValue: targetValue ?? null });
    if (!checked.ok) return refuse(checked.fieldErrors);
    if (ds.status !== "completed") return refuse({}, "Re-selection needs a completed dataset.");
    const { selectionId } = await requestSelection(db, datasetId, checked.request);
    redirect(`/datasets/${datasetId}?selection=${selectionId}`);
  },
  {
    requires: "editor",
    invalid: "This re-selection form is incomplete: reload the page.",
    audit: {
      action: "dataset.reselect",
      id: (v) => v.datasetId,
      detail: (v) => ({ rule: v.rule, target: v.target, direction: v.direction, targetValue: v.targetValue }),
    },
  },
);

/** Records a student trained on a selection: the derivation links it to the dataset's teachers and method. */
export const registerStudentAction = formAction(
  registerStudentSchema,
  async ({ datasetId, selectionId }, { raw, refuse }) => {
    const db = await getDatabase();
    const sel = await selectionWithDataset(db, selectionId);
    if (!sel || sel.datasetId !== datasetId) return refuse({}, "This selection no longer exists.");
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
      return refuse(shown, r.formError ?? Object.values(other)[0]);
    }
    const studentId = String(raw.studentId);
    revalidatePath(`/models/${studentId}`);
    redirect(`/models/${studentId}`);
  },
  // The subject is the student (the page it goes to).
  {
    requires: "editor",
    invalid: "This form is incomplete: reload the page.",
    audit: { action: "derivation.create", subject: "model", detail: (v) => ({ datasetId: v.datasetId }) },
  },
);

export const deleteDatasetAction = reportAction(
  z.object({ id: recordId }),
  async ({ id }) => {
    await deleteDataset(await getDatabase(), id);
    revalidatePath("/datasets");
    redirect("/datasets");
  },
  { requires: "admin", invalid: "Unknown dataset.", audit: "dataset.delete" },
);
