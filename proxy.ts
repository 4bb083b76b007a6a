// Next 16's request proxy (formerly middleware.ts; runs on Node.js before every request, static files included):
// refuses requests that are not addressed to this dashboard, and cross-site state-changing requests, with a
// quiet 403. The rules are in lib/access/allowed-hosts.ts.
import { NextResponse, type NextRequest } from "next/server";
import { refusalOf } from "@/lib/access/allowed-hosts";
import { BIG_FILES } from "@/lib/forms";

/** next.config.mjs's serverActions.bodySizeLimit: larger bodies would fail inside Next with no useful message. */
const MAX_REQUEST_BYTES = 220 * 1024 * 1024;

export function proxy(request: NextRequest) {
  const refusal = refusalOf({
    method: request.method,
    host: request.headers.get("host"),
    forwardedHost: request.headers.get("x-forwarded-host"),
    origin: request.headers.get("origin"),
  });
  if (refusal) return new NextResponse(refusal, { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  // A body over what any form takes is refused before it is read, with a page that says the limit and the way out.
  const length = Number(request.headers.get("content-length") ?? 0);
  if (request.method === "POST" && length > MAX_REQUEST_BYTES)
    return new NextResponse(
      `<!doctype html><title>Upload too large · Lineage</title><h1>Upload too large</h1><p>This upload is ${Math.round(length / 1048576)} MB; the dashboard takes files up to 50 MB (a toolkit folder up to 200 MB).</p><p>${BIG_FILES.replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p><p>Go back to the form, or to <a href="/">the dashboard</a>.</p>`,
      { status: 413, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
    );
  return NextResponse.next();
}
