import { SetupForm } from "@/components/sign-in-form";
import { setupTokenValid } from "@/lib/access/accounts";
import { getDatabase } from "@/lib/db/client";

export const metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

/** The one-time setup link printed at start (no account yet, listening on the network): makes the first admin. */
export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const token = typeof sp.token === "string" ? sp.token : "";
  const valid = await setupTokenValid((await getDatabase()).prisma, token);
  return (
    <section className="narrow">
      <h1>Set up Lineage</h1>
      {valid ? (
        <>
          <p>Create the first admin. They add the other users on the Users page.</p>
          <SetupForm token={token} />
        </>
      ) : (
        <div className="alert error" role="alert">
          This setup link is used up or expired. Restart the dashboard for a new one, or create an admin with{" "}
          <code>lineage users add --admin --email you@example.org</code>, then <a href="/sign-in">sign in</a>.
        </div>
      )}
    </section>
  );
}
