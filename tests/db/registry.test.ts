import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CredentialError, decryptSecret } from "@/lib/credentials";
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
      const r = await saveModel(db, form({ credentialMode: "secret", apiKeySecret: "sk-live-abcdef123456WXYZ" }));
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
      expect(JSON.stringify(await listModels(db))).not.toContain("abcdef123456");
    });

    it("keeps the stored secret when an edit leaves the key empty, replaces it when given", async () => {
      const [m] = await listModels(db);
      const kept = await saveModel(db, form({ credentialMode: "secret", apiKeySecret: "", notes: "edited" }), m.id);
      expect(kept.ok && kept.data.credential).toEqual({ kind: "secret", last4: "WXYZ" });
      const replaced = await saveModel(db, form({ credentialMode: "secret", apiKeySecret: "new-key-9876" }), m.id);
      expect(replaced.ok && replaced.data.credential).toEqual({ kind: "secret", last4: "9876" });
    });

    it("rejects a duplicate name, an invalid URL and a missing environment variable, saving nothing", async () => {
      const before = await db.prisma.model.count();
      const dup = await saveModel(db, form());
      expect(dup).toMatchObject({ ok: false, fieldErrors: { name: 'A model named "Student-7B" already exists.' } });
      const url = await saveModel(db, form({ name: "Other", baseUrl: "localhost:8000" }));
      expect(url.ok).toBe(false);
      expect(!url.ok && url.fieldErrors.baseUrl).toMatch(/http:\/\/ or https:\/\//);
      const ftp = await saveModel(db, form({ name: "Other", baseUrl: "ftp://x/v1" }));
      expect(!ftp.ok && ftp.fieldErrors.baseUrl).toBeTruthy();
      const env = await saveModel(db, form({ name: "Other", credentialMode: "env", apiKeyEnv: "SURELY_UNSET_TEST_API_KEY" }));
      expect(!env.ok && env.fieldErrors.apiKeyEnv).toMatch(/SURELY_UNSET_TEST_API_KEY is not set/);
      const conc = await saveModel(db, form({ name: "Other", concurrency: "0" }));
      expect(!conc.ok && conc.fieldErrors.concurrency).toBe("At least 1.");
      expect(await db.prisma.model.count()).toBe(before);
    });

    it("takes a key variable only from the allow-list, and never Lineage's own settings or DATABASE_URL", async () => {
      process.env.REGISTRY_TEST_API_KEY = "sk-registry-env-key-0001";
      const before = await db.prisma.model.count();
      // Set in this process, but not meant for keys: refused whether or not it is set, by the name alone.
      for (const name of ["LINEAGE_SECRET_KEY", "DATABASE_URL", "PATH", "HOME", "LINEAGE_OTHER_API_KEY", "lineage_secret_key"]) {
        const r = await saveModel(db, form({ name: "Env-Key", credentialMode: "env", apiKeyEnv: name }));
        expect(!r.ok && r.fieldErrors.apiKeyEnv, name).toMatch(/may not hold an API key: allowed names are \*_API_KEY, \*_TOKEN \(LINEAGE_KEY_VARIABLES\)/);
      }
      expect(await db.prisma.model.count()).toBe(before);
      const ok = await saveModel(db, form({ name: "Env-Key", credentialMode: "env", apiKeyEnv: "REGISTRY_TEST_API_KEY" }));
      expect(ok.ok && ok.data.credential).toEqual({ kind: "env", variable: "REGISTRY_TEST_API_KEY", isSet: true });
      const row = await db.prisma.model.findUniqueOrThrow({ where: { name: "Env-Key" } });
      expect(endpointOf(row).apiKey).toBe("sk-registry-env-key-0001");

      // LINEAGE_KEY_VARIABLES replaces the default; Lineage's own names stay refused even under "*".
      process.env.LINEAGE_KEY_VARIABLES = "HF_*, EXACT_NAME";
      try {
        expect((await saveModel(db, form({ name: "Env-Key", credentialMode: "env", apiKeyEnv: "REGISTRY_TEST_API_KEY" }), row.id)).ok).toBe(false);
        process.env.HF_TEST_SECRET = "hf-secret-value";
        expect((await saveModel(db, form({ name: "Env-Key-2", credentialMode: "env", apiKeyEnv: "HF_TEST_SECRET" }))).ok).toBe(true);
        process.env.LINEAGE_KEY_VARIABLES = "*";
        expect((await saveModel(db, form({ name: "Env-Key-3", credentialMode: "env", apiKeyEnv: "PATH" }))).ok).toBe(true);
        const r = await saveModel(db, form({ name: "Env-Key-4", credentialMode: "env", apiKeyEnv: "LINEAGE_SECRET_KEY" }));
        expect(!r.ok && r.fieldErrors.apiKeyEnv).toMatch(/may not hold an API key/);
      } finally {
        delete process.env.LINEAGE_KEY_VARIABLES;
        delete process.env.HF_TEST_SECRET;
      }

      // At request time a row naming an unlisted variable (saved before the allow-list, or by LINEAGE_KEY_VARIABLES
      // since changed) is refused with the message an unset one gets, and the UI does not say it is set.
      await db.prisma.model.update({ where: { id: row.id }, data: { apiKeyEnv: "LINEAGE_SECRET_KEY" } });
      const stale = await db.prisma.model.findUniqueOrThrow({ where: { id: row.id } });
      expect(() => endpointOf(stale)).toThrow(CredentialError);
      expect(() => endpointOf(stale)).toThrow(
        "no usable key in variable LINEAGE_SECRET_KEY: it must be set for the dashboard and allowed (see LINEAGE_KEY_VARIABLES)",
      );
      const unset = { ...stale, apiKeyEnv: "SURELY_UNSET_TEST_API_KEY" };
      expect(() => endpointOf(unset)).toThrow(
        "no usable key in variable SURELY_UNSET_TEST_API_KEY: it must be set for the dashboard and allowed (see LINEAGE_KEY_VARIABLES)",
      );
      expect((await listModels(db)).find((m) => m.id === row.id)!.credential).toEqual({ kind: "env", variable: "LINEAGE_SECRET_KEY", isSet: false });
      for (const name of ["Env-Key", "Env-Key-2", "Env-Key-3"]) await db.prisma.model.deleteMany({ where: { name } });
    });

    it("refuses to keep a stored key when the base URL changes: the key must be entered again", async () => {
      const created = await saveModel(db, form({ name: "Moving", credentialMode: "secret", apiKeySecret: "sk-moving-key-123456" }));
      if (!created.ok) throw new Error(JSON.stringify(created));
      const id = created.data.id;
      const moved = await saveModel(db, form({ name: "Moving", baseUrl: "https://attacker.example/v1", credentialMode: "secret", apiKeySecret: "" }), id);
      expect(moved).toMatchObject({
        ok: false,
        fieldErrors: { apiKeySecret: "Re-enter the key: the base URL changed, and the stored key is never sent to a new host." },
      });
      const row = await db.prisma.model.findUniqueOrThrow({ where: { id } });
      expect(row.baseUrl).toBe("http://127.0.0.1:8000/v1");
      expect(decryptSecret(row.apiKeyCipher!)).toBe("sk-moving-key-123456");
      // The same URL written differently (a trailing slash) is no change; a new key with a new URL is accepted.
      expect((await saveModel(db, form({ name: "Moving", baseUrl: "http://127.0.0.1:8000/v1///", credentialMode: "secret", notes: "kept" }), id)).ok).toBe(
        true,
      );
      const rekeyed = await saveModel(
        db,
        form({ name: "Moving", baseUrl: "https://other.example/v1", credentialMode: "secret", apiKeySecret: "sk-other-host-key-7890" }),
        id,
      );
      expect(rekeyed.ok && rekeyed.data).toMatchObject({ baseUrl: "https://other.example/v1", credential: { kind: "secret", last4: "7890" } });
      // A key stored before any base URL was set is not sent to the first one either.
      const preset = await saveModel(db, form({ name: "Preset-Key", baseUrl: "", credentialMode: "secret", apiKeySecret: "sk-preset-key-abcdef" }));
      if (!preset.ok) throw new Error(JSON.stringify(preset));
      const first = await saveModel(db, form({ name: "Preset-Key", baseUrl: "http://127.0.0.1:8000/v1", credentialMode: "secret" }), preset.data.id);
      expect(!first.ok && first.fieldErrors.apiKeySecret).toMatch(/^Re-enter the key/);
      await deleteModel(db, id);
      await deleteModel(db, preset.data.id);
    });

    it("shows nothing of a key of 8 characters or fewer", async () => {
      const short = await saveModel(db, form({ name: "Short-Key", credentialMode: "secret", apiKeySecret: "abcd1234" }));
      expect(short.ok && short.data.credential).toEqual({ kind: "secret", last4: "" });
      const row = await db.prisma.model.findUniqueOrThrow({ where: { name: "Short-Key" } });
      expect(row.apiKeyLast4).toBe("");
      expect(JSON.stringify(await listModels(db))).not.toContain("1234");
      // A row saved before: its "last four" of a 3-character key is the whole key, and is not shown either.
      await db.prisma.model.update({ where: { id: row.id }, data: { apiKeyLast4: "xyz" } });
      expect((await listModels(db)).find((m) => m.id === row.id)!.credential).toEqual({ kind: "secret", last4: "" });
      await deleteModel(db, row.id);
    });

    it("records a derivation and shows it on the student's and the parents' lineage", async () => {
      const base = await saveModel(db, form({ name: "Base-7B" }));
      const teacher = await saveModel(db, form({ name: "Teacher-13B" }));
      const [student] = (await listModels(db)).filter((m) => m.name === "Student-7B");
      if (!base.ok || !teacher.ok) throw new Error("setup failed");
      const bad = await createDerivation(db, { studentId: student.id, method: "active", teacherIds: [teacher.data.id] });
      expect(bad.ok).toBe(false);
      expect(!bad.ok && Object.keys(bad.fieldErrors).sort()).toEqual(["direction", "k", "targetMetric"]);
      const self = await createDerivation(db, { studentId: student.id, method: "passive", teacherIds: [student.id] });
      expect(!self.ok && self.fieldErrors.teacherIds).toMatch(/own teacher/);
      const ok = await createDerivation(db, {
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
      const ofStudent = await lineageOf(db, student.id);
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
      expect((await lineageOf(db, teacher.data.id)).children.map((d) => d.student.name)).toEqual(["Student-7B"]);
      expect((await lineageOf(db, base.data.id)).children.map((d) => d.student.name)).toEqual(["Student-7B"]);
    });

    it("deletes a model with its derivations", async () => {
      const [student] = (await listModels(db)).filter((m) => m.name === "Student-7B");
      expect((await deleteModel(db, student.id)).ok).toBe(true);
      expect(await db.prisma.derivation.count()).toBe(0);
      expect((await deleteModel(db, student.id)).ok).toBe(false);
    });
  });
}
