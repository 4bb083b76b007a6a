// Who may do what: the one place every server action (lib/actions.ts) and API route (lib/http.ts) asks before it
// runs. Each declares the role it requires — viewer reads; editor changes models, runs, datasets and lineage; admin
// manages users, scorers, stored keys and deletions (issue 14).
//
// This version has no sign-in: whoever reaches the dashboard (loopback by default, lib/access/allowed-hosts.ts) is
// the local user and may do everything. When accounts land, `enforce` reads the session (or API token) here and
// throws a LineageError of kind `forbidden`, which each boundary already maps (HTTP 403, a form error, exit code 2).

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

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

/** Refuses the current request unless its caller has `required` (or a higher role); returns who the caller is. */
export async function enforce(required: Role): Promise<Actor> {
  void required;
  return LOCAL_ACTOR;
}
