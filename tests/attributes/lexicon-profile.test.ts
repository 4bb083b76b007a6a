// Custom attributes, slices 1–3: definitions with versions (form parsing, edits add versions, runs record the
// version), a lexicon attribute measured by a textual run and by an import, aggregated, paired in compare and on
// the leaderboard like a built-in metric. Both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attributeFieldsFromForm, attributeFormSchema } from "@/lib/attributes/form";
import { addVersion, createAttribute, getAttribute, listAttributes, resolveAttributes } from "@/lib/attributes/store";
import { buildComparison } from "@/lib/compare/table";
import type { Database } from "@/lib/db/client";
import { leaderboard, leaderboardParams } from "@/lib/leaderboard";
import { getMetric } from "@/lib/metrics/catalogue";
import { compileLexicon, lexiconValue } from "@/lib/metrics/lexicon";
import { executeRun } from "@/lib/runs/executor";
import { importGenerations } from "@/lib/runs/import-generations";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";
import { attributeFields } from "../support/attributes";

process.env.LINEAGE_SECRET_KEY = "test-key-for-attribute-tests";

const prompts = Array.from({ length: 30 }, (_, i) => ({ key: `p${i}`, prompt: `Explain topic number ${i} in a few sentences.` }));

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`lexicon attributes on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
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

    it("refuses incomplete definitions next to their fields", () => {
      const noTerms = attributeFieldsFromForm(attributeFormSchema.parse({ name: "x", kind: "lexicon", terms: "" }));
      expect(noTerms.ok).toBe(false);
      if (!noTerms.ok) expect(noTerms.fieldErrors.terms).toMatch(/at least one/);
      const badPattern = attributeFieldsFromForm(attributeFormSchema.parse({ name: "x", kind: "lexicon", match: "patterns", terms: "(" }));
      if (!badPattern.ok) expect(badPattern.fieldErrors.terms).toMatch(/not a valid regular expression/);
      else throw new Error("an invalid pattern was accepted");
      const judge = attributeFieldsFromForm(attributeFormSchema.parse({ name: "x", kind: "judge", rubric: "Rate {prompt}" }));
      expect(judge.ok).toBe(false);
      if (!judge.ok) {
        expect(judge.fieldErrors.judgeModelId).toMatch(/judge model/);
        expect(judge.fieldErrors.rubric).toMatch(/\{output\}/);
      }
      const target = attributeFieldsFromForm(attributeFormSchema.parse({ name: "x", kind: "lexicon", terms: "a", direction: "target" }));
      if (!target.ok) expect(target.fieldErrors.target).toMatch(/target value/);
      else throw new Error("a target direction without a value was accepted");
    });

    it("versions: an edit adds a version, nothing changed is refused, a clashing name is refused", async () => {
      const v1 = await createAttribute(
        db,
        "Topic words",
        attributeFields({ kind: "lexicon", terms: "topic\nnumber", unit: "per 100 words", direction: "neutral" }),
      );
      expect(v1).toMatchObject({ version: 1, metric: "attr_topic_words", name: "Topic words" });
      await expect(createAttribute(db, "topic  words!", attributeFields({ kind: "lexicon", terms: "x" }))).rejects.toThrow(/named "Topic words" exists/);
      await expect(
        addVersion(db, v1.attributeId, attributeFields({ kind: "lexicon", terms: "topic\nnumber", unit: "per 100 words", direction: "neutral" })),
      ).rejects.toThrow(/Nothing changed|nothing changed/);
      const v2 = await addVersion(db, v1.attributeId, attributeFields({ kind: "lexicon", terms: "topic", unit: "per 100 words", direction: "higher" }));
      expect(v2.version).toBe(2);
      const a = await getAttribute(db, "attr_topic_words");
      expect(a?.versions.map((v) => v.version)).toEqual([2, 1]);
      // version 1 is unchanged
      expect(a?.versions[1].definition).toMatchObject({ kind: "lexicon", terms: ["topic", "number"] });
      expect((await resolveAttributes(db, ["Topic words@1"]))[0].versionId).toBe(v1.versionId);
      expect((await resolveAttributes(db, ["Topic words"]))[0].versionId).toBe(v2.versionId);
      await expect(resolveAttributes(db, ["nope"])).rejects.toThrow(/no attribute "nope" \(defined: .*Topic words/);
      expect((await listAttributes(db)).find((x) => x.name === "Topic words")?.versions).toBe(2);
    });

    it("a textual run measures the attribute per output, aggregates it, and compare and the leaderboard pair and rank it", async () => {
      const hedge = await createAttribute(
        db,
        "Hedging",
        attributeFields({ kind: "lexicon", terms: "topic\nfew sentences\nexplain", unit: "per 100 words", direction: "lower", description: "Hedging words." }),
      );
      const suite = (model: string) =>
        resolveSuite(
          parseSuite({
            name: "t",
            benchmarks: [
              { benchmark: "textual", prompts: { source: "inline", items: prompts }, decoding: { temperature: 0, max_tokens: 48 }, attributes: ["Hedging"] },
            ],
          }),
          { findAttributes: (refs) => resolveAttributes(db, refs) },
        ).then((s) => ({ s, model }));
      const a = await addTestModel(db, server, "attr-a", "tiny-llama");
      const b = await addTestModel(db, server, "attr-b", "tiny-gemma");
      const runA = await createRun(db, a, (await suite("a")).s, { seed: 1 });
      const runB = await createRun(db, b, (await suite("b")).s, { seed: 1 });
      expect(await executeRun(db, runA)).toBe("completed");
      expect(await executeRun(db, runB)).toBe("completed");
      // The run records the version it used.
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runA } });
      expect((run.suite as { benchmarks: { attributes: { versionId: string }[] }[] }).benchmarks[0].attributes[0].versionId).toBe(hedge.versionId);
      // Per item: the lexicon value of its output; the aggregate is their mean.
      const lex = compileLexicon({ match: "words", terms: ["topic", "few sentences", "explain"], measure: "rate", caseSensitive: false });
      const items = await db.prisma.item.findMany({ where: { runId: runA }, orderBy: { itemKey: "asc" } });
      const expected = items.map((i) => lexiconValue(lex, i.output!));
      items.forEach((i, k) => expect((i.scores as Record<string, number | null>).attr_hedging).toBe(expected[k]));
      const present = expected.filter((x): x is number => x !== null);
      const agg = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId: runA, metric: "attr_hedging" } } });
      expect(agg.value).toBeCloseTo(present.reduce((s, x) => s + x, 0) / present.length, 10);
      expect(agg.n).toBe(present.length);
      expect(agg.ciLow!).toBeLessThanOrEqual(agg.value!);
      expect(agg.details).toMatchObject({ attribute: { name: "Hedging", version: 1, versionId: hedge.versionId } });
      // Compare: a per-sample metric paired over the items, with the attribute's direction.
      const table = await buildComparison(db, { runIds: [runA, runB], refId: runA, paired: "all" });
      const row = table.rows.find((r) => r.metric === "attr_hedging")!;
      expect(row).toMatchObject({ label: "Hedging", category: "attributes", better: "lower", perSample: true, pairable: true });
      expect(row.deltas[0].paired?.n).toBeGreaterThan(0);
      expect(row.deltas[0].paired?.pValue).not.toBeNull();
      expect(getMetric("attr_hedging")?.unit).toBe("per 100 words");
      // Leaderboard: the custom attributes category, sorted in the attribute's direction (lower first).
      const board = await leaderboard(db, leaderboardParams.parse({ category: "attributes" }));
      expect(board.metrics).toContain("attr_hedging");
      const values = board.rows.map((r) => r.cells.attr_hedging?.value).filter((v): v is number => typeof v === "number");
      expect(values).toEqual([...values].sort((x, y) => x - y));
    });

    it("an import measures lexicon attributes and refuses the others", async () => {
      const m = await addTestModel(db, server, "attr-import", "tiny-llama");
      const [hedging] = await resolveAttributes(db, ["Hedging"]);
      const runId = await importGenerations(
        db,
        m,
        [
          { key: "1", sampleIndex: 0, prompt: "p", output: "Explain the topic.", completionTokens: null },
          { key: "2", sampleIndex: 0, prompt: "q", output: "Nothing here at all.", completionTokens: null },
        ],
        { attributes: [hedging] },
      );
      // "Explain the topic" → 3 words, 2 matches → 66.67; "Nothing here at all" → 0: mean 33.33.
      const agg = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId, metric: "attr_hedging" } } });
      expect(agg.value).toBeCloseTo(100 / 3, 10);
      const judge = { ...hedging, definition: { kind: "classifier" as const, scorer: "x", attribute: "TOXICITY" } };
      await expect(
        importGenerations(db, m, [{ key: "1", sampleIndex: 0, prompt: "p", output: "o", completionTokens: null }], { attributes: [judge] }),
      ).rejects.toThrow(/lexicon attributes only/);
    });
  });
}
