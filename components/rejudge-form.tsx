"use client";
import { useActionState } from "react";
import { rejudgeAction, type AttributeFormState } from "@/app/attributes/actions";
import { Field, FormAlert, InputField, submittedForm } from "./field";

/** Ask the judge again about a seeded sample of a run's judged outputs (works without JavaScript: a plain post). */
export function RejudgeForm({ attributeId, runs }: { attributeId: string; runs: { id: string; label: string }[] }) {
  const [state, action, pending] = useActionState<AttributeFormState, FormData>(rejudgeAction, null);
  const { errors, values, one } = submittedForm(state);
  return (
    <form action={action} className="stack" aria-label="Re-judge" noValidate key={JSON.stringify(values)}>
      <input type="hidden" name="id" value={attributeId} />
      <FormAlert state={state} fieldSummary={false} />
      <div className="grid-2">
        <Field name="rejudge-run" label="Run" error={errors.runId}>
          <select id="f-rejudge-run" name="runId" defaultValue={one("runId", runs[0]?.id ?? "")}>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <InputField name="sampleSize" label="Sample size" type="number" step="1" error={errors.sampleSize} defaultValue={one("sampleSize", "20")} />
        <InputField
          name="seed"
          label="Seed"
          type="number"
          step="1"
          error={errors.seed}
          defaultValue={one("seed", "0")}
          hint="The same run, size and seed give the same sample: submitting again resumes a pass cut short."
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Asking the judge…" : "Re-judge"}
        </button>
        <span className="muted">Asks the judge again about the sampled outputs; their first scores stay.</span>
      </div>
    </form>
  );
}
