"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getDatabase } from "@/lib/db/client";
import { echoValues, formDataToObject, postedId, type ActionResult } from "@/lib/forms";
import { createDerivation } from "@/lib/models/lineage";
import { deleteModel, getModelRow, saveModel } from "@/lib/models/registry";
import { testConnection, type ConnectionReport } from "@/lib/models/connection";

export type FormState = ActionResult<unknown> | null;

/** Creates a model, or saves the one named by the form's hidden `id`. */
export async function saveModelAction(_prev: FormState, form: FormData): Promise<FormState> {
  const db = await getDatabase();
  const { id: _id, ...raw } = formDataToObject(form);
  const id = postedId(form);
  if (form.has("id") && !id) return { ok: false, fieldErrors: {}, formError: "This model no longer exists.", values: echoValues(raw) };
  const result = await saveModel(db, raw, id ?? undefined);
  if (!result.ok) return { ...result, values: echoValues(raw) };
  revalidatePath("/models");
  redirect(`/models/${result.data.id}`);
}

export async function deleteModelAction(_prev: FormState, form: FormData): Promise<FormState> {
  const id = postedId(form);
  if (!id) return { ok: false, fieldErrors: {}, formError: "This model no longer exists." };
  const result = await deleteModel(await getDatabase(), id);
  if (!result.ok) return result;
  revalidatePath("/models");
  redirect("/models");
}

export async function testConnectionAction(_prev: ConnectionReport | null, form: FormData): Promise<ConnectionReport> {
  const id = postedId(form);
  const model = id ? await getModelRow(await getDatabase(), id) : null;
  if (!model) return { ok: false, message: "This model no longer exists." };
  return testConnection(model);
}

export async function createDerivationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const result = await createDerivation(await getDatabase(), raw);
  if (!result.ok) return { ...result, values: echoValues(raw) };
  const student = typeof raw.studentId === "string" ? raw.studentId : "";
  revalidatePath("/models");
  redirect(`/models/${student}`);
}

export type { ConnectionReport };
