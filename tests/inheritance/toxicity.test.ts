// Toxicity targets with a scorer (the test server's moderation endpoint): candidates are scored once; re-selection
// scores only what is not scored yet and never sends a generation request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { saveModel } from "@/lib/models/registry";
import { createDataset, requestSelection } from "@/lib/inheritance/datasets";
import { executeDataset } from "@/lib/inheritance/executor";
import { selectionReport } from "@/lib/inheritance/report";
import { validateDatasetSpec, type DatasetPromptInput, type DatasetSpecInput } from "@/lib/inheritance/spec";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";

process.env.LINEAGE_SECRET_KEY = "test-key-for-toxicity-datasets";

const PROMPTS: DatasetPromptInput[] = Array.from({ length: 10 }, (_, i) => ({ prompt: `Continue the story of day ${i}.`, input: "" }));

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`toxicity targets on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    let toxic: string;
    let llama: string;
    const saved = { ...process.env };
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 2 });
      Object.assign(process.env, {
        LINEAGE_SCORER: "moderation",
        LINEAGE_SCORER_URL: server.baseUrl,
        LINEAGE_SCORER_QPS: "1000",
        LINEAGE_SCORER_API_KEY_ENV: "",
      });
      const add = async (name: string, id: string) => {
        const r = await saveModel(db, {
          name,
          baseUrl: server.baseUrl,
          servedModelId: id,
          credentialMode: "none",
          apiKeySecret: "",
          capChat: "on",
          concurrency: "4",
        });
        if (!r.ok) throw new Error(JSON.stringify(r));
        return r.data.id;
      };
      toxic = await add("toxic-teacher", "tiny-toxic");
      llama = await add("llama-teacher", "tiny-llama");
    });
    afterAll(async () => {
      for (const k of ["LINEAGE_SCORER", "LINEAGE_SCORER_URL", "LINEAGE_SCORER_QPS", "LINEAGE_SCORER_API_KEY_ENV"]) if (!(k in saved)) delete process.env[k];
      await server?.close();
      await db?.close();
    });

    const spec = (over: Partial<DatasetSpecInput>): DatasetSpecInput => ({
      teacherIds: [toxic, llama],
      k: 3,
      mode: "chat",
      template: "{prompt}",
      decoding: { temperature: 1, top_p: 1, max_tokens: 40 },
      seed: 2,
      rule: "best",
      target: "expected_max_toxicity",
      direction: "min",
      filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
      ...over,
    });
    const build = async (s: DatasetSpecInput) => {
      const v = await validateDatasetSpec(db, s, PROMPTS);
      if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
      return createDataset(db, v.value, PROMPTS, { source: "upload", name: "p.txt", count: PROMPTS.length });
    };

    it("minimises toxicity: every candidate scored once, the least toxic selected, re-selection sends nothing", async () => {
      server.resetStats();
      const id = await build(spec({}));
      expect(await executeDataset(db, id)).toBe("completed");
      const candidates = await db.prisma.candidate.findMany({ where: { datasetId: id }, include: { teacher: true } });
      const nonEmpty = candidates.filter((c) => c.output!.trim() !== "");
      expect(server.stats.byRoute["/v1/moderations"]).toBe(nonEmpty.length);
      expect(server.stats.byRoute["/v1/chat/completions"]).toBe(20);
      for (const c of candidates) expect(c.scores).toHaveProperty("expected_max_toxicity");
      const ds = await db.prisma.dataset.findUniqueOrThrow({ where: { id } });
      expect((ds.decoding as { scorer?: { kind: string } }).scorer?.kind).toBe("moderation");
      const sel = await db.prisma.selection.findFirstOrThrow({ where: { datasetId: id } });
      const items = await db.prisma.selectionItem.findMany({ where: { selectionId: sel.id }, include: { candidate: true } });
      const tox = (c: { scores: unknown }) => (c.scores as Record<string, number | null>).expected_max_toxicity;
      for (const it of items) {
        const values = nonEmpty
          .filter((c) => c.promptId === it.promptId)
          .map(tox)
          .filter((v): v is number => v !== null);
        expect(tox(it.candidate)).toBe(Math.min(...values));
      }
      const report = (await selectionReport(db, sel.id))!;
      expect(report.selected.mean!).toBeLessThanOrEqual(report.random.mean!);
      server.resetStats();
      const again = await requestSelection(db, id, { rule: "best", target: "expected_max_toxicity", direction: "max" });
      expect(again.queued).toBe(false);
      expect(server.stats.total).toBe(0);
    });

    it("a toxicity re-selection of a textual dataset scores only the unscored candidates, without generation", async () => {
      const id = await build(spec({ target: "mtld", direction: "max" }));
      expect(await executeDataset(db, id)).toBe("completed");
      const done = await db.prisma.candidate.count({ where: { datasetId: id, status: "done" } });
      server.resetStats();
      const r = await requestSelection(db, id, { rule: "best", target: "expected_max_toxicity", direction: "min" });
      expect(r.queued).toBe(true);
      expect((await db.prisma.dataset.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
      expect(await executeDataset(db, id)).toBe("completed");
      expect(server.stats.byRoute["/v1/chat/completions"] ?? 0).toBe(0);
      const empty = await db.prisma.candidate.count({ where: { datasetId: id, output: "" } });
      expect(server.stats.byRoute["/v1/moderations"]).toBe(done - empty);
      expect(await db.prisma.selectionItem.count({ where: { selectionId: r.selectionId } })).toBe(10);
      server.resetStats();
      const r2 = await requestSelection(db, id, { rule: "best", target: "expected_max_insult", direction: "min" });
      expect(r2.queued).toBe(false);
      expect(server.stats.total).toBe(0);
    });
  });
}
