// Next 16's request proxy (formerly middleware.ts; runs on Node.js before every request, static files included):
// refuses requests that are not addressed to this dashboard, and cross-site state-changing requests, with a
// quiet 403. The rules are in lib/access/allowed-hosts.ts.
import { NextResponse, type NextRequest } from "next/server";
import { refusalOf } from "@/lib/access/allowed-hosts";

export function proxy(request: NextRequest) {
  const refusal = refusalOf({
    method: request.method,
    host: request.headers.get("host"),
    forwardedHost: request.headers.get("x-forwarded-host"),
    origin: request.headers.get("origin"),
  });
  if (refusal) return new NextResponse(refusal, { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  return NextResponse.next();
}
