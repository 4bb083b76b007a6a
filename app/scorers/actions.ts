"use server";
import { revalidatePath } from "next/cache";
import { getDatabase } from "@/lib/db/client";
import { echoValues, formDataToObject, postedId, type ActionResult, type Notice } from "@/lib/forms";
import { deleteScorer, saveScorer, testScorer } from "@/lib/scorers/registry";

export type ScorerFormState = ActionResult<{ id: string }> | null;

export async function createScorerAction(_prev: ScorerFormState, form: FormData): Promise<ScorerFormState> {
  const raw = formDataToObject(form);
  const r = await saveScorer(await getDatabase(), raw);
  if (!r.ok) return { ...r, values: echoValues(raw, ["apiKeySecret"]) };
  revalidatePath("/scorers");
  return { ...r, message: "Scorer saved." };
}

/** The scorer row's two buttons: `intent` is "test" or "delete". */
export async function scorerRowAction(_prev: Notice, form: FormData): Promise<Notice> {
  const id = postedId(form);
  if (!id) return { ok: false, message: "Unknown scorer." };
  if (form.get("intent") === "delete") {
    await deleteScorer(await getDatabase(), id);
    revalidatePath("/scorers");
    return { ok: true, message: "Scorer deleted." };
  }
  return testScorer(await getDatabase(), id);
}
