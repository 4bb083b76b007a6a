// Every server action and every API route, called as a stranger, a viewer, an editor, an admin and with API tokens, is
// let through or refused exactly as issue 14's roles say: viewer reads; editor models, runs, datasets, lineage; admin
// users, scorers, stored keys, deletions. The actions are found in the "use server" modules under app/ and the routes
// in the app/api tree, so a new one missing from REQUIRED below fails this test until its role is declared here too.
// Sessions come from real sign-ins through better-auth's handler; tokens from createToken.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const state: { headers: Headers } = { headers: new Headers() };
vi.mock("next/headers", () => ({
  headers: async () => state.headers,
  cookies: async () => ({ getAll: () => [], get: () => undefined, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { url });
  },
}));

const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-roles-"));
process.env.LINEAGE_HOME = home;
delete process.env.DATABASE_URL;
delete process.env.LINEAGE_URL;
delete process.env.LINEAGE_OIDC_ISSUER;
delete process.env.LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK;
process.env.LINEAGE_SECRET_KEY = "roles-table-test";
process.env.LINEAGE_LISTEN_HOST = "127.0.0.1";

const root = path.resolve(import.meta.dirname, "../..");
// "local": only the command line on this machine, by the one-time token it writes into LINEAGE_HOME (lib/db/backup.ts):
// refused (403) to every caller here, sessions and API tokens of admins included.
type Requirement = "anyone" | "viewer" | "editor" | "admin" | "local";

