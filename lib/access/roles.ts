// Who may do what: the one place every server action (lib/actions.ts), API route (lib/http.ts) and page (proxy.ts)
// asks before it runs. Each declares the role it requires — viewer reads; editor changes models, runs, datasets and
// lineage; admin manages users, tokens of others, scorers, stored keys and deletions (issue 14).
//
// Two modes:
//   - open: no account exists and the dashboard listens on loopback only (npm start's default), or the operator
//     set LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK: whoever reaches it is the local user and may do everything, as before.
//   - accounts: once a user exists (or when listening on the network without that override), every request must
//     carry a session cookie (sign-in, lib/access/auth.ts) or an `Authorization: Bearer` API token.
// A refusal is a LineageError: `unauthenticated` (routes answer 401, pages go to /sign-in) or `forbidden` (403).
import { getDatabase } from "@/lib/db/client";
import { LineageError } from "@/lib/errors";
import { accountsExist, tokenActor } from "./accounts";
import { type Role, roleAtLeast } from "./role-names";

export { ROLES, type Role, roleAtLeast } from "./role-names";

/** Who a request acts as: what the audit log records and a shared link names as its maker. */
export interface Actor {
  /** The user's id; null for the local user of a dashboard without accounts. */
  userId: string | null;
  /** What the audit log and lists show (an email, a token's name, "local user"). */
  name: string;
  role: Role;
  /** How the caller was recognised. */
  via: "local" | "session" | "token";
}

export const LOCAL_ACTOR: Actor = { userId: null, name: "local user", role: "admin", via: "local" };

export const OPT_IN_VARIABLE = "LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK";

/** Whether this server listens on loopback only (scripts/start.mjs passes HOST on as LINEAGE_LISTEN_HOST). */
export function listensOnLoopback(env: Record<string, string | undefined> = process.env): boolean {
  const h = (env.LINEAGE_LISTEN_HOST?.trim() || "127.0.0.1").toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return h === "localhost" || h.endsWith(".localhost") || h.startsWith("127.") || h === "::1" || /^::ffff:127\./.test(h);
}

function optedIntoOpenNetwork(env: Record<string, string | undefined> = process.env): boolean {
  const v = env[OPT_IN_VARIABLE]?.trim();
  return v === "1" || v === "true";
}

/** Whether requests without a session act as the local user: no account exists, and on loopback (or opted in). */
export async function openAccess(): Promise<boolean> {
  if (!listensOnLoopback() && !optedIntoOpenNetwork()) return false;
  const db = await getDatabase();
  return !(await accountsExist(db.prisma));
}

export class UnauthenticatedError extends LineageError {
  constructor(message = "Sign in first.") {
    super(message, { kind: "unauthenticated" });
  }
}

function bearerOf(h: Headers): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h.get("authorization") ?? "");
  return m ? m[1] : null;
}

/** Who the request with these headers is: its API token, its session, the local user (open mode), or null. */
export async function actorOf(h: Headers): Promise<Actor | null> {
  const bearer = bearerOf(h);
  if (bearer !== null) {
    const db = await getDatabase();
    const t = await tokenActor(db.prisma, bearer);
    if (!t) throw new UnauthenticatedError("This API token is not valid: it is unknown, revoked, or its user is disabled.");
    return { userId: t.userId, name: t.name, role: t.role, via: "token" };
  }
  if (await openAccess()) return LOCAL_ACTOR;
  if (!h.get("cookie")) return null;
  const { getAuth } = await import("./auth");
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: h });
  const user = session?.user as { id: string; email: string; role?: string; disabled?: boolean } | undefined;
  if (!user || user.disabled) return null;
  const role = (["viewer", "editor", "admin"] as const).find((r) => r === user.role) ?? "viewer";
  return { userId: user.id, name: user.email, role, via: "session" };
}

/** The headers of the request being served; none outside a request (a test calling an action), which is a stranger. */
async function requestHeaders(): Promise<Headers> {
  const { headers } = await import("next/headers");
  try {
    return new Headers(await headers());
  } catch {
    return new Headers();
  }
}

/**
 * Refuses the current request unless its caller has `required` (or a higher role); returns who the caller is.
 * `source`: the request's headers (API routes, the proxy); by default those of the server action or page being run.
 */
export async function enforce(required: Role, source?: Headers): Promise<Actor> {
  const actor = await actorOf(source ?? (await requestHeaders()));
  if (!actor) throw new UnauthenticatedError();
  if (!roleAtLeast(actor.role, required))
    throw new LineageError(`This needs the ${required} role; ${actor.via === "token" ? "this token has" : "you have"} the ${actor.role} role.`, {
      kind: "forbidden",
    });
  return actor;
}

/** The caller of the page being rendered (after the proxy let it through), for what the page shows: edit controls by role. */
export async function currentActor(): Promise<Actor | null> {
  try {
    return await actorOf(await requestHeaders());
  } catch {
    return null;
  }
}
