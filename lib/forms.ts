// Shared shape of server-action results: field-level errors that forms show next to their inputs.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; fieldErrors: FieldErrors; formError?: string; values?: Record<string, string | string[]> };

export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}

/** FormData → plain object; repeated keys become arrays. */
export function formDataToObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** The submitted values to show again after a refused submit (React resets uncontrolled forms); secrets dropped. */
export function echoValues(raw: Record<string, string | string[]>, omit: string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) if (!omit.includes(k) && !/secret|password|token/i.test(k)) out[k] = v;
  return out;
}

/** How a server action refuses a submit: the errors, and the submitted values for the form to show again. */
export function refuseWith(raw: Record<string, string | string[]>, omit: string[] = []) {
  return (fieldErrors: FieldErrors, formError?: string): ActionResult<never> => ({ ok: false, fieldErrors, formError, values: echoValues(raw, omit) });
}

/** What a one-button form (control, delete, test) says after it ran. */
export type Notice = { ok: boolean; message: string } | null;

/**
 * A record id posted in a hidden field, or null when missing or malformed. Server actions take ids from the form,
 * never from `.bind()` in a client component: React's promise for client-bound arguments never settles during a
 * submit without JavaScript, and the server re-renders forever at 100 % CPU (vercel/next.js#57867).
 */
export function postedId(form: FormData, key = "id"): string | null {
  const v = form.get(key);
  return typeof v === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null;
}