/** The role each action and route requires: "<file>#<export>". */
const REQUIRED: Record<string, Requirement> = {
  "app/datasets/actions.ts#createDatasetAction": "editor",
  "app/datasets/actions.ts#controlDatasetAction": "editor",
  "app/datasets/actions.ts#reselectAction": "editor",
  "app/datasets/actions.ts#registerStudentAction": "editor",
  "app/datasets/actions.ts#deleteDatasetAction": "admin",
  "app/models/actions.ts#saveModelAction": "editor",
  "app/models/actions.ts#deleteModelAction": "admin",
  "app/models/actions.ts#testConnectionAction": "editor",
  "app/models/actions.ts#createDerivationAction": "editor",
  "app/models/probe-actions.ts#probeCapabilitiesAction": "editor",
  "app/runs/actions.ts#createRunAction": "editor",
  "app/runs/actions.ts#controlRunAction": "editor",
  "app/runs/actions.ts#importGenerationsAction": "editor",
  "app/runs/actions.ts#importToolkitAction": "editor",
  "app/runs/actions.ts#saveRunAnnotationsAction": "editor",
  "app/runs/item-actions.ts#itemDetailAction": "viewer",
  "app/scorers/actions.ts#createScorerAction": "admin",
  "app/scorers/actions.ts#scorerRowAction": "admin",
  "app/users/actions.ts#addUserAction": "admin",
  "app/users/actions.ts#userRowAction": "admin",
  "app/tokens/actions.ts#createTokenAction": "viewer",
  "app/tokens/actions.ts#revokeTokenAction": "viewer",
  "app/attributes/actions.ts#saveAttributeAction": "editor",
  "app/attributes/actions.ts#rejudgeAction": "editor",
  "app/sign-in/actions.ts#signInAction": "anyone",
  "app/sign-in/actions.ts#oidcSignInAction": "anyone",
  "app/sign-in/actions.ts#signOutAction": "anyone",
  "app/sign-in/actions.ts#setupAction": "anyone",
  "app/api/compare/paired/route.ts#GET": "viewer",
  "app/api/datasets/[id]/route.ts#GET": "viewer",
  "app/api/datasets/[id]/export/route.ts#GET": "viewer",
  "app/api/export/compare/route.ts#GET": "viewer",
  "app/api/export/figure/route.ts#POST": "viewer",
  "app/api/leaderboard/export/route.ts#GET": "viewer",
  "app/api/lineage/figure/route.ts#GET": "viewer",
  "app/api/runs/[id]/route.ts#GET": "viewer",
  "app/api/health/route.ts#GET": "anyone",
  "app/api/auth/[...all]/route.ts#GET": "anyone",
  "app/api/auth/[...all]/route.ts#POST": "anyone",
  "app/api/admin/backup/route.ts#POST": "local",
  "app/api/admin/runs/route.ts#GET": "local",
};

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
// Reviewer links (app/share, app/api/share) check their own signed token, not a role: another test covers them.
const sharePath = (p: string) => /^app\/(api\/)?share\//.test(p);
const actionFiles = walk(path.join(root, "app"))
  .filter((p) => /^\s*["']use server["']/.test(fs.readFileSync(p, "utf8")))
  .map(rel)
  .filter((p) => !sharePath(p));
const routeFiles = walk(path.join(root, "app/api"))
  .filter((p) => path.basename(p) === "route.ts")
  .map(rel)
  .filter((p) => !sharePath(p));

type Caller = { name: string; role: Requirement | null; headers: () => Headers };
const RANK: Record<Requirement, number> = { anyone: 0, viewer: 1, editor: 2, admin: 3, local: 4 };
const allowed = (caller: Caller, need: Requirement) => need === "anyone" || (caller.role !== null && RANK[caller.role] >= RANK[need]);

const REFUSAL = /^(Sign in first\.|This needs the (viewer|editor|admin) role)/;

/** Whether calling the action with an empty form (or argument) was refused by the access check. */
async function actionRefused(fn: (...args: unknown[]) => Promise<unknown>, isQuery: boolean): Promise<boolean> {
  try {
    const out = (await (isQuery ? fn(1) : fn(null, new FormData()))) as { ok?: boolean; formError?: string; message?: string } | null;
    const msg = out && out.ok === false ? (out.formError ?? out.message ?? "") : "";
    return REFUSAL.test(msg);
  } catch (err) {
    const e = err as { category?: string; userMessage?: string };
    if (e.category === "unauthenticated" || e.category === "forbidden") return REFUSAL.test(e.userMessage ?? "");
    return false; // a redirect, a schema error of the argument, anything after the check
  }
}

describe("every action and route requires its role", () => {
  const callers: Caller[] = [];
  let db: Awaited<ReturnType<typeof import("@/lib/db/client").getDatabase>>;

  beforeAll(async () => {
    const { getDatabase } = await import("@/lib/db/client");
    db = await getDatabase();
    const { addUser, createToken } = await import("@/lib/access/accounts");
    const { callAuthEndpoint, rateKeyOf } = await import("@/lib/access/auth");
    callers.push({ name: "stranger", role: null, headers: () => new Headers() });
    for (const role of ["viewer", "editor", "admin"] as const) {
      const email = `${role}@example.org`;
      const user = await addUser(db.prisma, { email, role, password: `${role}-password-1` });
      const reply = await callAuthEndpoint("/sign-in/email", { email, password: `${role}-password-1` }, rateKeyOf(email));
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const cookie = reply.setCookies.map((c) => c.split(";")[0]).join("; ");
      callers.push({ name: role, role, headers: () => new Headers({ cookie }) });
      const { token } = await createToken(db.prisma, { userId: user.id, name: `${role} script`, role });
      callers.push({ name: `${role} token`, role, headers: () => new Headers({ authorization: `Bearer ${token}` }) });
    }
    // An admin's token scoped to viewer acts as a viewer.
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: "admin@example.org" } });
    const { token } = await createToken(db.prisma, { userId: admin.id, name: "read-only", role: "viewer" });
    callers.push({ name: "admin's viewer token", role: "viewer", headers: () => new Headers({ authorization: `Bearer ${token}` }) });
  });
  afterAll(async () => {
    const { closeDatabase } = await import("@/lib/db/client");
    await closeDatabase();
  });

  it("finds the actions and routes, and each has its declared role here", async () => {
    const found: string[] = [];
    for (const file of actionFiles) for (const name of Object.keys(await import(`@/${file}`))) found.push(`${file}#${name}`);
    for (const file of routeFiles)
      for (const name of Object.keys(await import(`@/${file}`))) if (["GET", "POST", "PUT", "PATCH", "DELETE"].includes(name)) found.push(`${file}#${name}`);
    expect(found.length).toBeGreaterThan(30);
    expect(found.filter((k) => !(k in REQUIRED)).sort(), "actions or routes without a declared role in REQUIRED").toEqual([]);
    expect(
      Object.keys(REQUIRED)
        .filter((k) => !found.includes(k))
        .sort(),
      "REQUIRED names something that no longer exists",
    ).toEqual([]);
  });

  it("server actions: refused below their role, let through at or above it", async () => {
    const wrong: string[] = [];
    for (const file of actionFiles) {
      const mod = (await import(`@/${file}`)) as Record<string, (...args: unknown[]) => Promise<unknown>>;
      for (const [name, fn] of Object.entries(mod)) {
        const need = REQUIRED[`${file}#${name}`];
        if (!need || need === "anyone") continue;
        for (const caller of callers) {
          state.headers = caller.headers();
          const refused = await actionRefused(fn, name === "itemDetailAction");
          if (refused === allowed(caller, need)) wrong.push(`${file}#${name} as ${caller.name}: ${refused ? "refused" : "let through"}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("API routes: 401 for a stranger, 403 below their role, through at or above it", async () => {
    const wrong: string[] = [];
    for (const file of routeFiles) {
      const mod = (await import(`@/${file}`)) as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
      for (const method of ["GET", "POST"]) {
        const handler = mod[method];
        if (!handler) continue;
        const need = REQUIRED[`${file}#${method}`];
        if (need === "anyone") continue;
        for (const caller of callers) {
          const req = new Request(`http://127.0.0.1:3000/${file.replace(/^app\//, "").replace(/\/route\.ts$/, "")}`, {
            method,
            headers: caller.headers(),
            body: method === "POST" ? "{}" : undefined,
          });
          const res = await handler(req, { params: Promise.resolve({ id: "no-such-id", all: ["x"] }) });
          const expected = need === "local" ? 403 : allowed(caller, need) ? "through" : caller.role === null ? 401 : 403;
          const got = res.status === 401 || res.status === 403 ? res.status : "through";
          if (got !== expected) wrong.push(`${method} ${file} as ${caller.name}: ${got}, expected ${expected}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("storing a model's API key needs an admin; an editor may save a model without one", async () => {
    const { saveModelAction } = await import("@/app/models/actions");
    const form = (extra: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ name: "keyed", baseUrl: "http://127.0.0.1:9/v1", servedModelId: "x", concurrency: "8", ...extra })) f.append(k, v);
      return f;
    };
    state.headers = callers.find((c) => c.name === "editor")!.headers();
    const refused = await saveModelAction(null, form({ credentialMode: "secret", apiKeySecret: "sk-test-123456" }));
    expect(refused && !refused.ok && refused.formError).toMatch(/needs the admin role/);
    expect(await db.prisma.model.count({ where: { name: "keyed" } })).toBe(0);
    const saved = await saveModelAction(null, form({ credentialMode: "none" })).catch((e) => e);
    expect(saved.message).toBe("NEXT_REDIRECT");
    state.headers = callers.find((c) => c.name === "admin")!.headers();
    const keyed = await saveModelAction(null, form({ name: "keyed-2", credentialMode: "secret", apiKeySecret: "sk-test-123456" })).catch((e) => e);
    expect(keyed.message).toBe("NEXT_REDIRECT");
    expect((await db.prisma.model.findUniqueOrThrow({ where: { name: "keyed-2" } })).apiKeyLast4).toBe("3456");
  });
});
