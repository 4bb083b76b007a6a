// The HTTP side of the one error shape (lib/errors.ts): the status of each kind of LineageError, mapped here only,
// and the wrapper every API route handler goes through, which is also where its access check runs (`requires`,
// lib/access/roles.ts). A route throws (notFound("no such run"), badInput(…)) instead of building error responses.
import { NextResponse } from "next/server";
import type { z } from "zod";
import { enforce, type Role } from "@/lib/access/roles";
import { badInput, type ErrorKind, LineageError } from "@/lib/errors";

export const HTTP_STATUS: Record<ErrorKind, number> = {
  bad_input: 400,
  not_found: 404,
  conflict: 409,
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

/** A route handler with its access check; a LineageError it throws becomes its JSON error response. */
export function apiRoute<C = unknown>(handler: Handler<C>, options: { requires: Role }): Handler<C> {
  return async (req, ctx) => {
    try {
      await enforce(options.requires);
      return await handler(req, ctx);
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
