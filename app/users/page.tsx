import { AddUserForm, UserRowControls } from "@/components/users-admin";
import { listUsers } from "@/lib/access/accounts";
import { pageActor } from "@/lib/access/page";
import { getDatabase } from "@/lib/db/client";
import { formatDateTime } from "@/lib/export/format";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await pageActor("admin");
  if (!actor)
    return (
      <>
        <h1>Users</h1>
        <div className="alert error" role="alert">
          Only admins manage users.
        </div>
      </>
    );
  const users = await listUsers((await getDatabase()).prisma);
  return (
    <>
      <h1>Users</h1>
      <p className="muted">
        Viewers read everything; editors also change models, runs, datasets and lineage; admins also manage users, scorers, stored keys and deletions.{" "}
        {users.length === 0 ? "No account exists yet: while none does, the dashboard on loopback needs no sign-in." : null}
      </p>
      {users.length ? (
        <table className="data" aria-label="Users">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Signs in with</th>
              <th>Added</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-disabled={u.disabled ? "true" : undefined}>
                <td>
                  <Isolate>{u.email}</Isolate>
                  {u.disabled ? <span className="muted"> (disabled)</span> : null}
                </td>
                <td>{u.role}</td>
                <td>{u.methods.join(", ") || "single sign-on (invited)"}</td>
                <td>{formatDateTime(u.createdAt)}</td>
                <td>
                  <UserRowControls id={u.id} email={u.email} role={u.role} disabled={u.disabled} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>Add a user</h2>
      <AddUserForm />
    </>
  );
}
