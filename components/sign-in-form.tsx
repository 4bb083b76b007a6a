"use client";
import { useActionState } from "react";
import { type FormState, oidcSignInAction, setupAction, signInAction, signOutAction } from "@/app/sign-in/actions";
import { FormAlert, InputField, submittedForm } from "./field";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, null);
  const { errors, one } = submittedForm(state);
  return (
    <form action={action} className="stack" noValidate aria-label="Sign in">
      <FormAlert state={state} fieldSummary={false} />
      <input type="hidden" name="next" value={next} />
      <InputField name="email" label="Email" type="email" error={errors.email} defaultValue={one("email", "")} />
      <InputField name="password" label="Password" type="password" error={errors.password} defaultValue="" />
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}

export function OidcSignInForm({ next, label }: { next: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(oidcSignInAction, null);
  return (
    <form action={action} className="stack" aria-label="Single sign-on">
      <FormAlert state={state} fieldSummary={false} />
      <input type="hidden" name="next" value={next} />
      <div className="actions">
        <button type="submit" className="secondary" disabled={pending}>
          {label}
        </button>
      </div>
    </form>
  );
}

export function SignOutForm() {
  const [, action, pending] = useActionState<FormState, FormData>(signOutAction, null);
  return (
    <form action={action} aria-label="Sign out" className="sign-out">
      <button type="submit" className="secondary" disabled={pending}>
        Sign out
      </button>
    </form>
  );
}

export function SetupForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setupAction, null);
  const { errors, one } = submittedForm(state);
  return (
    <form action={action} className="stack" noValidate aria-label="Create the first admin">
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      <InputField name="email" label="Email" type="email" error={errors.email} defaultValue={one("email", "")} />
      <InputField name="password" label="Password" type="password" hint="At least 10 characters." error={errors.password} defaultValue="" />
      <InputField name="confirm" label="Password again" type="password" error={errors.confirm} defaultValue="" />
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create admin and sign in"}
        </button>
      </div>
    </form>
  );
}
