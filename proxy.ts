// Next 16's request proxy (formerly middleware.ts; runs on Node.js before every request, static files included):
// refuses requests that are not addressed to this dashboard, and cross-site state-changing requests, with a
// quiet 403 (the rules are in lib/access/allowed-hosts.ts); then, when the dashboard has accounts, sends a caller
// who is not signed in to /sign-in (pages) or answers 401 (routes, posts). This is the viewer check of every page:
// a layout's check would not run for a client navigation's request of one segment. Actions and routes check their
// own role again (lib/actions.ts, lib/http.ts).
import { NextResponse, type NextRequest } from "next/server";
import { refusalOf } from "@/lib/access/allowed-hosts";
import { isPublicPath } from "@/lib/access/public-paths";
import { actorOf } from "@/lib/access/roles";
import { isLineageError } from "@/lib/errors";
import { BIG_FILES } from "@/lib/forms";

/** next.config.mjs's serverActions.bodySizeLimit: larger bodies would fail inside Next with no useful message. */
const MAX_REQUEST_BYTES = 220 * 1024 * 1024;

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

/** The sign-in gate: null to let the request through. */
async function signInGate(request: NextRequest): Promise<Response | null> {
  const path = request.nextUrl.pathname;
  if (isPublicPath(path)) return null;
  let message = "Sign in first: open the dashboard and sign in, or send an API token (Authorization: Bearer …).\n";
  try {
    if (await actorOf(request.headers)) return null;
  } catch (err) {
    if (!isLineageError(err, "unauthenticated")) throw err;
    message = `${err.userMessage}\n`;
  }
  const method = request.method.toUpperCase();
  if ((method === "GET" || method === "HEAD") && !path.startsWith("/api/") && !request.headers.get("authorization")) {
    const url = new URL("/sign-in", request.nextUrl);
    url.search = "";
    if (path !== "/") url.searchParams.set("next", `${path}${request.nextUrl.search}`);
    return NextResponse.redirect(url, 303);
  }
  return new NextResponse(message, { status: 401, headers: TEXT });
}

export async function proxy(request: NextRequest) {
  const refusal = refusalOf({
    method: request.method,
    host: request.headers.get("host"),
    forwardedHost: request.headers.get("x-forwarded-host"),
    origin: request.headers.get("origin"),
  });
  if (refusal) return new NextResponse(refusal, { status: 403, headers: TEXT });
  const gate = await signInGate(request);
  if (gate) return gate;
  // A body over what any form takes is refused before it is read, with a page that says the limit and the way out.
  const length = Number(request.headers.get("content-length") ?? 0);
  if (request.method === "POST" && length > MAX_REQUEST_BYTES)
    return new NextResponse(
      `<!doctype html><title>Upload too large · Lineage</title><h1>Upload too large</h1><p>This upload is ${Math.round(length / 1048576)} MB; the dashboard takes files up to 50 MB (a toolkit folder up to 200 MB).</p><p>${BIG_FILES.replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p><p>Go back to the form, or to <a href="/">the dashboard</a>.</p>`,
      { status: 413, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
    );
  return NextResponse.next();
}
