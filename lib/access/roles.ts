// Who may do what: the one place every server action (lib/actions.ts) and API route (lib/http.ts) asks before it
// runs. Each declares the role it requires — viewer reads; editor changes models, runs, datasets and lineage; admin
// manages users, scorers, stored keys and deletions (issue 14).
//
// This version has no sign-in: whoever reaches the dashboard (loopback by default, lib/access/allowed-hosts.ts) may do
// everything, so `enforce` lets every request through. When accounts land, it reads the session here and throws a
// LineageError of kind `forbidden`, which each boundary already maps (HTTP 403, a form error, exit code 2).

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Refuses the current request unless its caller has `required` (or a higher role). No-op until sign-in exists. */
export async function enforce(required: Role): Promise<void> {
  void required;
}
