"use client";
import { useActionState, useState } from "react";
import { saveModelAction, type FormState } from "@/app/models/actions";
import { describedBy, Field, InputField, RadioRow, submittedForm } from "./field";

export interface ModelFormValues {
  name: string;
  family: string;
  size: string;
  preset: string;
  baseUrl: string;
  servedModelId: string;
  credentialMode: "none" | "env" | "secret";
  apiKeyEnv: string;
  /** Last four characters of a stored secret (the secret itself never reaches the browser). */
  secretLast4: string | null;
  capChat: boolean;
  capEcho: boolean;
  capEmbeddings: boolean;
  concurrency: number;
  notes: string;
  embeddingsModelId: string;
  embeddingsBaseUrl: string;
  embeddingsApiKeyEnv: string;
}

export function ModelForm({ id, initial: saved }: { id: string | null; initial: ModelFormValues }) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveModelAction, null);
  const initial = withSubmitted(saved, state);
  const [mode, setMode] = useState(saved.credentialMode);
  const { errors } = submittedForm(state);
  const text = (name: keyof ModelFormValues, label: string, hint?: string, type = "text") => (
    <InputField name={name} label={label} hint={hint} error={errors[name]} type={type} defaultValue={String(initial[name] ?? "")} />
  );
  return (
    <form
      action={action}
      className="stack"
      noValidate
      aria-label={id ? "Edit model" : "New model"}
      key={JSON.stringify(state && !state.ok ? state.values : null)}
    >
      {state && !state.ok && state.formError ? (
        <div className="alert error" role="alert">
          {state.formError}
        </div>
      ) : null}
      {state && !state.ok && Object.keys(errors).length > 0 ? (
        <div className="alert error" role="alert">
          Please correct the fields marked below.
        </div>
      ) : null}
      {id ? <input type="hidden" name="id" value={id} /> : null}
      <input type="hidden" name="preset" value={initial.preset} />
      <fieldset>
        <legend>Model</legend>
        {text("name", "Name", "Unique, e.g. LLaMa2-7B or llama2-7b-alpaca-student.")}
        <div className="grid-2">
          {text("family", "Family", "e.g. LLaMa 2")}
          {text("size", "Size", "e.g. 7B")}
        </div>
      </fieldset>
      <fieldset>
        <legend>Endpoint (OpenAI-compatible)</legend>
        {text("baseUrl", "Base URL", "The API root, e.g. http://localhost:8000/v1 for vLLM or http://localhost:11434/v1 for Ollama.", "url")}
        {text("servedModelId", "Served model id", "The name the server knows the model by, e.g. meta-llama/Llama-2-7b-hf.")}
        <div className="field">
          <span className="label" id="cred-label">
            API key
          </span>
          <RadioRow
            name="credentialMode"
            labelledBy="cred-label"
            value={mode}
            onChange={setMode}
            options={[
              ["none", "None"],
              ["env", "From an environment variable"],
              ["secret", "Stored encrypted"],
            ]}
          />
        </div>
        {mode === "env" ? text("apiKeyEnv", "Environment variable", "Its value is read by the server at request time and never shown.") : null}
        {mode === "secret" ? (
          <Field
            name="apiKeySecret"
            label="API key"
            hint={
              initial.secretLast4 !== null
                ? `${initial.secretLast4 ? `A key ending in …${initial.secretLast4} is stored.` : "A short key is stored."} Leave empty to keep it, unless you change the base URL: the stored key is never sent to a new host.`
                : "Encrypted at rest with AES-256-GCM; only the last four characters of a key longer than 8 are ever shown."
            }
            error={errors.apiKeySecret}
          >
            <input
              id="f-apiKeySecret"
              name="apiKeySecret"
              type="password"
              autoComplete="off"
              defaultValue=""
              aria-invalid={errors.apiKeySecret ? true : undefined}
              aria-describedby={describedBy("apiKeySecret", true, errors.apiKeySecret)}
            />
          </Field>
        ) : null}
        <div className="field">
          <span className="label">Capabilities</span>
          <div className="checks">
            <label>
              <input type="checkbox" name="capChat" defaultChecked={initial.capChat} /> Chat / text generation
            </label>
            <label>
              <input type="checkbox" name="capEcho" defaultChecked={initial.capEcho} /> Completions with echo + logprobs
            </label>
            <label>
              <input type="checkbox" name="capEmbeddings" defaultChecked={initial.capEmbeddings} /> Embeddings
            </label>
          </div>
          <span className="hint">Likelihood benchmarks (StereoSet, CrowS-Pairs, BBQ, calibration) need echo + logprobs; SEAT needs embeddings.</span>
        </div>
        {text("concurrency", "Concurrency limit", "Requests in flight at once to this endpoint.", "number")}
      </fieldset>
      <fieldset>
        <legend>Embeddings for SEAT (optional)</legend>
        <p className="hint">
          vLLM, Ollama and OpenAI serve embeddings from a separate model (e.g. nomic-embed-text, text-embedding-3-small). Leave empty when this model embeds
          itself (llama.cpp with --embeddings).
        </p>
        {text("embeddingsModelId", "Embeddings model id", "The served id of the embedding model.")}
        {text("embeddingsBaseUrl", "Embeddings server URL", "Only when it runs on another server, e.g. http://localhost:8001/v1.", "url")}
        {text(
          "embeddingsApiKeyEnv",
          "Embeddings key variable",
          "For another server only: the environment variable with its key (this model's key is never sent there).",
        )}
      </fieldset>
      <fieldset>
        <legend>Notes</legend>
        <Field name="notes" label="Notes" error={errors.notes}>
          <textarea id="f-notes" name="notes" defaultValue={initial.notes} />
        </Field>
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : id ? "Save changes" : "Create model"}
        </button>
      </div>
    </form>
  );
}

/** After a refused submit, show what the user typed (checkboxes are absent from FormData when unchecked). */
function withSubmitted(saved: ModelFormValues, state: FormState): ModelFormValues {
  if (!state || state.ok || !state.values) return saved;
  const v = state.values;
  const str = (k: keyof ModelFormValues) => (typeof v[k] === "string" ? (v[k] as string) : String(saved[k] ?? ""));
  return {
    ...saved,
    name: str("name"),
    family: str("family"),
    size: str("size"),
    baseUrl: str("baseUrl"),
    servedModelId: str("servedModelId"),
    apiKeyEnv: str("apiKeyEnv"),
    capChat: v.capChat === "on",
    capEcho: v.capEcho === "on",
    capEmbeddings: v.capEmbeddings === "on",
    concurrency: Number(str("concurrency")) || saved.concurrency,
    notes: str("notes"),
    embeddingsModelId: str("embeddingsModelId"),
    embeddingsBaseUrl: str("embeddingsBaseUrl"),
    embeddingsApiKeyEnv: str("embeddingsApiKeyEnv"),
  };
}
