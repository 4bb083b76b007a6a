import { NewTokenForm, RevokeTokenForm } from "@/components/tokens-form";
import { listTokens } from "@/lib/access/accounts";
import { pageActor } from "@/lib/access/page";
import { ROLES, roleAtLeast } from "@/lib/access/roles";
import { getDatabase } from "@/lib/db/client";
import { formatDateTime } from "@/lib/export/format";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const actor = await pageActor("viewer");
  if (!actor?.userId)
    return (
      <>
        <h1>API tokens</h1>
        <p>API tokens belong to a user: they exist once the dashboard has accounts (README: Running for a team).</p>
      </>
    );
  const tokens = await listTokens((await getDatabase()).prisma, actor.role === "admin" ? null : actor.userId);
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Scripts call the dashboard&apos;s routes (<code>/api/…</code>) with <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with its role, never
        above its maker&apos;s; only a hash of it is stored.{actor.role === "admin" ? " As an admin you see everyone's tokens." : null}
      </p>
      {tokens.length ? (
        <table className="data" aria-label="API tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>User</th>
              <th>Starts with</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>
                  <Isolate>{t.name}</Isolate>
                </td>
                <td>{t.role}</td>
                <td>
                  <Isolate>{t.userEmail}</Isolate>
                </td>
                <td className="mono">{t.prefix}…</td>
                <td>{formatDateTime(t.createdAt)}</td>
                <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
                <td>{t.revokedAt ? <span className="muted">revoked {formatDateTime(t.revokedAt)}</span> : <RevokeTokenForm id={t.id} name={t.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No token yet.</p>
      )}
      <h2>New token</h2>
      <NewTokenForm roles={ROLES.filter((r) => roleAtLeast(actor.role, r))} />
    </>
  );
}
