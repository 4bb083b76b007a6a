// What a page shows by the caller's role (the access check itself is each action's and route's, lib/access/roles.ts):
// edit controls only to those who may use them, and a form page's refusal instead of a form that would be refused.
import { cache, type ReactNode } from "react";
import { currentActor, type Role, roleAtLeast } from "@/lib/access/roles";

/** The caller of this request, asked once per render. */
const actorOfRender = cache(currentActor);

/** Renders `children` only for callers with the role `need` (the local user of a dashboard without accounts has every role). */
export async function IfRole({ need, children }: { need: Role; children: ReactNode }) {
  const actor = await actorOfRender();
  return actor && roleAtLeast(actor.role, need) ? <>{children}</> : null;
}

/** A form page's refusal for callers without `role`, or null when they have it. */
export async function roleRefusal(role: Role): Promise<ReactNode | null> {
  const actor = await actorOfRender();
  if (actor && roleAtLeast(actor.role, role)) return null;
  return (
    <div className="alert error" role="alert">
      This needs the {role} role{actor ? `; you have the ${actor.role} role` : ""}. Ask an admin if you need it.
    </div>
  );
}
