"use client";
import { useActionState, useState } from "react";
import { createRunAction, type FormState } from "@/app/runs/actions";
import { BENCHMARK_CHOICES, MODE_CHOICES, PROMPT_SOURCE_CHOICES, SUITE_CHOICES } from "@/lib/runs/run-form";
import { Field, FormAlert, InputField, ModelOptions, RadioRow, submittedForm } from "./field";
import { UPLOAD_LIMIT_HINT } from "@/lib/forms";

export function NewRunForm({
  models,
  defaultModelId,
  template,
  attributes = [],
}: {
  models: { id: string; label: string }[];
  defaultModelId: string;
  template: string;
  /** custom attributes the textual step can measure too */
  attributes?: { name: string; label: string }[];
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(createRunAction, null);
  const { errors, values: v, one, many } = submittedForm(state);
  const [source, setSource] = useState(one("promptSource", "dolly200-test"));
  const [suite, setSuite] = useState(one("suite", "textual"));
  const [benchmarks, setBenchmarks] = useState<string[]>(v.benchmarks === undefined ? ["textual"] : many("benchmarks"));
  const [mode, setMode] = useState(one("mode", "completion"));
  const showTextual = suite === "textual" || (suite === "custom" && benchmarks.includes("textual"));
  const input = (name: string, label: string, d: string, hint?: string, type = "number", step?: string) => (
    <InputField name={name} label={label} hint={hint} error={errors[name]} type={type} step={step} defaultValue={one(name, d)} />
  );
  return (
    <form action={action} className="stack" noValidate aria-label="New run" key={JSON.stringify(v)}>
      <FormAlert state={state} />
      <fieldset>
        <legend>What to profile</legend>
        <Field name="modelId" label="Model" error={errors.modelId}>
          <select id="f-modelId" name="modelId" defaultValue={one("modelId", defaultModelId)}>
            <ModelOptions models={models} />
          </select>
        </Field>
        {input("name", "Run name", "", "Optional, e.g. base-before-distillation.", "text")}
      </fieldset>
      <fieldset>
        <legend>Suite</legend>
        <RadioRow name="suite" label="Suite" value={suite} onChange={setSuite} options={SUITE_CHOICES} />
        {suite === "custom" ? (
          <>
            <Field name="benchmarks" label="Benchmarks" error={errors.benchmarks}>
              <div className="radio-row" role="group" aria-label="Benchmarks">
                {BENCHMARK_CHOICES.map(([id, label]) => (
                  <label key={id}>
                    <input
                      type="checkbox"
                      name="benchmarks"
                      value={id}
                      checked={benchmarks.includes(id)}
                      onChange={(e) => setBenchmarks((b) => (e.target.checked ? [...b, id] : b.filter((x) => x !== id)))}
                    />{" "}
                    {label}
                  </label>
                ))}
              </div>
            </Field>
            {input("benchLimit", "Items per benchmark", "", "A seeded sample of N items of each benchmark (the same for every model); empty for all.")}
          </>
        ) : null}
        {suite !== "textual" ? (
          <Field
            name="scorerName"
            label="Toxicity scorer"
            hint="Name of a configured scorer; empty: the LINEAGE_SCORER environment of the server. Without a scorer, toxicity is marked not supported."
            error={errors.scorerName}
          >
            <input id="f-scorerName" name="scorerName" type="text" defaultValue={one("scorerName")} />
          </Field>
        ) : null}
        <p className="hint">Benchmarks the endpoint cannot serve (log-likelihood through echo, embeddings) are listed as not supported, with the reason.</p>
      </fieldset>
      {showTextual ? (
        <>
          <fieldset>
            <legend>Textual characteristics: prompts</legend>
            <RadioRow name="promptSource" label="Prompt set" value={source} onChange={setSource} options={PROMPT_SOURCE_CHOICES} />
            {source === "upload" ? (
              <Field
                name="promptFile"
                label="Prompt file"
                hint={`JSONL with a "prompt" (or "instruction"/"text") field, CSV with a prompt column, or TXT with one prompt per line. ${UPLOAD_LIMIT_HINT}`}
                error={errors.promptFile}
              >
                <input id="f-promptFile" name="promptFile" type="file" accept=".jsonl,.json,.csv,.txt" />
              </Field>
            ) : null}
            <div className="grid-2">
              {input("limit", "Limit", "", "First N prompts; empty for all.")}
              {input("samples", "Samples per prompt", "1")}
            </div>
          </fieldset>
          {attributes.length ? (
            <fieldset>
              <legend>Custom attributes</legend>
              <Field
                name="attributes"
                label="Also measure"
                hint="Each output's value of these attributes (their latest version; see /attributes)."
                error={errors.attributes}
              >
                <div className="radio-row" role="group" aria-label="Custom attributes">
                  {attributes.map((a) => (
                    <label key={a.name}>
                      <input type="checkbox" name="attributes" value={a.name} defaultChecked={many("attributes").includes(a.name)} /> {a.label}
                    </label>
                  ))}
                </div>
              </Field>
            </fieldset>
          ) : null}
          <fieldset>
            <legend>Decoding</legend>
            <div className="field">
              <span className="label" id="f-mode-label">
                Request
              </span>
              <RadioRow name="mode" labelledBy="f-mode-label" value={mode} onChange={setMode} options={MODE_CHOICES} />
            </div>
            <Field name="template" label="Template" hint="{prompt} is replaced by each prompt. The default is the paper toolkit's." error={errors.template}>
              <textarea id="f-template" name="template" defaultValue={one("template", template)} className="mono" />
            </Field>
            <div className="grid-2">
              {input("temperature", "Temperature", "0", "0 = greedy, as the toolkit.", "number", "0.05")}
              {input("top_p", "top_p", "1", undefined, "number", "0.05")}
              {input("max_tokens", "Max tokens", "256")}
              {input("seed", "Seed", "", "Optional; sent to the endpoint.")}
            </div>
          </fieldset>
        </>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Starting…" : "Start run"}
        </button>
      </div>
    </form>
  );
}
