import type { ReactNode } from "react";

/** A labelled form field with its hint and its error, wired for screen readers. */
export function Field({ name, label, hint, error, children }: { name: string; label: string; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div className="field" data-invalid={error ? "true" : undefined}>
      <label htmlFor={`f-${name}`}>{label}</label>
      {children}
      {hint ? (
        <span className="hint" id={`f-${name}-hint`}>
          {hint}
        </span>
      ) : null}
      <FieldError name={name} error={error} />
    </div>
  );
}

/** A field's error message, for groups (checkboxes, radios) that are not one labelled input. */
export function FieldError({ name, error }: { name: string; error?: string }) {
  return error ? (
    <p className="field-error" id={`f-${name}-error`} role="alert" data-field-error={name}>
      {error}
    </p>
  ) : null;
}

/** A labelled text or number input whose default is what was submitted (after a refused submit) or `defaultValue`. */
export function InputField({
  name,
  label,
  hint,
  error,
  defaultValue,
  type = "text",
  step,
}: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  defaultValue: string;
  type?: string;
  step?: string;
}) {
  return (
    <Field name={name} label={label} hint={hint} error={error}>
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        step={step}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, !!hint, error)}
      />
    </Field>
  );
}

/**
 * What a refused submit sent back, for a form to show again: the errors by field, the submitted values, the value
 * of one field (or a default) and all values of a repeated field.
 */
export function submittedForm(state: { ok: boolean; fieldErrors?: Record<string, string>; values?: Record<string, string | string[]> } | null) {
  const refused = state && !state.ok ? state : null;
  const errors: Record<string, string> = refused?.fieldErrors ?? {};
  const values: Record<string, string | string[]> = refused?.values ?? {};
  const one = (k: string, d = "") => {
    const x = values[k];
    return typeof x === "string" ? x : d;
  };
  const many = (k: string): string[] => {
    const x = values[k];
    return Array.isArray(x) ? x : typeof x === "string" ? [x] : [];
  };
  return { errors, values, one, many };
}

export function describedBy(name: string, hasHint: boolean, error?: string): string | undefined {
  const ids = [hasHint ? `f-${name}-hint` : null, error ? `f-${name}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The message above a form after a refused submit: its form-level error, or a pointer to the fields marked. */
export function FormAlert({
  state,
  fieldSummary = true,
}: {
  state: { ok: boolean; formError?: string; fieldErrors?: Record<string, string> } | null;
  /** Also say "correct the fields" when only field errors came back. */
  fieldSummary?: boolean;
}) {
  if (!state || state.ok) return null;
  const hasFieldErrors = fieldSummary && Object.keys(state.fieldErrors ?? {}).length > 0;
  if (!state.formError && !hasFieldErrors) return null;
  return (
    <div className="alert error" role="alert">
      {state.formError ?? "Please correct the fields marked below."}
    </div>
  );
}

/** The options of a model picker. */
export function ModelOptions({ models }: { models: { id: string; label: string }[] }) {
  return (
    <>
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {m.label}
        </option>
      ))}
    </>
  );
}

/** A row of radio buttons, one choice of `options` ([value, label]) under `name`, controlled by `value`. */
export function RadioRow<V extends string>({
  name,
  options,
  value,
  onChange,
  label,
  labelledBy,
}: {
  name: string;
  options: readonly (readonly [V, ReactNode])[];
  value: string;
  onChange: (value: V) => void;
  /** The group's accessible name, or the id of the element that names it. */
  label?: string;
  labelledBy?: string;
}) {
  return (
    <div className="radio-row" role="radiogroup" aria-label={label} aria-labelledby={labelledBy}>
      {options.map(([v, text]) => (
        <label key={v}>
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} /> {text}
        </label>
      ))}
    </div>
  );
}
