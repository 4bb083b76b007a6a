"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { echoValues, formDataToObject, type ActionResult } from "@/lib/forms";
import { deleteScorer, saveScorer, testScorer } from "@/lib/scorers/registry";

export type ScorerFormState = ActionResult<{ id: string }> | null;

export async function createScorerAction(_prev: ScorerFormState, form: FormData): Promise<ScorerFormState> {
  const raw = formDataToObject(form);
  const r = await saveScorer(await getDb(), raw);
  if (!r.ok) return { ...r, values: echoValues(raw, ["apiKeySecret"]) };
  revalidatePath("/scorers");
  return { ...r, message: "Scorer saved." };
}

export async function deleteScorerAction(id: string): Promise<void> {
  await deleteScorer(await getDb(), z.string().min(1).max(64).parse(id));
  revalidatePath("/scorers");
}

export async function testScorerAction(id: string): Promise<{ ok: boolean; message: string }> {
  return testScorer(await getDb(), z.string().min(1).max(64).parse(id));
}
