"use client";
import { useActionState } from "react";
import { createTokenAction, revokeTokenAction, type TokenFormState } from "@/app/tokens/actions";
import type { Notice } from "@/lib/forms";
import { Field, FormAlert, InputField, submittedForm } from "./field";
import { Isolate } from "./isolate";

export function NewTokenForm({ roles }: { roles: string[] }) {
  const [state, action, pending] = useActionState<TokenFormState, FormData>(createTokenAction, null);
  const { errors, values, one } = submittedForm(state);
  return (
    <form action={action} className="stack" noValidate aria-label="New API token" key={JSON.stringify(values)}>
      {state?.ok && state.data ? (
        <div className="alert ok" role="status">
          <p>
            Token <Isolate>{state.data.name}</Isolate> ({state.data.role}). Copy it now: it is shown only once.
          </p>
          <code className="token" data-testid="new-token">
            {state.data.token}
          </code>
        </div>
      ) : (
        <FormAlert state={state} />
      )}
      <InputField name="name" label="Name" hint="What uses it, e.g. nightly-export." error={errors.name} defaultValue={one("name", "")} />
      <Field name="role" label="Role" error={errors.role}>
        <select id="f-role" name="role" defaultValue={one("role", "viewer")}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </Field>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}

export function RevokeTokenForm({ id, name }: { id: string; name: string }) {
  const [report, action, pending] = useActionState<Notice, FormData>(revokeTokenAction, null);
  return (
    <form action={action} className="actions" aria-label={`Revoke ${name}`}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary" disabled={pending}>
        Revoke
      </button>
      <span aria-live="polite">{report ? <span className={`alert ${report.ok ? "ok" : "error"}`}>{report.message}</span> : null}</span>
    </form>
  );
}
