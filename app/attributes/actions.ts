"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { formAction, type FormState } from "@/lib/actions";
import { attributeFieldsFromForm, attributeFormSchema } from "@/lib/attributes/form";
import { addVersion, createAttribute } from "@/lib/attributes/store";
import { getDatabase } from "@/lib/db/client";
import { recordId } from "@/lib/forms";

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
