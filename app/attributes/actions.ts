"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { formAction, type FormState } from "@/lib/actions";
import { attributeFieldsFromForm, attributeFormSchema } from "@/lib/attributes/form";
import { z } from "zod";
import { MAX_REJUDGE_SAMPLE, rejudge } from "@/lib/attributes/reliability";
import { addVersion, createAttribute } from "@/lib/attributes/store";
import { getDatabase } from "@/lib/db/client";
import { formNumber, recordId } from "@/lib/forms";

export type AttributeFormState = FormState;

/** A new attribute (version 1), or with the hidden `id` a new version of that attribute. */
export const saveAttributeAction = formAction(
  attributeFormSchema.extend({ id: recordId.optional() }),
  async (input, { refuse }) => {
    const parsed = attributeFieldsFromForm(input);
    if (!parsed.ok) return refuse(parsed.fieldErrors, parsed.fieldErrors._form);
    const db = await getDatabase();
    const saved = input.id ? await addVersion(db, input.id, parsed.fields) : await createAttribute(db, input.name, parsed.fields);
    revalidatePath("/attributes");
    redirect(`/attributes/${saved.attributeId}`);
  },
  { requires: "editor", audit: { action: (i) => (i.id ? "attribute.version" : "attribute.create"), subject: "attribute", detail: (i) => ({ name: i.name }) } },
);

const wholeNumber = (min: number, max: number, what: string) =>
  formNumber().pipe(
    z
      .number({ message: `Enter ${what}.` })
      .int(`Enter a whole number.`)
      .min(min, `At least ${min}.`)
      .max(max, `At most ${max.toLocaleString("en")}.`),
  );

/**
 * Re-judge: the judge asked again about a seeded sample of a run's judged outputs (lib/attributes/reliability.ts);
 * the page then shows that pass's agreement. The same run, size and seed resume a pass cut short.
 */
export const rejudgeAction = formAction(
  z.object({
    id: recordId,
    runId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose a run."),
    sampleSize: wholeNumber(2, MAX_REJUDGE_SAMPLE, "a sample size"),
    seed: wholeNumber(0, 2 ** 31 - 1, "a seed"),
  }),
  async (input) => {
    const db = await getDatabase();
    const pass = await rejudge(db, { attribute: input.id, runId: input.runId, sampleSize: input.sampleSize, seed: input.seed });
    revalidatePath(`/attributes/${input.id}`);
    redirect(`/attributes/${input.id}?rejudge=${pass.id}#reliability`);
  },
  {
    requires: "editor",
    audit: { action: "attribute.rejudge", subject: "attribute", id: (i) => i.id, detail: (i) => ({ runId: i.runId, sampleSize: i.sampleSize, seed: i.seed }) },
  },
);
