"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { echoValues, formDataToObject, type ActionResult } from "@/lib/forms";
import { createDerivation, deleteDerivation } from "@/lib/models/lineage";
import { deleteModel, saveModel } from "@/lib/models/registry";
import { testConnection, type ConnectionReport } from "@/lib/models/connection";

export type FormState = ActionResult<unknown> | null;

const idSchema = z.string().min(1).max(64);

export async function saveModelAction(id: string | null, _prev: FormState, form: FormData): Promise<FormState> {
  const db = await getDb();
  const raw = formDataToObject(form);
  const result = await saveModel(db, raw, id ? idSchema.parse(id) : undefined);
  if (!result.ok) return { ...result, values: echoValues(raw) };
  revalidatePath("/models");
  redirect(`/models/${result.data.id}`);
}

export async function deleteModelAction(id: string, _prev: FormState, _form: FormData): Promise<FormState> {
  const result = await deleteModel(await getDb(), idSchema.parse(id));
  if (!result.ok) return result;
  revalidatePath("/models");
  redirect("/models");
}

export async function testConnectionAction(id: string): Promise<ConnectionReport> {
  const db = await getDb();
  const model = await db.model.findUnique({ where: { id: idSchema.parse(id) } });
  if (!model) return { ok: false, message: "This model no longer exists." };
  return testConnection(model);
}

export async function createDerivationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const raw = formDataToObject(form);
  const result = await createDerivation(await getDb(), raw);
  if (!result.ok) return { ...result, values: echoValues(raw) };
  const student = typeof raw.studentId === "string" ? raw.studentId : "";
  revalidatePath("/models");
  redirect(`/models/${student}`);
}

export async function deleteDerivationAction(id: string, returnTo: string): Promise<void> {
  await deleteDerivation(await getDb(), idSchema.parse(id));
  revalidatePath("/models");
  // Only a path of this site (not "//host", which browsers treat as another site).
  redirect(/^\/(?![/\\])/.test(returnTo) ? returnTo : "/models");
}

export type { ConnectionReport };
