"use client";
import { useActionState } from "react";
import { importGenerationsAction, type FormState } from "@/app/runs/actions";
import { Field } from "./field";

export function ImportGenerationsForm({ models }: { models: { id: string; label: string }[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(importGenerationsAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={action} className="stack" noValidate aria-label="Import generations">
      <Field name="modelId" label="Model that wrote them" error={errors.modelId}>
        <select id="f-modelId" name="modelId">
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </Field>
      <Field name="name" label="Run name" hint="Optional.">
        <input id="f-name" name="name" type="text" />
      </Field>
      <Field
        name="file"
        label="Generations (JSON Lines)"
        hint='One object per line: {"prompt": "…", "output": "…"}, optionally "id" (the same id on several lines = samples of one prompt) and "completion_tokens".'
        error={errors.file}
      >
        <input id="f-file" name="file" type="file" accept=".jsonl,.json,.txt" />
      </Field>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Importing…" : "Import"}
        </button>
      </div>
    </form>
  );
}
