"use client";
import { useActionState } from "react";
import { addUserAction, type FormState, userRowAction } from "@/app/users/actions";
import type { Notice } from "@/lib/forms";
import { Field, FormAlert, InputField, submittedForm } from "./field";

const ROLE_OPTIONS = [
  ["viewer", "viewer (reads)"],
  ["editor", "editor (models, runs, datasets, lineage)"],
  ["admin", "admin (users, scorers, stored keys, deletions)"],
] as const;

export function AddUserForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(addUserAction, null);
  const { errors, values, one } = submittedForm(state);
  return (
    <form action={action} className="stack" noValidate aria-label="Add a user" key={JSON.stringify(values)}>
      {state?.ok ? <div className="alert ok">{state.message}</div> : <FormAlert state={state} />}
      <InputField name="email" label="Email" type="email" error={errors.email} defaultValue={one("email", "")} />
      <Field name="role" label="Role" error={errors.role}>
        <select id="f-role" name="role" defaultValue={one("role", "viewer")}>
          {ROLE_OPTIONS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <InputField
        name="password"
        label="Password"
        type="password"
        hint="At least 10 characters; tell it to them. Empty: they sign in through single sign-on with this email."
        error={errors.password}
        defaultValue=""
      />
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add user"}
        </button>
      </div>
    </form>
  );
}

export function UserRowControls({ id, email, role, disabled }: { id: string; email: string; role: string; disabled: boolean }) {
  const [report, action, pending] = useActionState<Notice, FormData>(userRowAction, null);
  return (
    <form action={action} className="actions" aria-label={`Manage ${email}`}>
      <input type="hidden" name="id" value={id} />
      <label className="visually-hidden" htmlFor={`role-${id}`}>
        Role of {email}
      </label>
      <select id={`role-${id}`} name="role" defaultValue={role}>
        {ROLE_OPTIONS.map(([v]) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
      <button type="submit" name="intent" value="set-role" className="secondary" disabled={pending}>
        Change role
      </button>
      <button type="submit" name="intent" value={disabled ? "enable" : "disable"} className="secondary" disabled={pending}>
        {disabled ? "Enable" : "Disable"}
      </button>
      <button type="submit" name="intent" value="remove" className="secondary" disabled={pending}>
        Remove
      </button>
      <span aria-live="polite">{report ? <span className={`alert ${report.ok ? "ok" : "error"}`}>{report.message}</span> : null}</span>
    </form>
  );
}
