"use client";
import { useActionState } from "react";
import { saveAttributeAction, type AttributeFormState } from "@/app/attributes/actions";
import type { AttributeFormValues } from "@/lib/attributes/form";
import { ATTRIBUTE_DIRECTIONS, ATTRIBUTE_KINDS, DIRECTION_LABELS, KIND_LABELS } from "@/lib/attributes/spec";
import { Field, FormAlert, InputField, submittedForm } from "./field";

/**
 * Every kind's fields are shown at once (the form works without JavaScript); the server reads those of the chosen
 * kind. With `id`, saving adds a version of that attribute (its name stays).
 */
export function AttributeForm({
  id,
  initial,
  models,
  scorers,
}: {
  id: string | null;
  initial: AttributeFormValues;
  models: { id: string; label: string }[];
  scorers: string[];
}) {
  const [state, action, pending] = useActionState<AttributeFormState, FormData>(saveAttributeAction, null);
  const { errors, values, one } = submittedForm(state);
  const v = (name: string) => one(name, initial[name] ?? "");
  const input = (name: string, label: string, hint?: string, type = "text") => (
    <InputField name={name} label={label} hint={hint} error={errors[name]} type={type} step={type === "number" ? "any" : undefined} defaultValue={v(name)} />
  );
  const area = (name: string, label: string, hint: string, rows = 6) => (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      <textarea id={`f-${name}`} name={name} rows={rows} defaultValue={v(name)} aria-invalid={errors[name] ? true : undefined} />
    </Field>
  );
  const select = (name: string, label: string, options: [string, string][], hint?: string) => (
    <Field name={name} label={label} hint={hint} error={errors[name]}>
      <select id={`f-${name}`} name={name} defaultValue={v(name)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <form action={action} className="stack" noValidate aria-label={id ? "New version" : "New attribute"} key={JSON.stringify(values)}>
      <FormAlert state={state} />
      {id ? (
        <input type="hidden" name="id" value={id} />
      ) : (
        input("name", "Name", "Its metric id is attr_ followed by the name in lower case (e.g. attr_hedging).")
      )}
      {input("unit", "Unit", "What a value is in: 'per 100 words', 'score 1–10', 'probability'.")}
      {area("description", "Description", "One sentence for tables and the dataset card.", 2)}
      {select(
        "direction",
        "Better direction",
        ATTRIBUTE_DIRECTIONS.map((d) => [d, DIRECTION_LABELS[d]]),
      )}
      {input("target", "Target value", "Only for 'closest to a target value'.", "number")}
      {select(
        "kind",
        "Kind",
        ATTRIBUTE_KINDS.map((k) => [k, KIND_LABELS[k]]),
        "Only the chosen kind's fields below are read.",
      )}
      <fieldset>
        <legend>Lexicon / patterns</legend>
        {area("terms", "Words, phrases or patterns", "One per line. Words and phrases follow the word rule of length_words (punctuation deleted).")}
        {select("match", "Match", [
          ["words", "words and phrases"],
          ["patterns", "regular expressions (over the raw text)"],
        ])}
        {select("measure", "Measure", [
          ["rate", "matches per 100 words"],
          ["presence", "presence (1 or 0)"],
        ])}
        <div className="field">
          <label>
            <input type="checkbox" name="caseSensitive" defaultChecked={v("caseSensitive") === "on"} /> Case-sensitive
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>LLM judge</legend>
        {select("judgeModelId", "Judge model", [["", "— choose a registered model —"], ...models.map((m): [string, string] => [m.id, m.label])])}
        {area("rubric", "Rubric", "The prompt sent to the judge: {prompt} and {output} are replaced by the request and the answer.", 8)}
        {select("readerType", "Read the score as", [
          ["number", "the first number, within a range"],
          ["labels", "a label mapped to a value"],
          ["json", "a field of a JSON answer"],
        ])}
        {input("readerMin", "Range: lowest", undefined, "number")}
        {input("readerMax", "Range: highest", undefined, "number")}
        {area("readerLabels", "Labels", 'One "label = value" per line, e.g. "formal = 1".', 3)}
        {input("readerField", "JSON field", "A dotted path such as score or result.helpfulness.")}
        {input("temperature", "Temperature", "0 (greedy) by default.", "number")}
        {input("maxTokens", "Maximum answer tokens", undefined, "number")}
        {input("judgeSamples", "Judge samples per output (averaged)", "More than 1 only makes sense with a temperature above 0.", "number")}
      </fieldset>
      <fieldset>
        <legend>Classifier</legend>
        {select("scorerName", "Scorer", [["", "— choose a scorer —"], ...scorers.map((s): [string, string] => [s, s])], "Configured on /scorers.")}
        {input("scorerAttribute", "Attribute of its answer", "TOXICITY, a moderation category or a classifier label.")}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : id ? "Save as a new version" : "Create attribute"}
        </button>
      </div>
    </form>
  );
}
