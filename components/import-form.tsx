"use client";
import { useActionState } from "react";
import { importGenerationsAction, importToolkitAction, type FormState } from "@/app/runs/actions";
import { Field, FormAlert, ModelOptions, submittedForm } from "./field";
import { UPLOAD_LIMIT_HINT } from "@/lib/forms";

export function ImportGenerationsForm({ models, attributes = [] }: { models: { id: string; label: string }[]; attributes?: string[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(importGenerationsAction, null);
  const { errors } = submittedForm(state);
  return (
    <form action={action} className="stack" noValidate aria-label="Import generations">
      <Field name="modelId" label="Model that wrote them" error={errors.modelId}>
        <select id="f-modelId" name="modelId">
          <ModelOptions models={models} />
        </select>
      </Field>
      <Field name="name" label="Run name" hint="Optional.">
        <input id="f-name" name="name" type="text" />
      </Field>
      <Field
        name="file"
        label="Generations (JSON Lines)"
        hint={`One object per line: {"prompt": "…", "output": "…"}, optionally "id" (the same id on several lines = samples of one prompt) and "completion_tokens". ${UPLOAD_LIMIT_HINT}`}
        error={errors.file}
      >
        <input id="f-file" name="file" type="file" accept=".jsonl,.json,.txt" />
      </Field>
      {attributes.length ? (
        <Field name="attributes" label="Also measure" hint="Lexicon attributes (their latest version)." error={errors.attributes}>
          <div className="radio-row" role="group" aria-label="Custom attributes">
            {attributes.map((a) => (
              <label key={a}>
                <input type="checkbox" name="attributes" value={a} /> {a}
              </label>
            ))}
          </div>
        </Field>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Importing…" : "Import"}
        </button>
      </div>
    </form>
  );
}

/** The paper toolkit's results folder (results/profiling/<exp>/): its files, chosen together. */
export function ImportToolkitForm({ models }: { models: { id: string; label: string }[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(importToolkitAction, null);
  const { errors } = submittedForm(state);
  return (
    <form action={action} className="stack" noValidate aria-label="Import toolkit results">
      <FormAlert state={state} fieldSummary={false} />
      <Field name="toolkitModelId" label="Model that was profiled" error={errors.toolkitModelId}>
        <select id="f-toolkitModelId" name="toolkitModelId">
          <ModelOptions models={models} />
        </select>
      </Field>
      <Field name="toolkitName" label="Run name" hint="Optional.">
        <input id="f-toolkitName" name="toolkitName" type="text" />
      </Field>
      <Field
        name="files"
        label="Result files"
        hint="Select the files of results/profiling/<experiment>/ together: TextualCharacteristicsProfiling_<dataset>.json, ToxicityProfiling.json, SocialBiasProfiling.json, CalibrationProfiling.json, metadata_profiling.yaml."
        error={errors.files}
      >
        <input id="f-files" name="files" type="file" multiple accept=".json,.yaml,.yml" />
      </Field>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Reading the files…" : "Add toolkit results"}
        </button>
      </div>
    </form>
  );
}
