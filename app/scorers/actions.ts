"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, reportAction, type FormState } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { recordId } from "@/lib/forms";
import { deleteScorer, saveScorer, testScorer } from "@/lib/scorers/registry";

export type ScorerFormState = FormState<{ id: string }>;

/** Saves a scorer; its fields are validated by saveScorer (lib/scorers/registry.ts). The pasted key is never sent back. */
export const createScorerAction = formAction(
  z.object({}),
  async (_input, { raw }) => {
    const r = await saveScorer(await getDatabase(), raw);
    if (!r.ok) return r;
    revalidatePath("/scorers");
    return { ...r, message: "Scorer saved." };
  },
  { requires: "admin", secret: ["apiKeySecret"], audit: "scorer.create" },
);

/** The scorer row's two buttons: `intent` is "test" or "delete". */
export const scorerRowAction = reportAction(
  z.object({ id: recordId, intent: z.enum(["test", "delete"]).catch("test") }),
  async ({ id, intent }) => {
    const db = await getDatabase();
    if (intent === "test") return testScorer(db, id);
    await deleteScorer(db, id);
    revalidatePath("/scorers");
    return { ok: true, message: "Scorer deleted." };
  },
  { requires: "admin", invalid: "Unknown scorer.", audit: { action: (i) => (i.intent === "delete" ? "scorer.delete" : "scorer.test") } },
);
