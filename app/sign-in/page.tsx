import { redirect } from "next/navigation";
import { OidcSignInForm, SignInForm } from "@/components/sign-in-form";
import { oidcSettings } from "@/lib/access/auth";
import { safeNext } from "@/lib/access/session";
import { currentActor, openAccess } from "@/lib/access/roles";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// better-auth's OAuth callback comes back here with ?error=… when the issuer refused or the account may not sign in.
const OIDC_ERRORS: Record<string, string> = {
  signup_disabled: "This account has not been added to the dashboard: ask an admin to add your email.",
  account_not_linked: "This email belongs to a user who signs in another way.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = safeNext(typeof sp.next === "string" ? sp.next : "/");
  const actor = await currentActor();
  if (actor && actor.via !== "local") redirect(next);
  if (await openAccess()) redirect(next);
  const oidc = oidcSettings();
  const error = typeof sp.error === "string" ? (OIDC_ERRORS[sp.error] ?? `Single sign-on failed (${sp.error.slice(0, 80)}).`) : null;
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      {error ? (
        <div className="alert error" role="alert">
          {error}
        </div>
      ) : null}
      <SignInForm next={next} />
      {oidc ? (
        <>
          <p className="muted">or</p>
          <OidcSignInForm next={next} label={oidc.label} />
        </>
      ) : null}
      <p className="muted">
        No account yet? An admin adds you on the Users page or with <code>lineage users add</code>. The first admin comes from{" "}
        <code>lineage users add --admin</code> or the setup link printed when the dashboard starts.
      </p>
    </section>
  );
}
