import { getAuth, OIDC_PROVIDER_ID } from "@/lib/access/auth";

// better-auth's HTTP endpoints, of which the browser needs only the OpenID Connect issuer's callback: the dashboard's
// own forms reach the rest from the server (lib/access/session.ts). Public (proxy.ts): the callback carries its state.
const CALLBACK = `/api/auth/callback/${OIDC_PROVIDER_ID}`;

async function handle(req: Request): Promise<Response> {
  if (new URL(req.url).pathname !== CALLBACK) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  return (await getAuth()).handler(req);
}

export const GET = handle;
export const POST = handle;
