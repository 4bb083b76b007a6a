// Sign-in, with better-auth (its Prisma adapter on Lineage's own database): email + password (scrypt), OpenID Connect
// with any issuer (genericOAuth, by discovery), sessions in the Session table, sign-in attempts rate-limited in the
// RateLimit table. Who may do what is decided in lib/access/roles.ts; this file only says who someone is.
//
// The dashboard's forms reach better-auth through its HTTP handler (signInThroughHandler below), not `auth.api`,
// because better-auth rate-limits only requests that go through the handler.
import { createHash } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { genericOAuth } from "better-auth/plugins";
import { accessConfig } from "@/lib/access/allowed-hosts";
import { secretKey } from "@/lib/credentials";
import { type Database, getDatabase } from "@/lib/db/client";
import { LineageError } from "@/lib/errors";

export const OIDC_PROVIDER_ID = "oidc";
/** Sign-in attempts allowed per account in SIGN_IN_WINDOW seconds. */
export const SIGN_IN_MAX = 5;
export const SIGN_IN_WINDOW = 60;

/** The OpenID Connect settings (LINEAGE_OIDC_*), or null when the issuer is not set. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The role of a user the issuer signs in for the first time; null: only users an admin added may sign in. */
  defaultRole: "viewer" | "editor" | "admin" | null;
  /** What the sign-in button says. */
  label: string;
}

export function oidcSettings(env: Record<string, string | undefined> = process.env): OidcSettings | null {
  const issuer = env.LINEAGE_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.LINEAGE_OIDC_CLIENT_ID?.trim() ?? "";
  const clientSecret = env.LINEAGE_OIDC_CLIENT_SECRET?.trim() ?? "";
  if (!clientId) throw new LineageError("LINEAGE_OIDC_ISSUER is set but LINEAGE_OIDC_CLIENT_ID is not.", { kind: "environment" });
  const role = (env.LINEAGE_OIDC_DEFAULT_ROLE?.trim() || "viewer").toLowerCase();
  if (!["viewer", "editor", "admin", "none"].includes(role))
    throw new LineageError(`LINEAGE_OIDC_DEFAULT_ROLE must be viewer, editor, admin or none (got ${JSON.stringify(role)}).`, { kind: "environment" });
  return {
    issuer: issuer.replace(/\/+$/, ""),
    clientId,
    clientSecret,
    defaultRole: role === "none" ? null : (role as OidcSettings["defaultRole"]),
    label: env.LINEAGE_OIDC_LABEL?.trim() || "Sign in with single sign-on",
  };
}

/** The address people open the dashboard at: LINEAGE_URL, else loopback on the served port. */
export function siteUrl(env: Record<string, string | undefined> = process.env): string {
  const config = accessConfig(env);
  return (config.site ? config.site.origin : `http://127.0.0.1:${config.port}`).replace(/\/+$/, "");
}

/** The key better-auth signs its cookies with, derived from Lineage's secret key (never the key itself). */
function authSecret(): string {
  return createHash("sha256").update("lineage-auth-cookies\u0000").update(secretKey()).digest("base64url");
}

function createAuth(db: Database) {
  const oidc = oidcSettings();
  const config = accessConfig();
  return betterAuth({
    appName: "Lineage",
    baseURL: siteUrl(),
    basePath: "/api/auth",
    secret: authSecret(),
    database: prismaAdapter(db.prisma, { provider: "postgresql" }),
    telemetry: { enabled: false },
    trustedOrigins: [...config.origins],
    // Accounts are made by admins (the Users page, `lineage users add`) or, when allowed, by the OIDC issuer.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        disabled: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    account: { accountLinking: { enabled: true, trustedProviders: [OIDC_PROVIDER_ID] } },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: SIGN_IN_WINDOW, max: SIGN_IN_MAX } },
    },
    advanced: {
      cookiePrefix: "lineage",
      // signInThroughHandler puts the rate-limit key here (see there); nothing else is read for an address.
      ipAddress: { ipAddressHeaders: ["x-lineage-rate-key"] },
    },
    databaseHooks: {
      user: {
        create: {
          // A user the issuer signs in for the first time gets the configured default role.
          before: async (user) => ({ data: { ...user, role: oidc?.defaultRole ?? "viewer", disabled: false } }),
        },
      },
      session: {
        create: {
          // A disabled user gets no session, whichever way they sign in.
          before: async (session) => {
            const user = await db.prisma.user.findUnique({ where: { id: session.userId }, select: { disabled: true } });
            return user && !user.disabled ? { data: session } : false;
          },
        },
      },
    },
    plugins: oidc
      ? [
          genericOAuth({
            config: [
              {
                providerId: OIDC_PROVIDER_ID,
                discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
                clientId: oidc.clientId,
                clientSecret: oidc.clientSecret || undefined,
                scopes: ["openid", "email", "profile"],
                pkce: true,
                requireIdTokenVerification: true,
                // Without a default role, only users an admin added (same email) may sign in through the issuer.
                disableImplicitSignUp: oidc.defaultRole === null,
                disableSignUp: oidc.defaultRole === null,
              },
            ],
          }),
        ]
      : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { __lineageAuth?: { db: Database; auth: Auth } };

/** The better-auth instance of this process's database. */
export async function getAuth(): Promise<Auth> {
  const db = await getDatabase();
  if (globalForAuth.__lineageAuth?.db !== db) globalForAuth.__lineageAuth = { db, auth: createAuth(db) };
  return globalForAuth.__lineageAuth.auth;
}

/**
 * A fake IPv6 address per account (the email's hash), which better-auth keys its rate limit on: counting per account
 * holds whatever address a client claims, where X-Forwarded-For can be made up by the client when nothing sits in
 * front of the dashboard.
 */
export function rateKeyOf(identity: string): string {
  const h = createHash("sha256").update(identity.trim().toLowerCase()).digest("hex");
  return `fd${h.slice(0, 2)}:${h.slice(2, 6)}:${h.slice(6, 10)}:${h.slice(10, 14)}::1`;
}

export interface HandlerReply {
  status: number;
  body: Record<string, unknown>;
  /** The Set-Cookie headers better-auth answered with. */
  setCookies: string[];
}

/** Calls one of better-auth's POST endpoints through its handler (so its rate limit applies) as the dashboard itself. */
export async function callAuthEndpoint(path: string, body: unknown, rateKey: string, cookie?: string): Promise<HandlerReply> {
  const auth = await getAuth();
  const base = siteUrl();
  const headers = new Headers({ "content-type": "application/json", origin: base, "x-lineage-rate-key": rateKey });
  if (cookie) headers.set("cookie", cookie);
  const res = await auth.handler(new Request(`${base}/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) }));
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { message: text };
  }
  return { status: res.status, body: parsed, setCookies: res.headers.getSetCookie() };
}
