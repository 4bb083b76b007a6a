// An attribute definition from the form's fields (as the /attributes form posts them), for tests that create one.
import { attributeFieldsFromForm, attributeFormSchema } from "@/lib/attributes/form";

export function attributeFields(raw: Record<string, string>) {
  const f = attributeFieldsFromForm(attributeFormSchema.parse(raw));
  if (!f.ok) throw new Error(JSON.stringify(f.fieldErrors));
  return f.fields;
}
