// One server-action shape. Every form's action is built here:
//
//   export const saveThingAction = formAction(thingSchema, async (input, { form, refuse }) => { … }, { requires: "editor" });
//
// and used by a client component as `useActionState(saveThingAction, null)` → `<form action={…}>`, which works
// without JavaScript too. The wrapper
//   1. checks that the caller may do this (`requires`, lib/access/roles.ts: the one place),
//   2. reads the FormData (repeated keys as arrays) and parses it with the zod schema: on failure the form gets each
//      field's first message and its submitted values back (React resets uncontrolled inputs; secrets are dropped),
//   3. calls the handler with the typed input, and
//   4. maps a LineageError the handler throws to the form's result (next to its `field`, else at the top of the form);
//      anything else — a bug, or Next's redirect — is thrown on;
//   5. after a successful handler (an ok result, or a redirect), records `audit` in the audit log (lib/audit/log.ts)
//      as the caller: the one place actions are audited, never the handlers.
// Record ids come from hidden fields of the form (recordId in the schema), never from `.bind()` in a client component
// (see postedId in lib/forms.ts).
import type { z } from "zod";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { type Actor, enforce, type Role } from "@/lib/access/roles";
import { auditEntryOf, tryRecordAudit, type ActionAudit, type AuditOutcome } from "@/lib/audit/log";
import { getDatabase } from "@/lib/db/client";

/** The role an action needs, or "anyone" for the few that must work signed out (sign-in, the setup link). */
export type Requirement = Role | "anyone";

/** The caller, checked against the requirement; null for an "anyone" action. */
async function check(requires: Requirement): Promise<Actor | null> {
  return requires === "anyone" ? null : enforce(requires);
}
import { LineageError } from "@/lib/errors";
import { echoValues, fieldErrorsFromZod, formDataToObject, type ActionResult, type FieldErrors } from "@/lib/forms";

export type FormState<T = unknown> = ActionResult<T> | null;
export type Refusal = Extract<ActionResult<never>, { ok: false }>;

export interface FormActionOptions<I = unknown, T = unknown> {
  /** The role the action needs (viewer, editor, admin). */
  requires: Requirement;
  /** What the audit log records after it succeeded (lib/audit/log.ts ActionAudit). */
  audit?: ActionAudit<I, T>;
  /** A schema refusal said at the top of the form with this sentence instead of next to each field (forms of hidden fields). */
  invalid?: string;
  /** Fields never sent back to the form, besides those named like a secret, password or token. */
  secret?: string[];
}

export interface FormContext {
  /** The posted form, for its files (postedFile in lib/forms.ts). */
  form: FormData;
  /** The posted fields as strings (repeated keys as arrays). */
  raw: Record<string, string | string[]>;
  /** Refuses the submit: messages next to fields and/or one at the top; the submitted values go back to the form. */
  refuse(fieldErrors: FieldErrors, formError?: string): Refusal;
  /** Who submitted it (null for an action anyone may run). */
  actor: Actor | null;
}

/** The one place a thrown LineageError becomes an action result; null for anything else (thrown on). */
export function refusalOf(err: unknown, refuse: FormContext["refuse"]): Refusal | null {
  if (!(err instanceof LineageError) || err.category === "internal") return null;
  return err.field ? refuse({ [err.field]: err.userMessage }) : refuse({}, err.userMessage);
}

/**
 * Runs `fn`; a LineageError it throws without a field of its own (a file's format, an unknown scorer name) is said
 * next to `field` of the form.
 */
export async function onField<T>(field: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LineageError && err.category !== "internal" && !err.field)
      throw new LineageError(err.message, { kind: err.category, field, userMessage: err.userMessage, cause: err });
    throw err;
  }
}

/** Records a succeeded action: after an ok result, or before Next's redirect (thrown on success) is thrown on. */
async function audited<I, T, X extends { ok: boolean }>(
  actor: Actor | null,
  spec: ActionAudit<I, T> | undefined,
  input: I,
  run: () => Promise<X>,
  dataOf: (result: X) => T | undefined,
): Promise<X> {
  try {
    const result = await run();
    if (spec && actor && result.ok) await tryRecordAudit(getDatabase, actor, auditEntryOf(spec, input, { data: dataOf(result) }));
    return result;
  } catch (err) {
    if (spec && actor && isRedirectError(err)) {
      const done: AuditOutcome<T> = { location: getURLFromRedirectError(err) };
      await tryRecordAudit(getDatabase, actor, auditEntryOf(spec, input, done));
    }
    throw err;
  }
}

export function formAction<S extends z.ZodType, T = unknown>(
  schema: S,
  handler: (input: z.output<S>, ctx: FormContext) => Promise<ActionResult<T>>,
  options: FormActionOptions<z.output<S>, T>,
): (prev: unknown, form: FormData) => Promise<FormState<T>> {
  return async (_prev, form) => {
    const raw = formDataToObject(form);
    const values = echoValues(raw, options.secret);
    const refuse = (fieldErrors: FieldErrors, formError?: string): Refusal => ({ ok: false, fieldErrors, formError, values });
    try {
      const actor = await check(options.requires);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return options.invalid ? refuse({}, options.invalid) : refuse(fieldErrorsFromZod(parsed.error, { depth: 1 }));
      const result = await audited(
        actor,
        options.audit,
        parsed.data,
        () => handler(parsed.data, { form, raw, refuse, actor }),
        (r) => (r.ok ? r.data : undefined),
      );
      return result.ok ? result : { ...result, values: result.values ?? values };
    } catch (err) {
      const refusal = refusalOf(err, refuse);
      if (refusal) return refusal;
      throw err;
    }
  };
}

/** What a one-button form (control, delete, test, probe) shows after it ran. */
export type Report = { ok: boolean; message?: string };
type Refused = { ok: false; message: string };

/**
 * A one-button form's action (its record id in a hidden field): the same access check and schema, and a
 * LineageError becomes `{ ok: false, message }`. `invalid` is said when the posted fields do not parse.
 */
export function reportAction<S extends z.ZodType, R extends Report>(
  schema: S,
  handler: (input: z.output<S>, form: FormData, actor: Actor | null) => Promise<R>,
  options: { requires: Requirement; invalid: string; audit?: ActionAudit<z.output<S>, R> },
): (prev: unknown, form: FormData) => Promise<R | Refused> {
  return async (_prev, form) => {
    try {
      const actor = await check(options.requires);
      const parsed = schema.safeParse(formDataToObject(form));
      if (!parsed.success) return { ok: false, message: options.invalid };
      return await audited(
        actor,
        options.audit,
        parsed.data,
        () => handler(parsed.data, form, actor),
        (r) => r,
      );
    } catch (err) {
      if (err instanceof LineageError && err.category !== "internal") return { ok: false, message: err.userMessage };
      throw err;
    }
  };
}

/**
 * A server function called with an argument by a client component (not a form): the argument is parsed with the
 * schema (a ZodError on a malformed one), the access check runs, and errors are thrown on to the caller.
 */
export function queryAction<S extends z.ZodType, R>(
  schema: S,
  handler: (input: z.output<S>) => Promise<R>,
  options: { requires: Requirement },
): (arg: z.input<S>) => Promise<R> {
  return async (arg) => {
    await check(options.requires);
    return handler(schema.parse(arg));
  };
}
