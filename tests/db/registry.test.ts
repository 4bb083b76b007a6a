import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/credentials";
import type { Database } from "@/lib/db/client";
import { createDerivation, lineageOf } from "@/lib/models/lineage";
import { deleteModel, endpointOf, listModels, saveModel } from "@/lib/models/registry";
import { backends } from "../support/databases";

process.env.LINEAGE_SECRET_KEY = "test-key-for-registry-tests";

const form = (over: Record<string, unknown> = {}) => ({
  name: "Student-7B",
  family: "LLaMa 2",
  size: "7B",
  baseUrl: "http://127.0.0.1:8000/v1/",
  servedModelId: "student",
  credentialMode: "none",
  apiKeyEnv: "",
  apiKeySecret: "",
  capChat: "on",
  concurrency: "4",
  notes: "",
  ...over,
});

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`model registry on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it("stores a secret encrypted and exposes only its last four characters", async () => {
      const r = await saveModel(db.prisma, form({ credentialMode: "secret", apiKeySecret: "sk-live-abcdef123456WXYZ" }));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.data.credential).toEqual({ kind: "secret", last4: "WXYZ" });
      expect(JSON.stringify(r.data)).not.toContain("abcdef123456");
      expect(r.data.baseUrl).toBe("http://127.0.0.1:8000/v1");
      const row = await db.prisma.model.findUniqueOrThrow({ where: { id: r.data.id } });
      expect(row.apiKeyCipher).not.toContain("abcdef");
      expect(row.apiKeyCipher).toMatch(/^v1:/);
      expect(decryptSecret(row.apiKeyCipher!)).toBe("sk-live-abcdef123456WXYZ");
      expect(endpointOf(row).apiKey).toBe("sk-live-abcdef123456WXYZ");
      expect(JSON.stringify(await listModels(db.prisma))).not.toContain("abcdef123456");
    });

    it("keeps the stored secret when an edit leaves the key empty, replaces it when given", async () => {
      const [m] = await listModels(db.prisma);
      const kept = await saveModel(db.prisma, form({ credentialMode: "secret", apiKeySecret: "", notes: "edited" }), m.id);
      expect(kept.ok && kept.data.credential).toEqual({ kind: "secret", last4: "WXYZ" });
      const replaced = await saveModel(db.prisma, form({ credentialMode: "secret", apiKeySecret: "new-key-9876" }), m.id);
      expect(replaced.ok && replaced.data.credential).toEqual({ kind: "secret", last4: "9876" });
    });

    it("rejects a duplicate name, an invalid URL and a missing environment variable, saving nothing", async () => {
      const before = await db.prisma.model.count();
      const dup = await saveModel(db.prisma, form());
      expect(dup).toMatchObject({ ok: false, fieldErrors: { name: 'A model named "Student-7B" already exists.' } });
      const url = await saveModel(db.prisma, form({ name: "Other", baseUrl: "localhost:8000" }));
      expect(url.ok).toBe(false);
      expect(!url.ok && url.fieldErrors.baseUrl).toMatch(/http:\/\/ or https:\/\//);
      const ftp = await saveModel(db.prisma, form({ name: "Other", baseUrl: "ftp://x/v1" }));
      expect(!ftp.ok && ftp.fieldErrors.baseUrl).toBeTruthy();
      const env = await saveModel(db.prisma, form({ name: "Other", credentialMode: "env", apiKeyEnv: "LINEAGE_TEST_SURELY_UNSET" }));
      expect(!env.ok && env.fieldErrors.apiKeyEnv).toMatch(/LINEAGE_TEST_SURELY_UNSET is not set/);
      const conc = await saveModel(db.prisma, form({ name: "Other", concurrency: "0" }));
      expect(!conc.ok && conc.fieldErrors.concurrency).toBe("At least 1.");
      expect(await db.prisma.model.count()).toBe(before);
    });

    it("records a derivation and shows it on the student's and the parents' lineage", async () => {
      const base = await saveModel(db.prisma, form({ name: "Base-7B" }));
      const teacher = await saveModel(db.prisma, form({ name: "Teacher-13B" }));
      const [student] = (await listModels(db.prisma)).filter((m) => m.name === "Student-7B");
      if (!base.ok || !teacher.ok) throw new Error("setup failed");
      const bad = await createDerivation(db.prisma, { studentId: student.id, method: "active", teacherIds: [teacher.data.id] });
      expect(bad.ok).toBe(false);
      expect(!bad.ok && Object.keys(bad.fieldErrors).sort()).toEqual(["direction", "k", "targetMetric"]);
      const self = await createDerivation(db.prisma, { studentId: student.id, method: "passive", teacherIds: [student.id] });
      expect(!self.ok && self.fieldErrors.teacherIds).toMatch(/own teacher/);
      const ok = await createDerivation(db.prisma, {
        studentId: student.id,
        baseModelId: base.data.id,
        teacherIds: teacher.data.id,
        method: "active",
        targetMetric: "mtld",
        direction: "max",
        k: "4",
        datasetLabel: "alpaca 10k",
      });
      expect(ok.ok).toBe(true);
      const ofStudent = await lineageOf(db.prisma, student.id);
      expect(ofStudent.parents).toHaveLength(1);
      expect(ofStudent.parents[0]).toMatchObject({
        base: { name: "Base-7B" },
        teachers: [{ name: "Teacher-13B" }],
        method: "active",
        targetMetric: "mtld",
        direction: "max",
        k: 4,
        selection: "single",
      });
      expect((await lineageOf(db.prisma, teacher.data.id)).children.map((d) => d.student.name)).toEqual(["Student-7B"]);
      expect((await lineageOf(db.prisma, base.data.id)).children.map((d) => d.student.name)).toEqual(["Student-7B"]);
    });

    it("deletes a model with its derivations", async () => {
      const [student] = (await listModels(db.prisma)).filter((m) => m.name === "Student-7B");
      expect((await deleteModel(db.prisma, student.id)).ok).toBe(true);
      expect(await db.prisma.derivation.count()).toBe(0);
      expect((await deleteModel(db.prisma, student.id)).ok).toBe(false);
    });
  });
}
