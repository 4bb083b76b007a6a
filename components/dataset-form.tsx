"use client";
import { useActionState, useState } from "react";
import { createDatasetAction, type FormState } from "@/app/datasets/actions";
import { DATASET_MODE_CHOICES, DATASET_PROMPT_SOURCE_CHOICES, DIRECTION_CHOICES, RULE_CHOICES } from "@/lib/inheritance/dataset-form";
import type { TargetOption } from "@/lib/inheritance/spec";
import { Field, FieldError, FormAlert, InputField, RadioRow, submittedForm } from "./field";
import { UPLOAD_LIMIT_HINT } from "@/lib/forms";

export type { TargetOption };

/** The target choices grouped by category (built-in metrics, custom attributes), a disabled one with its reason. */
export function TargetOptions({ targets }: { targets: TargetOption[] }) {
  return [...new Set(targets.map((t) => t.group))].map((g) => (
    <optgroup key={g} label={g}>
      {targets
        .filter((t) => t.group === g)
        .map((t) => (
          <option key={t.id} value={t.id} disabled={!!t.disabled}>
            {t.label} ({t.id}){t.disabled ? ` — ${t.disabled}` : ""}
          </option>
        ))}
    </optgroup>
  ));
}

export function DatasetForm({
  teachers,
  targets,
  qaTemplate,
}: {
  teachers: { id: string; label: string; problem: string | null }[];
  targets: TargetOption[];
  qaTemplate: string;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(createDatasetAction, null);
  const { errors, values: v, one, many } = submittedForm(state);
  const submitted = state !== null;
  const [source, setSource] = useState(one("promptSource", "upload"));
  const [rule, setRule] = useState(one("rule", "best"));
  const [target, setTarget] = useState(one("target", "mtld"));
  const [mode, setMode] = useState(one("mode", "chat"));
  const chosen = targets.find((t) => t.id === target);
  const neutral = chosen?.neutral ?? false;
  const input = (name: string, label: string, d: string, hint?: string, type = "number", step?: string) => (
    <InputField name={name} label={label} hint={hint} error={errors[name]} type={type} step={step} defaultValue={one(name, d)} />
  );
  return (
    <form action={action} className="stack" noValidate aria-label="New dataset" key={JSON.stringify(v)}>
      <FormAlert state={state} />
      <fieldset>
        <legend>Prompts</legend>
        <RadioRow name="promptSource" label="Prompt set" value={source} onChange={setSource} options={DATASET_PROMPT_SOURCE_CHOICES} />
        <FieldError name="promptSource" error={errors.promptSource} />
        {source === "upload" ? (
          <Field
            name="promptFile"
            label="Prompt file"
            hint={`JSONL with a "prompt" (or "instruction"/"text") field, an Alpaca-style JSON array of {instruction, input}, CSV with a prompt column, or TXT with one prompt per line. ${UPLOAD_LIMIT_HINT}`}
            error={errors.promptFile}
          >
            <input id="f-promptFile" name="promptFile" type="file" accept=".jsonl,.json,.csv,.txt" />
          </Field>
        ) : null}
        {input("limit", "Limit", "", "First N prompts; empty for all.")}
      </fieldset>
      <fieldset>
        <legend>Teachers</legend>
        <div className="checks" role="group" aria-label="Teachers">
          {teachers.map((t) => (
            <label key={t.id} title={t.problem ?? undefined}>
              <input type="checkbox" name="teacherIds" value={t.id} defaultChecked={many("teacherIds").includes(t.id)} /> {t.label}
              {t.problem ? <span className="muted"> ({t.problem})</span> : null}
            </label>
          ))}
        </div>
        <FieldError name="teacherIds" error={errors.teacherIds} />
        <p className="muted">One teacher is single-source; several are multi-source (k candidates from each).</p>
        {input("k", "k (candidates per prompt per teacher)", "4")}
      </fieldset>
      <fieldset>
        <legend>Decoding</legend>
        <div className="field">
          <span className="label" id="f-mode-label">
            Request
          </span>
          <RadioRow name="mode" labelledBy="f-mode-label" value={mode} onChange={setMode} options={DATASET_MODE_CHOICES} />
        </div>
        <Field
          name="template"
          label="Template"
          hint={
            <>
              {"{prompt}"} is the instruction (and its input, after a blank line); {"{instruction}"} and {"{input}"} are the parts. For completions the paper
              toolkit used <code>{JSON.stringify(qaTemplate)}</code>.
            </>
          }
          error={errors.template}
        >
          <textarea id="f-template" name="template" defaultValue={one("template", "{prompt}")} className="mono" />
        </Field>
        <div className="grid-2">
          {input("temperature", "Temperature", "1", "Sampling: best-of-k needs different candidates.", "number", "0.05")}
          {input("top_p", "top_p", "0.95", undefined, "number", "0.05")}
          {input("max_tokens", "Max tokens", "256")}
          {input("seed", "Seed", "0", "Sent to the endpoints (sample i uses seed + i) and seeds the random pick.")}
        </div>
      </fieldset>
      <fieldset>
        <legend>Selection</legend>
        <RadioRow name="rule" label="Selection rule" value={rule} onChange={setRule} options={RULE_CHOICES} />
        <div className="grid-2">
          <Field
            name="target"
            label="Target metric"
            hint={rule === "random" ? "Reported on the dataset page; not used to choose." : undefined}
            error={errors.target}
          >
            <select id="f-target" name="target" value={target} onChange={(e) => setTarget(e.target.value)}>
              <TargetOptions targets={targets} />
            </select>
          </Field>
          {rule === "best" ? (
            <Field name="direction" label="Direction" error={errors.direction}>
              {/* Remounted per target: a neutral metric starts on "Choose…", so a direction is always chosen for it. */}
              <select id="f-direction" name="direction" key={target} defaultValue={one("direction", chosen?.defaultDirection ?? (neutral ? "" : "max"))}>
                {neutral ? <option value="">Choose…</option> : null}
                {DIRECTION_CHOICES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
        </div>
        {rule === "best" ? (
          <InputField
            key={`tv-${target}`}
            name="targetValue"
            label="Value to be closest to"
            hint="With “Closest to a value”: the value to come closest to (empty: the attribute's own target value)."
            error={errors.targetValue}
            type="number"
            step="any"
            defaultValue={one("targetValue", chosen?.targetValue == null ? "" : String(chosen.targetValue))}
          />
        ) : null}
        {errors.confirmGreedy || one("confirmGreedy") === "on" ? (
          <div className="field" data-invalid={errors.confirmGreedy ? "true" : undefined}>
            <label className="checks">
              <input type="checkbox" name="confirmGreedy" defaultChecked={one("confirmGreedy") === "on"} /> Greedy decoding with k &gt; 1: build it anyway
            </label>
            <FieldError name="confirmGreedy" error={errors.confirmGreedy} />
          </div>
        ) : null}
        <div className="checks" role="group" aria-label="Filters">
          <label>
            <input type="checkbox" name="dropEmpty" defaultChecked={submitted ? one("dropEmpty") === "on" : true} /> Drop empty candidates
          </label>
          <label>
            <input type="checkbox" name="dropTruncated" defaultChecked={one("dropTruncated") === "on"} /> Drop truncated candidates (finish reason “length”)
          </label>
        </div>
        {input("minWords", "Minimum length (words)", "0", "Candidates shorter than this are never selected.")}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Starting…" : "Build dataset"}
        </button>
      </div>
    </form>
  );
}
