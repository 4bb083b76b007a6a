// One error shape. Every failure Lineage raises on purpose is a LineageError: a `kind` that says what sort of
// failure it is, and a message meant for the person who has to act on it. Each boundary maps the kind in one place:
//   HTTP responses of the API routes    lib/http.ts         (errorResponse, apiRoute)
//   results of the server actions       lib/actions.ts      (formAction, noticeAction)
//   exit codes of the command line      lib/cli/program.ts  (run)
// so no caller tells errors apart by their message or by a prefix of their name: test `kind` (or `instanceof`).
// No imports: anything may depend on this file (the metrics layer, the database thread, the CLI bundle).

/**
 * - `bad_input`: what the user gave cannot be used (a form field, a flag, a file's content, a suite) — fix the input.
 * - `not_found`: what the input names does not exist (a model, a run, a benchmark data file).
 * - `gone`: it existed but no longer opens (an expired or revoked reviewer link).
 * - `conflict`: the record's state forbids it now (resume a completed run, delete a running dataset).
 * - `unauthenticated`: the dashboard has accounts and the caller is not signed in (no session, no valid API token):
 *   pages send them to /sign-in (proxy.ts), routes answer 401.
 * - `forbidden`: the caller's role may not do this (lib/access/roles.ts).
 * - `unavailable`: a service Lineage calls failed or refused (a model endpoint, a toxicity scorer, a download).
 * - `environment`: the setup is wrong (database locked, unreachable, not migrated or newer; a key variable; a
 *   LINEAGE_* setting).
 * - `internal`: a bug; its message is for the log, not for the user.
 */
export const ERROR_KINDS = ["bad_input", "not_found", "gone", "conflict", "unauthenticated", "forbidden", "unavailable", "environment", "internal"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface LineageErrorOptions {
  /** What the user is shown; default the message (for `internal` errors, a generic sentence). */
  userMessage?: string;
  /** The form field the error is about: a server action shows it next to that field. */
  field?: string;
  cause?: unknown;
}

const INTERNAL_MESSAGE = "Something went wrong on the server; its log says more.";

function isErrorKind(k: string): k is ErrorKind {
  return (ERROR_KINDS as readonly string[]).includes(k);
}

/**
 * The base of Lineage's errors. `kind` is an ErrorKind; the model client's LlmError and the scorers' ScorerError keep
 * finer kinds of their own (`K`) and say which ErrorKind they amount to in `category`, which is what the boundaries
 * map. For every other error `category === kind`.
 */
export class LineageError<K extends string = ErrorKind> extends Error {
  readonly kind: K;
  readonly category: ErrorKind;
  readonly userMessage: string;
  declare readonly field?: string;

  constructor(message: string, init: LineageErrorOptions & { kind: K; category?: ErrorKind }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.category = init.category ?? (isErrorKind(init.kind) ? init.kind : "internal");
    this.userMessage = init.userMessage ?? (this.category === "internal" ? INTERNAL_MESSAGE : message);
    if (init.field !== undefined) this.field = init.field;
  }
}

/**
 * A base class for errors of one kind: `class SuiteError extends errorOfKind("bad_input") {}`. Its constructor takes
 * the message and, optionally, a field, a user message, a cause, or another kind for one throw site (e.g. a suite
 * step whose data file is missing is `not_found`).
 */
export function errorOfKind(kind: ErrorKind) {
  return class extends LineageError {
    constructor(message: string, options: LineageErrorOptions & { kind?: ErrorKind } = {}) {
      super(message, { ...options, kind: options.kind ?? kind });
    }
  };
}

export function isLineageError(err: unknown, ...kinds: ErrorKind[]): err is LineageError<string> {
  return err instanceof LineageError && (kinds.length === 0 || kinds.includes(err.category));
}

/** The ErrorKind of anything thrown: a LineageError's category, else `internal`. */
export function errorKindOf(err: unknown): ErrorKind {
  return err instanceof LineageError ? err.category : "internal";
}

/** What the user may be shown of anything thrown (never an internal error's text). */
export function userMessageOf(err: unknown): string {
  return err instanceof LineageError ? err.userMessage : INTERNAL_MESSAGE;
}

// Shorthands for the throw sites of pages, routes and actions.
export const badInput = (message: string, field?: string) => new LineageError(message, { kind: "bad_input", field });
export const notFound = (message: string, field?: string) => new LineageError(message, { kind: "not_found", field });
export const gone = (message: string) => new LineageError(message, { kind: "gone" });
export const conflict = (message: string, field?: string) => new LineageError(message, { kind: "conflict", field });
