// The audit log on both databases: written by the action wrappers and the route wrapper after a success (a
// created record's id read from where the action redirected), never after a refusal, never with secrets; read back
// with filters (actor, action, dates) and server-side pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formAction, reportAction } from "@/lib/actions";
import { auditActions, listAudit, recordAudit, scrubDetail, auditFilterSchema } from "@/lib/audit/log";
import type { Database } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { backends } from "../support/databases";

process.env.LINEAGE_SECRET_KEY = "test-key-for-audit-tests";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const filter = (f: Record<string, string>) => auditFilterSchema.parse(f);

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`audit log on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    const g = globalThis as unknown as { __lineageDb?: Promise<Database> };
    beforeAll(async () => {
      db = await backend.open();
      // The wrappers write through getDatabase(): this file's database.
      g.__lineageDb = Promise.resolve(db);
    });
    afterAll(async () => {
      g.__lineageDb = undefined;
      await db?.close();
    });
    const events = async () =>
      (await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((e) => ({
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        actorName: e.actorName,
        via: e.via,
        detail: e.detail,
      }));

    it("a form action is recorded after it succeeded, as its caller, with the id it redirected to", async () => {
      await db.prisma.auditEvent.deleteMany();
      const save = formAction(
        z.object({ id: z.string().optional(), name: z.string().min(1, "Name it."), apiKeySecret: z.string().optional() }),
        async (v) => {
          if (v.name === "taken") return { ok: false, fieldErrors: { name: "Taken." } };
          redirect(`/models/${v.id ?? "m-new"}`);
        },
        {
          requires: "editor",
          audit: { action: (i) => (i.id ? "model.update" : "model.create"), detail: (i) => ({ name: i.name, apiKeySecret: i.apiKeySecret }) },
        },
      );
      await expect(save(null, form({ name: "alpha", apiKeySecret: "sk-very-secret-1234" }))).rejects.toThrow("NEXT_REDIRECT");
      await expect(save(null, form({ id: "m1", name: "beta" }))).rejects.toThrow("NEXT_REDIRECT");
      // Refused (schema, handler): nothing recorded.
      expect(await save(null, form({ name: "" }))).toMatchObject({ ok: false });
      expect(await save(null, form({ name: "taken" }))).toMatchObject({ ok: false });
      const rows = await events();
      expect(rows).toEqual([
        { action: "model.create", subjectType: "model", subjectId: "m-new", actorName: "local user", via: "local", detail: { name: "alpha" } },
        { action: "model.update", subjectType: "model", subjectId: "m1", actorName: "local user", via: "local", detail: { name: "beta" } },
      ]);
      expect(JSON.stringify(await db.sql.query(`SELECT * FROM "AuditEvent"`))).not.toContain("sk-very-secret");
    });

    it("a one-button action is recorded when its report is ok; a route after a 2xx response only", async () => {
      await db.prisma.auditEvent.deleteMany();
      const control = reportAction(
        z.object({ id: z.string(), control: z.enum(["pause", "cancel"]) }),
        async ({ control }) => ({ ok: control === "pause", message: "x" }),
        {
          requires: "editor",
          invalid: "Unknown run.",
          audit: { action: (i) => `run.${i.control}` },
        },
      );
      expect(await control(null, form({ id: "r1", control: "pause" }))).toMatchObject({ ok: true });
      expect(await control(null, form({ id: "r1", control: "cancel" }))).toMatchObject({ ok: false });
      const route = apiRoute<{ params: Promise<{ id: string }> }>(
        async (_req, { params }) => {
          const { id } = await params;
          if (id === "missing") throw notFound("no such dataset");
          return new Response("data");
        },
        {
          requires: "viewer",
          audit: (req) => ({
            action: "export.dataset",
            subjectType: "dataset",
            subjectId: new URL(req.url).pathname.split("/")[3],
            detail: { format: "chat" },
          }),
        },
      );
      expect((await route(new Request("http://x/api/datasets/d1/export"), { params: Promise.resolve({ id: "d1" }) })).status).toBe(200);
      expect((await route(new Request("http://x/api/datasets/missing/export"), { params: Promise.resolve({ id: "missing" }) })).status).toBe(404);
      expect((await events()).map((e) => [e.action, e.subjectId])).toEqual([
        ["run.pause", "r1"],
        ["export.dataset", "d1"],
      ]);
    });

    it("filters by actor, action (or its subject) and dates, newest first, in pages", async () => {
      await db.prisma.auditEvent.deleteMany();
      const ann = { userId: "u1", name: "ann@example.org", via: "session" };
      const bob = { userId: "u2", name: "bob@example.org", via: "session" };
      for (let i = 0; i < 7; i++)
        await recordAudit(
          db,
          i % 2 ? bob : ann,
          { action: i % 3 ? "model.update" : "run.start", subjectType: i % 3 ? "model" : "run", subjectId: `s${i}` },
          new Date(Date.UTC(2026, 10, 1 + i, 12)),
        );
      const all = await listAudit(db, filter({}), 3);
      expect(all).toMatchObject({ total: 7, page: 1, pages: 3 });
      expect(all.rows.map((r) => r.subjectId)).toEqual(["s6", "s5", "s4"]);
      expect((await listAudit(db, filter({ page: "3" }), 3)).rows.map((r) => r.subjectId)).toEqual(["s0"]);
      // A page past the end shows the last one.
      expect((await listAudit(db, filter({ page: "99" }), 3)).page).toBe(3);
      expect((await listAudit(db, filter({ actor: "BOB" }))).rows.map((r) => r.subjectId)).toEqual(["s5", "s3", "s1"]);
      expect((await listAudit(db, filter({ action: "run" }))).rows.map((r) => r.subjectId)).toEqual(["s6", "s3", "s0"]);
      expect((await listAudit(db, filter({ action: "model.update", actor: "ann" }))).rows.map((r) => r.subjectId)).toEqual(["s4", "s2"]);
      // Dates are whole UTC days, both ends included: 2 Nov (s1) to 4 Nov (s3).
      expect((await listAudit(db, filter({ from: "2026-11-02", to: "2026-11-04" }))).rows.map((r) => r.subjectId)).toEqual(["s3", "s2", "s1"]);
      // Malformed filters are ignored rather than failing the page.
      expect((await listAudit(db, filter({ action: "'; DROP TABLE", from: "yesterday", page: "-4" }))).total).toBe(7);
      expect(await auditActions(db)).toEqual(["model.update", "run.start"]);
    });
  });
}

describe("audit detail", () => {
  it("drops fields named like secrets at any depth and cuts long text", () => {
    expect(
      scrubDetail({
        name: "m",
        apiKey: "sk-1",
        nested: { password: "p", token: "t", authToken: "x", ok: 1 },
        list: [{ secret: "s", v: true }],
        long: "x".repeat(400),
      }),
    ).toEqual({ name: "m", nested: { ok: 1 }, list: [{ v: true }], long: `${"x".repeat(300)}…` });
  });
});
