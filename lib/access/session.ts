// Signing in and out from the dashboard's own forms (server actions, so they work without JavaScript): each goes
// through better-auth's handler (lib/access/auth.ts) and passes the cookies it sets on to the browser.
import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import { parseSetCookieHeader, toCookieOptions } from "better-auth/cookies";
import { getDatabase } from "@/lib/db/client";
import { badInput, LineageError } from "@/lib/errors";
import { completeSetup } from "./accounts";
import { callAuthEndpoint, OIDC_PROVIDER_ID, oidcSettings, rateKeyOf, SIGN_IN_MAX, SIGN_IN_WINDOW } from "./auth";

/** Where to go after signing in: a path of this dashboard only (never another site). */
export function safeNext(next: unknown): string {
  const s = typeof next === "string" ? next : "";
  return s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/\\") && !s.startsWith("/sign-in") ? s : "/";
}

async function passCookies(setCookies: string[]): Promise<void> {
  const jar = await cookies();
  for (const header of setCookies)
    for (const [name, attrs] of parseSetCookieHeader(header)) {
      const options = toCookieOptions(attrs);
      jar.set(name, attrs.value, { ...options, maxAge: options.maxAge === undefined ? undefined : Number(options.maxAge) });
    }
}

export const TOO_MANY = `Too many sign-in attempts for this account: wait a minute and try again (${SIGN_IN_MAX} attempts a ${SIGN_IN_WINDOW === 60 ? "minute" : `${SIGN_IN_WINDOW} s`}).`;

/** Signs in with email and password; sets the session cookie. Throws a LineageError saying why not. */
export async function signInWithPassword(email: string, password: string): Promise<void> {
  const key = email.trim().toLowerCase();
  const reply = await callAuthEndpoint("/sign-in/email", { email: key, password, rememberMe: true }, rateKeyOf(key));
  if (reply.status === 429) throw new LineageError(TOO_MANY, { kind: "forbidden" });
  if (reply.status !== 200) throw badInput("Wrong email or password, or the account is disabled.");
  await passCookies(reply.setCookies);
}

/** Starts signing in through the OpenID Connect issuer: returns the issuer's URL to send the browser to. */
export async function startOidcSignIn(next: string): Promise<string> {
  if (!oidcSettings()) throw badInput("Single sign-on is not configured (LINEAGE_OIDC_ISSUER).");
  const reply = await callAuthEndpoint(
    "/sign-in/social",
    { provider: OIDC_PROVIDER_ID, callbackURL: safeNext(next), errorCallbackURL: "/sign-in", disableRedirect: true },
    // Starting single sign-on proves nothing (the issuer checks the person): not counted against anyone.
    rateKeyOf(randomUUID()),
  );
  const url = typeof reply.body.url === "string" ? reply.body.url : null;
  if (reply.status === 429) throw new LineageError("Too many sign-in attempts: wait a minute and try again.", { kind: "forbidden" });
  if (reply.status !== 200 || !url)
    throw new LineageError(`The single sign-on issuer cannot be reached (${String(reply.body.message ?? reply.status)}).`, { kind: "unavailable" });
  await passCookies(reply.setCookies);
  return url;
}

/** Ends the current session (its row and cookie). */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  const cookie = jar
    .getAll()
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  const reply = await callAuthEndpoint("/sign-out", {}, rateKeyOf(randomUUID()), cookie);
  await passCookies(reply.setCookies);
  for (const c of jar.getAll()) if (c.name.startsWith("lineage.") || c.name.startsWith("__Secure-lineage.")) jar.delete(c.name);
}

/** The setup link's form: creates the first admin and signs them in. */
export async function setUpFirstAdmin(token: string, email: string, password: string): Promise<void> {
  const db = await getDatabase();
  await completeSetup(db.prisma, token, { email, password });
  await signInWithPassword(email, password);
}
