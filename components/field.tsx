import type { ReactNode } from "react";

/** A labelled form field with its hint and its error, wired for screen readers. */
export function Field({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="field" data-invalid={error ? "true" : undefined}>
      <label htmlFor={`f-${name}`}>{label}</label>
      {children}
      {hint ? <span className="hint" id={`f-${name}-hint`}>{hint}</span> : null}
      {error ? (
        <p className="field-error" id={`f-${name}-error`} role="alert" data-field-error={name}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function describedBy(name: string, hasHint: boolean, error?: string): string | undefined {
  const ids = [hasHint ? `f-${name}-hint` : null, error ? `f-${name}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}
