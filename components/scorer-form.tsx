"use client";
import { useActionState, useState } from "react";
import { createScorerAction, scorerRowAction, type ScorerFormState } from "@/app/scorers/actions";
import type { Notice } from "@/lib/forms";
import { Field, InputField, submittedForm } from "./field";

export function ScorerForm() {
  const [state, action, pending] = useActionState<ScorerFormState, FormData>(createScorerAction, null);
  const { errors, values: v, one } = submittedForm(state);
  const [mode, setMode] = useState(one("credentialMode", "env"));
  const input = (name: string, label: string, d = "", hint?: string, type = "text") => (
    <InputField
      name={name}
      label={label}
      hint={hint}
      error={errors[name]}
      type={type}
      step={type === "number" ? "any" : undefined}
      defaultValue={one(name, d)}
    />
  );
  return (
    <form action={action} className="stack" noValidate aria-label="New scorer" key={JSON.stringify(v)}>
      {state?.ok ? <div className="alert ok">{state.message}</div> : null}
      {input("name", "Name", "", "How runs and suite files refer to it.")}
      <Field name="kind" label="Kind" error={errors.kind}>
        <select id="f-kind" name="kind" defaultValue={one("kind", "perspective")}>
          <option value="perspective">Perspective API (the paper&apos;s)</option>
          <option value="moderation">OpenAI-compatible moderation</option>
          <option value="http">HTTP classifier (TEI /predict and alike)</option>
        </select>
      </Field>
      {input(
        "url",
        "URL",
        "",
        "Empty: Perspective's or OpenAI's public API. Perspective: the …/v1alpha1 base; moderation: the …/v1 base; classifier: its full URL.",
      )}
      {input("qps", "Requests per second", "1", "Perspective's default quota is 1.", "number")}
      <Field name="credentialMode" label="API key" error={errors.credentialMode}>
        <select id="f-credentialMode" name="credentialMode" value={mode} onChange={(e) => setMode(e.target.value)}>
          <option value="env">from an environment variable</option>
          <option value="secret">stored encrypted</option>
          <option value="none">none</option>
        </select>
      </Field>
      {mode === "env" ? input("apiKeyEnv", "Variable name", "PERSPECTIVE_API_KEY") : null}
      {mode === "secret" ? input("apiKeySecret", "Key", "", "Stored encrypted; only its last four characters are shown.", "password") : null}
      {input("model", "Model", "", "Moderation and classifier: the request's model field (optional).")}
      {input("label", "Toxic label", "", 'Classifier: the label whose score is TOXICITY (default "toxic").')}
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save scorer"}
        </button>
      </div>
    </form>
  );
}

export function ScorerActions({ id }: { id: string }) {
  const [report, action, pending] = useActionState<Notice, FormData>(scorerRowAction, null);
  return (
    <form action={action} className="actions" aria-label="Scorer actions">
      <input type="hidden" name="id" value={id} />
      <button type="submit" name="intent" value="test" className="secondary" disabled={pending}>
        {pending ? "Working…" : "Test"}
      </button>
      <button type="submit" name="intent" value="delete" className="secondary" disabled={pending}>
        Delete
      </button>
      <span aria-live="polite">{report ? <span className={`alert ${report.ok ? "ok" : "error"}`}>{report.message}</span> : null}</span>
    </form>
  );
}
