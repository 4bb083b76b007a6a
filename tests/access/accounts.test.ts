// Accounts on both databases (embedded PGlite and PostgreSQL, through better-auth's Prisma adapter): who a request is
// in each mode, password sign-in through better-auth's handler with its rate limit kept in the database, sessions
// ended by disabling, API tokens (hashed, capped at their maker's role, revocable), the one-time setup link, and
// the last admin kept.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { backends } from "../support/databases";

delete process.env.LINEAGE_URL;
delete process.env.LINEAGE_OIDC_ISSUER;
delete process.env.LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK;
process.env.LINEAGE_SECRET_KEY = "accounts-test";

const globalForDb = globalThis as unknown as { __lineageDb?: Promise<Database> };

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`accounts (${backend.name})`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
      globalForDb.__lineageDb = Promise.resolve(db);
      process.env.LINEAGE_LISTEN_HOST = "127.0.0.1";
    });
    afterAll(async () => {
      globalForDb.__lineageDb = undefined;
      await db?.close();
    });

    const signIn = async (email: string, password: string) => {
      const { callAuthEndpoint, rateKeyOf } = await import("@/lib/access/auth");
      return callAuthEndpoint("/sign-in/email", { email, password }, rateKeyOf(email));
    };
    const cookieOf = (setCookies: string[]) => new Headers({ cookie: setCookies.map((c) => c.split(";")[0]).join("; ") });

    it("without accounts: the local user on loopback, nobody on the network unless opted in", async () => {
      const { actorOf, LOCAL_ACTOR } = await import("@/lib/access/roles");
      expect(await actorOf(new Headers())).toEqual(LOCAL_ACTOR);
      process.env.LINEAGE_LISTEN_HOST = "0.0.0.0";
      try {
        expect(await actorOf(new Headers())).toBeNull();
        process.env.LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK = "1";
        expect(await actorOf(new Headers())).toEqual(LOCAL_ACTOR);
      } finally {
        delete process.env.LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK;
        process.env.LINEAGE_LISTEN_HOST = "127.0.0.1";
      }
    });

    it("the setup link makes the first admin once", async () => {
      const { issueSetupToken, setupTokenValid, completeSetup } = await import("@/lib/access/accounts");
      const token = await issueSetupToken(db.prisma);
      expect(await setupTokenValid(db.prisma, token)).toBe(true);
      expect(await setupTokenValid(db.prisma, `${token}x`)).toBe(false);
      // Only its hash is stored.
      const rows = await db.prisma.verification.findMany({ where: { identifier: "lineage-setup" } });
      expect(rows.map((r) => r.value)).toEqual([createHash("sha256").update(token).digest("hex")]);
      const admin = await completeSetup(db.prisma, token, { email: "First@Example.org", password: "first-admin-pw" });
      expect(admin).toMatchObject({ email: "first@example.org", role: "admin", methods: ["password"] });
      expect(await setupTokenValid(db.prisma, token)).toBe(false);
      await expect(completeSetup(db.prisma, token, { email: "second@example.org", password: "second-admin-pw" })).rejects.toThrow(/used up or expired/);
    });

    it("once an account exists, a request without a session is nobody, even on loopback", async () => {
      const { actorOf, enforce } = await import("@/lib/access/roles");
      expect(await actorOf(new Headers())).toBeNull();
      await expect(enforce("viewer", new Headers())).rejects.toMatchObject({ category: "unauthenticated" });
    });

    it("password sign-in gives a session with the user's role; a wrong password none", async () => {
      const { addUser } = await import("@/lib/access/accounts");
      const { actorOf, enforce } = await import("@/lib/access/roles");
      await addUser(db.prisma, { email: "ed@example.org", role: "editor", password: "editor-password" });
      const stored = await db.prisma.account.findFirstOrThrow({ where: { user: { email: "ed@example.org" } } });
      expect(stored.password).not.toContain("editor-password");
      expect((await signIn("ed@example.org", "wrong-password")).status).toBe(401);
      const ok = await signIn("ed@example.org", "editor-password");
      expect(ok.status).toBe(200);
      const h = cookieOf(ok.setCookies);
      expect(await actorOf(h)).toMatchObject({ name: "ed@example.org", role: "editor", via: "session" });
      expect(await db.prisma.session.count({ where: { user: { email: "ed@example.org" } } })).toBe(1);
      await expect(enforce("admin", h)).rejects.toMatchObject({ category: "forbidden", userMessage: "This needs the admin role; you have the editor role." });
      // A changed role applies to the open session.
      const { setRole, setDisabled } = await import("@/lib/access/accounts");
      await setRole(db.prisma, "ed@example.org", "viewer");
      expect((await actorOf(h))?.role).toBe("viewer");
      // Disabling ends the session and refuses the next sign-in.
      await setDisabled(db.prisma, "ed@example.org", true);
      expect(await actorOf(h)).toBeNull();
      expect((await signIn("ed@example.org", "editor-password")).status).not.toBe(200);
      await setDisabled(db.prisma, "ed@example.org", false);
    });

    it("sign-in attempts are limited per account, counted in the database", async () => {
      const { addUser } = await import("@/lib/access/accounts");
      const { SIGN_IN_MAX } = await import("@/lib/access/auth");
      await addUser(db.prisma, { email: "rl@example.org", role: "viewer", password: "limited-password" });
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_MAX + 2; i++) statuses.push((await signIn("rl@example.org", `nope-${i}`)).status);
      expect(statuses.slice(0, SIGN_IN_MAX).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(SIGN_IN_MAX)).toEqual([429, 429]);
      expect((await signIn("rl@example.org", "limited-password")).status).toBe(429);
      expect(await db.prisma.rateLimit.count()).toBeGreaterThan(0);
      // Another account is not held up by it.
      expect((await signIn("first@example.org", "first-admin-pw")).status).toBe(200);
    });

    it("API tokens: hashed, at most their maker's role, capped when the maker is demoted, revocable", async () => {
      const { addUser, createToken, revokeToken, setRole } = await import("@/lib/access/accounts");
      const { hashToken } = await import("@/lib/access/secret-token");
      const { actorOf } = await import("@/lib/access/roles");
      const maker = await addUser(db.prisma, { email: "tok@example.org", role: "editor", password: "token-maker-pw" });
      await expect(createToken(db.prisma, { userId: maker.id, name: "too high", role: "admin" })).rejects.toMatchObject({ category: "forbidden" });
      const { token, row } = await createToken(db.prisma, { userId: maker.id, name: "ci", role: "editor" });
      const stored = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored.tokenHash).toBe(hashToken(token));
      expect(JSON.stringify(stored)).not.toContain(token);
      const bearer = new Headers({ authorization: `Bearer ${token}` });
      expect(await actorOf(bearer)).toMatchObject({ userId: maker.id, role: "editor", via: "token" });
      expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
      await setRole(db.prisma, maker.id, "viewer");
      expect((await actorOf(bearer))?.role).toBe("viewer");
      await revokeToken(db.prisma, row.id, maker.id);
      await expect(actorOf(bearer)).rejects.toMatchObject({ category: "unauthenticated" });
      await expect(actorOf(new Headers({ authorization: "Bearer lin_made-up" }))).rejects.toMatchObject({ category: "unauthenticated" });
    });

    it("the last enabled admin cannot be demoted, disabled or removed", async () => {
      const { removeUser, setDisabled, setRole } = await import("@/lib/access/accounts");
      await expect(setRole(db.prisma, "first@example.org", "editor")).rejects.toThrow(/only enabled admin/);
      await expect(setDisabled(db.prisma, "first@example.org", true)).rejects.toThrow(/only enabled admin/);
      await expect(removeUser(db.prisma, "first@example.org")).rejects.toThrow(/only enabled admin/);
      await setRole(db.prisma, "tok@example.org", "admin");
      await removeUser(db.prisma, "first@example.org");
      expect(await db.prisma.user.count({ where: { email: "first@example.org" } })).toBe(0);
    });
  });
}
