"use client";
import { useActionState, useState } from "react";
import { createDerivationAction, type FormState } from "@/app/models/actions";
import { Field, FieldError, FormAlert, ModelOptions, RadioRow, describedBy, submittedForm } from "./field";

export interface Option {
  id: string;
  label: string;
}

export function DerivationForm({ models, metrics, studentId }: { models: Option[]; metrics: Option[]; studentId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(createDerivationAction, null);
  const [method, setMethod] = useState<"passive" | "active">("passive");
  const { errors, values: v, one, many } = submittedForm(state);
  const teachers = new Set(many("teacherIds"));
  return (
    <form action={action} className="stack" noValidate aria-label="Record a derivation" key={JSON.stringify(v)}>
      <FormAlert state={state} />
      <fieldset>
        <legend>Models</legend>
        <Field name="studentId" label="Student" error={errors.studentId}>
          <select id="f-studentId" name="studentId" defaultValue={one("studentId", studentId)}>
            <ModelOptions models={models} />
          </select>
        </Field>
        <Field name="baseModelId" label="Base model" hint="The model the student was fine-tuned from." error={errors.baseModelId}>
          <select
            id="f-baseModelId"
            name="baseModelId"
            defaultValue={one("baseModelId")}
            aria-describedby={describedBy("baseModelId", true, errors.baseModelId)}
          >
            <option value="">(not recorded)</option>
            <ModelOptions models={models} />
          </select>
        </Field>
        <div className="field" data-invalid={errors.teacherIds ? "true" : undefined}>
          <span className="label" id="teachers-label">
            Teacher(s)
          </span>
          <div className="checks" role="group" aria-labelledby="teachers-label">
            {models.map((m) => (
              <label key={m.id}>
                <input type="checkbox" name="teacherIds" value={m.id} defaultChecked={teachers.has(m.id)} /> {m.label}
              </label>
            ))}
          </div>
          <span className="hint">Whose synthetic data the student was trained on. Several teachers make it multi-source.</span>
          <FieldError name="teacherIds" error={errors.teacherIds} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Method</legend>
        <RadioRow
          name="method"
          label="Method"
          value={method}
          onChange={setMethod}
          options={[
            ["passive", "Passive inheritance (the teachers' data as is)"],
            ["active", "Active inheritance (best-of-k on a target metric)"],
          ]}
        />
        {method === "active" ? (
          <div className="grid-2">
            <Field name="targetMetric" label="Target metric" error={errors.targetMetric}>
              <select id="f-targetMetric" name="targetMetric" defaultValue={one("targetMetric")}>
                <option value="">(choose)</option>
                {metrics.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="direction" label="Direction" error={errors.direction}>
              <select id="f-direction" name="direction" defaultValue={one("direction")}>
                <option value="">(choose)</option>
                <option value="max">maximise</option>
                <option value="min">minimise</option>
              </select>
            </Field>
            <Field name="k" label="k (candidates per prompt and teacher)" error={errors.k}>
              <input id="f-k" name="k" type="number" min={1} defaultValue={one("k")} />
            </Field>
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Data</legend>
        <Field name="datasetLabel" label="Synthetic dataset" hint="e.g. Alpaca 52k prompts answered by Mixtral-8x7B." error={errors.datasetLabel}>
          <input id="f-datasetLabel" name="datasetLabel" type="text" defaultValue={one("datasetLabel")} />
        </Field>
        <Field name="notes" label="Notes" error={errors.notes}>
          <textarea id="f-notes" name="notes" defaultValue={one("notes")} />
        </Field>
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Record derivation"}
        </button>
      </div>
    </form>
  );
}
