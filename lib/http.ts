// The HTTP side of the one error shape (lib/errors.ts): the status of each kind of LineageError, mapped here only,
// and the wrapper every API route handler goes through, which is also where its access check runs (`requires`,
// lib/access/roles.ts). A route throws (notFound("no such run"), badInput(…)) instead of building error responses.
// After a successful response it records the route's `audit` entry (exports, lib/audit/log.ts) as the caller.
import { NextResponse } from "next/server";
import type { z } from "zod";
import { enforce, type Actor, type Role } from "@/lib/access/roles";
import { tryRecordAudit, type AuditActor, type AuditEntry } from "@/lib/audit/log";
import { getDatabase } from "@/lib/db/client";
import { badInput, type ErrorKind, LineageError } from "@/lib/errors";

export const HTTP_STATUS: Record<ErrorKind, number> = {
  bad_input: 400,
  not_found: 404,
  gone: 410,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  unavailable: 502,
  environment: 503,
  internal: 500,
};

/** `{ error: <user message> }` with the kind's status; anything that is not a LineageError (a bug) is thrown on. */
export function errorResponse(err: unknown): Response {
  if (!(err instanceof LineageError) || err.category === "internal") throw err;
  return NextResponse.json({ error: err.userMessage }, { status: HTTP_STATUS[err.category], headers: { "Cache-Control": "no-store" } });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

type Audit<C, A> = {
  /** What the audit log records after a successful (2xx) response, e.g. an export. */
  audit?: (req: Request, ctx: C, caller: A) => AuditEntry | null;
};

/**
 * A route handler with its access check — a role (lib/access/roles.ts), or for the reviewer links' routes, which no
 * account calls, `access`: a function that recognises the caller from the request itself or throws. A LineageError
 * it throws becomes its JSON error response.
 */
export function apiRoute<C = unknown>(
  handler: (req: Request, ctx: C, caller: Actor) => Promise<Response>,
  options: { requires: Role } & Audit<C, Actor>,
): Handler<C>;
export function apiRoute<C, A extends AuditActor>(
  handler: (req: Request, ctx: C, caller: A) => Promise<Response>,
  options: { access: (req: Request, ctx: C) => Promise<A> } & Audit<C, A>,
): Handler<C>;
export function apiRoute<C, A extends AuditActor>(
  handler: (req: Request, ctx: C, caller: A) => Promise<Response>,
  options: ({ requires: Role } | { access: (req: Request, ctx: C) => Promise<A> }) & Audit<C, A>,
): Handler<C> {
  return async (req, ctx) => {
    try {
      const caller = "access" in options ? await options.access(req, ctx) : ((await enforce(options.requires, req.headers)) as AuditActor as A);
      const res = await handler(req, ctx, caller);
      const entry = res.ok && options.audit ? options.audit(req, ctx, caller) : null;
      if (entry) await tryRecordAudit(getDatabase, caller, entry);
      return res;
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** The parsed value, or a bad_input error saying what is wrong (by default each issue's message, joined). */
export function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown, describe?: (error: z.ZodError) => string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badInput(describe ? describe(parsed.error) : parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/**
 * A response body that sends the chunks as they are produced (a large export never sits whole in memory). The status
 * is sent before the first chunk is read, so a failure part-way aborts the download: the client sees it incomplete.
 */
export function streamedText(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await it.return?.();
    },
  });
}
