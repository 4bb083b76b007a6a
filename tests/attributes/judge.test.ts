// Judge attributes: a textual run asks the test server's tiny-judge (an OpenAI-compatible chat answer, see
// tests/server/README.md) about every output; the score is read from its answer and stored with the raw answer; an
// unreadable answer is a missing score with its reason, never 0. Both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttribute, resolveAttributes } from "@/lib/attributes/store";
import type { Database } from "@/lib/db/client";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { readTextualData } from "@/lib/runs/steps/textual";
import { parseSuite } from "@/lib/runs/suite";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";
import { attributeFields } from "../support/attributes";

process.env.LINEAGE_SECRET_KEY = "test-key-for-judge-tests";

const prompts = Array.from({ length: 12 }, (_, i) => ({ key: `p${i}`, prompt: `Explain topic number ${i}.` }));
const RUBRIC = "Rate the answer to {prompt}.\n<output>{output}</output>\nReply with a number from 1 to 10.";

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`judge attributes on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("judges every output once, stores the raw answers, and leaves unreadable answers out with their reason", async () => {
      const judge = await addTestModel(db, server, "judge", "tiny-judge", { concurrency: "4" });
      const model = await addTestModel(db, server, "judged", "tiny-llama");
      await createAttribute(
        db,
        "Length judge",
        attributeFields({ kind: "judge", judgeModelId: judge, rubric: RUBRIC, readerMin: "1", readerMax: "10", direction: "higher" }),
      );
      // No <output> tags: tiny-judge answers without a number, so every score is unreadable.
      await createAttribute(db, "Blind judge", attributeFields({ kind: "judge", judgeModelId: judge, rubric: "Rate {output} please.", direction: "higher" }));
      const resolved = await resolveSuite(
        parseSuite({
          name: "judged",
          benchmarks: [
            {
              benchmark: "textual",
              prompts: { source: "inline", items: prompts },
              decoding: { temperature: 0, max_tokens: 64 },
              attributes: ["Length judge", "Blind judge"],
            },
          ],
        }),
        { findAttributes: (refs) => resolveAttributes(db, refs) },
      );
      server.resetStats();
      const runId = await createRun(db, model, resolved, { seed: 3 });
      expect(await executeRun(db, runId)).toBe("completed");
      // One generation and one request per judge attribute per output.
      expect(server.stats.byModel["tiny-llama"]).toBe(12);
      expect(server.stats.byModel["tiny-judge"]).toBe(24);
      const items = await db.prisma.item.findMany({ where: { runId } });
      for (const i of items) {
        const words = i.output!.split(/\s+/).filter(Boolean).length;
        const expected = Math.min(10, Math.max(1, Math.ceil(words / 8)));
        const scores = i.scores as Record<string, number | null>;
        expect(scores.attr_length_judge).toBe(expected);
        const data = readTextualData(i.data);
        expect(data.attributes?.attr_length_judge).toMatchObject({ value: expected, raw: [`Score: ${expected}`], values: [expected], version: 1 });
        expect(scores.attr_blind_judge).toBeNull();
        expect(data.attributes?.attr_blind_judge?.value).toBeNull();
        expect(data.attributes?.attr_blind_judge?.error).toMatch(/no number in the answer "Please show me the answer/);
        expect(data.attributes?.attr_blind_judge?.raw[0]).toMatch(/^Please show me/);
        // The prompt as written reached the rubric (not the templated one).
        expect(data.prompt).toMatch(/^Explain topic number/);
      }
      const agg = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId, metric: "attr_length_judge" } } });
      const values = items.map((i) => (i.scores as Record<string, number>).attr_length_judge);
      expect(agg.value).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 10);
      expect(agg.details).toMatchObject({ unreadable: 0, attribute: { name: "Length judge", version: 1, kind: "judge" } });
      const blind = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId, metric: "attr_blind_judge" } } });
      expect(blind).toMatchObject({ value: null, n: 0 });
      expect(blind.details).toMatchObject({ unreadable: 12, missing: 12 });
      // Executing the completed run again asks nobody anything.
      server.resetStats();
      expect(await executeRun(db, runId)).toBe("completed");
      expect(server.stats.total).toBe(0);
    });

    it("fails the step with the reason when the judge model was deleted", async () => {
      const judge = await addTestModel(db, server, "judge-gone", "tiny-judge");
      const model = await addTestModel(db, server, "judged-2", "tiny-llama");
      await createAttribute(db, "Gone judge", attributeFields({ kind: "judge", judgeModelId: judge, rubric: RUBRIC }));
      const resolved = await resolveSuite(
        parseSuite({
          name: "gone",
          benchmarks: [{ benchmark: "textual", prompts: { source: "inline", items: prompts.slice(0, 2) }, attributes: ["Gone judge"] }],
        }),
        { findAttributes: (refs) => resolveAttributes(db, refs) },
      );
      const runId = await createRun(db, model, resolved);
      await db.prisma.model.delete({ where: { id: judge } });
      expect(await executeRun(db, runId)).toBe("failed");
      const step = await db.prisma.runBenchmark.findFirstOrThrow({ where: { runId } });
      expect(step.reason).toMatch(/judge model of attribute "Gone judge" \(version 1\) was deleted/);
    });
  });
}
