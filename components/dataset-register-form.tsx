"use client";
import { useActionState } from "react";
import { registerStudentAction, type FormState } from "@/app/datasets/actions";
import { Field, FormAlert, ModelOptions, submittedForm } from "./field";

/** Records a student fine-tuned on this selection: a derivation from the base model and the dataset's teachers. */
export function DatasetRegisterForm({
  datasetId,
  selectionId,
  models,
  summary,
}: {
  datasetId: string;
  selectionId: string;
  models: { id: string; name: string }[];
  summary: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(registerStudentAction, null);
  const { errors, values: v, one } = submittedForm(state);
  const options = models.map((m) => ({ id: m.id, label: m.name }));
  // React resets a form after its action: a refused submit remounts it with what was submitted.
  return (
    <form action={action} className="stack" aria-label="Register a student" noValidate key={JSON.stringify(v)}>
      <input type="hidden" name="datasetId" value={datasetId} />
      <input type="hidden" name="selectionId" value={selectionId} />
      <FormAlert state={state} fieldSummary={false} />
      <p className="muted">{summary}</p>
      <div className="grid-2">
        <Field name="studentId" label="Student model" hint="The model fine-tuned on this selection (add it on Models first)." error={errors.studentId}>
          <select id="f-studentId" name="studentId" defaultValue={one("studentId")}>
            <option value="" disabled>
              Choose…
            </option>
            <ModelOptions models={options} />
          </select>
        </Field>
        <Field name="baseModelId" label="Base model" hint="The model before fine-tuning (optional)." error={errors.baseModelId}>
          <select id="f-baseModelId" name="baseModelId" defaultValue={one("baseModelId")}>
            <option value="">—</option>
            <ModelOptions models={options} />
          </select>
        </Field>
      </div>
      <Field name="notes" label="Notes" error={errors.notes}>
        <textarea id="f-notes" name="notes" defaultValue={one("notes")} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Registering…" : "Register student"}
        </button>
      </div>
    </form>
  );
}
