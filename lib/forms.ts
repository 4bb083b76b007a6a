// Shared shape of server-action results (field-level errors that forms show next to their inputs), and the fields
// a form's schema reads from FormData. Server actions are built with lib/actions.ts's formAction.
import { z } from "zod";
import { badInput } from "@/lib/errors";

export type FieldErrors = Record<string, string>;

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; fieldErrors: FieldErrors; formError?: string; values?: Record<string, string | string[]> };

/**
 * The first message per field; `depth: 1` keys by the top-level field only (a form's inputs are flat: an issue of
 * `benchmarks.2` belongs to the `benchmarks` checkboxes).
 */
export function fieldErrorsFromZod(error: z.ZodError, opts: { depth?: number } = {}): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key =
      issue.path
        .slice(0, opts.depth ?? issue.path.length)
        .map(String)
        .join(".") || "_form";
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

/** What a one-button form (control, delete, test) says after it ran. */
export type Notice = { ok: boolean; message: string } | null;

/**
 * A record id posted in a hidden field, or null when missing or malformed. Server actions take ids from the form,
 * never from `.bind()` in a client component: React's promise for client-bound arguments never settles during a
 * submit without JavaScript, and the server re-renders forever at 100 % CPU (vercel/next.js#57867).
 */
export function postedId(form: FormData, key = "id"): string | null {
  const v = form.get(key);
  return typeof v === "string" && RECORD_ID.test(v) ? v : null;
}

const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

// Fields of a form's schema. FormData holds strings (a repeated key becomes an array, formDataToObject); files are
// read with postedFile(s) from the FormData itself.

/** A record id posted in a hidden field (see postedId). */
export const recordId = z.string().regex(RECORD_ID);

/** A number input: empty or absent gives the default (or undefined); anything else must be a number. */
export const formNumber = (fallback?: number) =>
  z.preprocess((v) => (v === "" || v === undefined ? fallback : v), z.coerce.number({ message: "Enter a number." }).optional());

/** A checkbox: checked is "on". */
export const formCheckbox = z.preprocess((v) => v === "on" || v === "true" || v === "1", z.boolean());

/** Checkboxes or a multiple select of one name: none checked gives []. */
export const formList = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

/** A text input, trimmed; absent gives "". Longer than `max` is refused with `message`, or cut to `max` with "cut". */
export const formText = (max: number, message?: string | "cut") =>
  message === "cut"
    ? z.preprocess((v) => (typeof v === "string" ? v.trim().slice(0, max) : ""), z.string())
    : z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(max, message));

/** Largest file a form takes (prompt sets, generations); the toolkit import takes four times this over its files. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const megabytes = (bytes: number) => `${bytes / (1024 * 1024)} MB`;

/** Where bigger files go: the command line reads them from disk, with no size limit. */
export const BIG_FILES =
  "For bigger files use the command line, which has no limit: lineage import generations <file>, lineage import toolkit <folder>, or a suite file for lineage profile / --prompts for lineage distill.";

/** The limit as the forms state it before a file is chosen. */
export const UPLOAD_LIMIT_HINT = `Up to ${megabytes(MAX_UPLOAD_BYTES)}; bigger files: the command line (docs/cli.md).`;

/** The file posted as `field`; a bad_input error on that field when none was chosen (`missing`) or it is too large. */
export function postedFile(form: FormData, field: string, missing: string, maxBytes = MAX_UPLOAD_BYTES): File {
  const file = form.get(field);
  if (!(file instanceof File) || file.size === 0) throw badInput(missing, field);
  if (file.size > maxBytes) throw badInput(`The file is larger than ${megabytes(maxBytes)}, the most the dashboard takes. ${BIG_FILES}`, field);
  return file;
}

/** The non-empty files posted as `field`; a bad_input error on that field when there are none or they are too large. */
export function postedFiles(form: FormData, field: string, missing: string, maxBytes: number): File[] {
  const files = form.getAll(field).filter((f): f is File => f instanceof File && f.size > 0);
  if (files.length === 0) throw badInput(missing, field);
  if (files.reduce((a, f) => a + f.size, 0) > maxBytes)
    throw badInput(`The files are larger than ${megabytes(maxBytes)} together, the most the dashboard takes. ${BIG_FILES}`, field);
  return files;
}
