// Best-of-k on custom attributes (docs/active-inheritance.md): a judge attribute's scores are asked once per candidate
// and attribute version and cached; a re-selection on a lexicon is computed here without a request; a re-selection on
// another judge asks only for the scores missing; unreadable answers are missing scores with their reason, never 0.
// The test server's tiny-judge rates an answer ceil(words / 8), clamped to 1–10 (tests/server/language-model.ts
// judgeAnswer), so every expected selection is computed here from the stored texts. Both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttribute } from "@/lib/attributes/store";
import type { Database } from "@/lib/db/client";
import { createDataset, requestSelection } from "@/lib/inheritance/datasets";
import { executeDataset } from "@/lib/inheritance/executor";
import { datasetCard } from "@/lib/inheritance/export";
import { selectionReport } from "@/lib/inheritance/report";
import { selectBest, type CandidateRow } from "@/lib/inheritance/selection";
import { validateDatasetSpec, type DatasetPromptInput, type DatasetSpecInput } from "@/lib/inheritance/spec";
import { startTestServer, type TestServer } from "../server/server";
import { attributeFields } from "../support/attributes";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-attribute-target-tests";

const PROMPTS: DatasetPromptInput[] = Array.from({ length: 8 }, (_, i) => ({ prompt: `Describe item ${i} in a few sentences.`, input: "" }));
const RUBRIC = "Rate the answer to {prompt}.\n<output>{output}</output>\nReply with a number from 1 to 10.";
const K = 3;

function row(over: Partial<CandidateRow>): CandidateRow {
  return { id: 1, promptId: 1, promptIndex: 0, teacher: "a", sampleIndex: 0, value: 1, words: 10, empty: false, finishReason: "stop", ...over };
}

describe("closest to a value (pure, hand-checked)", () => {
  const filters = { dropEmpty: true, dropTruncated: false, minWords: 0 };
  it("takes the smallest distance to the target; equal distances either side go to the lowest teacher, then sample", () => {
    const rows = [
      row({ id: 1, teacher: "gamma", sampleIndex: 0, value: 2 }),
      row({ id: 2, teacher: "beta", sampleIndex: 0, value: 7.5 }),
      row({ id: 3, teacher: "alpha", sampleIndex: 2, value: 8.5 }),
      row({ id: 4, teacher: "alpha", sampleIndex: 0, value: 11 }),
    ];
    // |2−8| = 6, |7.5−8| = 0.5, |8.5−8| = 0.5, |11−8| = 3: 7.5 and 8.5 tie, alpha before beta.
    expect(selectBest(rows, "closest", filters, 8).get(1)?.id).toBe(3);
    expect(selectBest([...rows].reverse(), "closest", filters, 8).get(1)?.id).toBe(3);
    // An exact hit wins; far targets fall back to the nearest end.
    expect(selectBest(rows, "closest", filters, 11).get(1)?.id).toBe(4);
    expect(selectBest(rows, "closest", filters, -100).get(1)?.id).toBe(1);
    // Same sample tie within one teacher: the lower sample index.
    const same = [row({ id: 7, teacher: "a", sampleIndex: 1, value: 4 }), row({ id: 8, teacher: "a", sampleIndex: 0, value: 6 })];
    expect(selectBest(same, "closest", filters, 5).get(1)?.id).toBe(8);
    // Missing values never count as 0.
    expect(selectBest([row({ id: 9, value: null }), row({ id: 10, value: 9 })], "closest", filters, 0).get(1)?.id).toBe(10);
  });
});

/** tiny-judge's rating of a text (tests/server/language-model.ts judgeAnswer at temperature 0). */
function judged(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.min(10, Math.max(1, Math.ceil(words / 8)));
}

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`datasets targeting custom attributes on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    let llama: string;
    let gemma: string;
    let judge: string;
    let datasetId: string;
    const versions: Record<string, string> = {};

    function spec(over: Partial<DatasetSpecInput> = {}): DatasetSpecInput {
      return {
        name: "",
        teacherIds: [llama, gemma],
        k: K,
        mode: "chat",
        template: "{prompt}",
        decoding: { temperature: 1, top_p: 0.95, max_tokens: 60 },
        seed: 5,
        rule: "best",
        target: "Length judge",
        direction: "max",
        filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
        ...over,
      };
    }

    /** Every done candidate: id, prompt index, teacher name, sample index, text. */
    async function candidates() {
      const rows = await db.prisma.candidate.findMany({
        where: { datasetId, status: "done" },
        include: { prompt: { select: { index: true } }, teacher: { select: { name: true } } },
      });
      return rows.map((c) => ({ id: c.id, promptIndex: c.prompt.index, teacher: c.teacher.name, sampleIndex: c.sampleIndex, text: c.output ?? "" }));
    }

    /** The expected pick per prompt index by a score function, ties by teacher name then sample index. */
    function expectedPicks(cands: Awaited<ReturnType<typeof candidates>>, good: (text: string) => number): Map<number, number> {
      const out = new Map<number, { id: number; g: number; teacher: string; sampleIndex: number }>();
      for (const c of cands) {
        const g = good(c.text);
        const cur = out.get(c.promptIndex);
        const earlier = cur && (c.teacher < cur.teacher || (c.teacher === cur.teacher && c.sampleIndex < cur.sampleIndex));
        if (!cur || g > cur.g || (g === cur.g && earlier)) out.set(c.promptIndex, { id: c.id, g, teacher: c.teacher, sampleIndex: c.sampleIndex });
      }
      return new Map([...out].map(([p, v]) => [p, v.id]));
    }

    async function picks(selectionId: string): Promise<Map<number, number>> {
      const items = await db.prisma.selectionItem.findMany({ where: { selectionId }, include: { candidate: { include: { prompt: true } } } });
      return new Map(items.map((i) => [i.candidate.prompt.index, i.candidateId]));
    }

    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 2 });
      llama = await addTestModel(db, server, "tiny-llama-teacher", "tiny-llama");
      gemma = await addTestModel(db, server, "tiny-gemma-teacher", "tiny-gemma");
      judge = await addTestModel(db, server, "judge", "tiny-judge", { concurrency: "8" });
      versions.length = (
        await createAttribute(
          db,
          "Length judge",
          attributeFields({ kind: "judge", judgeModelId: judge, rubric: RUBRIC, readerMin: "1", readerMax: "10", direction: "higher" }),
        )
      ).versionId;
      // No <output> tags: tiny-judge answers without a number, every answer unreadable.
      versions.blind = (
        await createAttribute(db, "Blind judge", attributeFields({ kind: "judge", judgeModelId: judge, rubric: "Rate {output} please.", direction: "higher" }))
      ).versionId;
      versions.the = (
        await createAttribute(
          db,
          "The rate",
          attributeFields({ kind: "lexicon", terms: "the", match: "words", measure: "rate", direction: "target", target: "5" }),
        )
      ).versionId;
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("validates attribute targets: unknown names, closest without a value, a judge that cannot be called", async () => {
      const bad = async (over: Partial<DatasetSpecInput>) => {
        const v = await validateDatasetSpec(db, spec(over), PROMPTS);
        return v.ok ? {} : v.fieldErrors;
      };
      expect((await bad({ target: "attr_nope" })).target).toMatch(/Unknown metric or attribute.*no attribute "attr_nope".*Length judge/);
      expect((await bad({ target: "Length judge@7" })).target).toMatch(/has no version 7/);
      expect((await bad({ direction: "closest" })).targetValue).toBe("Give the value to be closest to.");
      expect((await bad({ direction: null })).direction).toMatch(/maximise, minimise or closest/);
      expect((await bad({ target: "mtld", direction: "closest" })).targetValue).toBe("Give the value to be closest to.");
      // An attribute whose direction is a target value lends it to "closest".
      const ok = await validateDatasetSpec(db, spec({ target: "attr_the_rate@1", direction: "closest" }), PROMPTS);
      expect(ok.ok && [ok.value.spec.target, ok.value.spec.targetValue, ok.value.attribute?.versionId]).toEqual(["attr_the_rate", 5, versions.the]);
      // A judge without an endpoint cannot score candidates.
      const lost = await addTestModel(db, server, "lost-judge", "tiny-judge");
      await createAttribute(db, "Lost judge", attributeFields({ kind: "judge", judgeModelId: lost, rubric: RUBRIC, direction: "higher" }));
      await db.prisma.model.update({ where: { id: lost }, data: { baseUrl: null } });
      expect((await bad({ target: "Lost judge" })).target).toMatch(/The judge of attribute "Lost judge", lost-judge, cannot be called: .*no endpoint/);
    });

    it("builds a multi-source dataset maximising a judge attribute: every candidate judged once, the argmax selected", async () => {
      const v = await validateDatasetSpec(db, spec(), PROMPTS);
      if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
      datasetId = await createDataset(db, v.value, PROMPTS, { source: "upload", name: "p.jsonl", count: PROMPTS.length });
      server.resetStats();
      expect(await executeDataset(db, datasetId, { controlPollMs: 50 })).toBe("completed");
      const cands = await candidates();
      expect(cands).toHaveLength(PROMPTS.length * 2 * K);
      expect(server.stats.byModel["tiny-judge"]).toBe(cands.length);
      const scores = await db.prisma.candidateScore.findMany({ where: { attributeVersionId: versions.length } });
      expect(scores).toHaveLength(cands.length);
      const text = new Map(cands.map((c) => [c.id, c.text]));
      for (const s of scores) {
        expect(s.value).toBe(judged(text.get(s.candidateId)!));
        expect((s.raw as { raw: string[] }).raw).toEqual([`Score: ${s.value}`]);
        expect(s.error).toBeNull();
      }
      const sel = await db.prisma.selection.findFirstOrThrow({ where: { datasetId } });
      expect([sel.target, sel.attributeVersionId, sel.direction]).toEqual(["attr_length_judge", versions.length, "max"]);
      expect(await picks(sel.id)).toEqual(expectedPicks(cands, judged));
      // The card names the attribute, its version and the judge.
      const card = await datasetCard(db, datasetId, await selectionReport(db, sel.id));
      expect(card).toContain("- Selection: best of k, maximise attr_length_judge (Length judge)");
      expect(card).toContain(
        `- Attribute: Length judge, version 1 (attr_length_judge, version id ${versions.length}); scored by judge judge (tiny-judge), temperature 0, 1 sample`,
      );
      expect(card).toContain("0 candidate(s) without a readable score");
    });

    it("re-selects on a lexicon attribute at once, closest to its target value, without any request", async () => {
      server.resetStats();
      const r = await requestSelection(db, datasetId, {
        rule: "best",
        target: "attr_the_rate",
        direction: "closest",
        targetValue: 5,
        attributeVersionId: versions.the,
      });
      expect(r.queued).toBe(false);
      expect(server.stats.total).toBe(0);
      // Rate per 100 words of "the" (METRICS.md's word rule: punctuation deleted, split on whitespace), closest to 5.
      const rate = (t: string) => {
        const words = t
          .toLowerCase()
          .replace(/[^\p{L}\p{N}_\s]/gu, "")
          .split(/\s+/)
          .filter(Boolean);
        return words.length ? (100 * words.filter((w) => w === "the").length) / words.length : null;
      };
      const cands = await candidates();
      const expected = expectedPicks(
        cands.filter((c) => rate(c.text) !== null),
        (t) => -Math.abs(rate(t)! - 5),
      );
      expect(await picks(r.selectionId)).toEqual(expected);
      expect(await db.prisma.candidateScore.count({ where: { attributeVersionId: versions.the } })).toBe(cands.length);
    });

    it("an unreadable judge answer is a missing score with its reason and raw answer, never 0", async () => {
      server.resetStats();
      const r = await requestSelection(db, datasetId, { rule: "best", target: "attr_blind_judge", direction: "max", attributeVersionId: versions.blind });
      expect(r.queued).toBe(true);
      expect(await executeDataset(db, datasetId, { controlPollMs: 50 })).toBe("completed");
      const n = (await candidates()).length;
      expect(server.stats.byModel["tiny-judge"]).toBe(n);
      expect(server.stats.byModel["tiny-llama"] ?? 0).toBe(0);
      expect(server.stats.byModel["tiny-gemma"] ?? 0).toBe(0);
      const scores = await db.prisma.candidateScore.findMany({ where: { attributeVersionId: versions.blind } });
      expect(scores).toHaveLength(n);
      for (const s of scores) {
        expect(s.value).toBeNull();
        expect(s.error).toMatch(/no number in the answer/);
        expect((s.raw as { raw: string[] }).raw[0]).toMatch(/^Please show me the answer/);
      }
      expect(await db.prisma.selectionItem.count({ where: { selectionId: r.selectionId } })).toBe(0);
      const report = await selectionReport(db, r.selectionId);
      expect(report?.unscored).toBe(n);
      expect(report?.selected.count).toBe(0);
    });

    it("a re-selection asks the judge only for the candidates without a cached score, and never regenerates", async () => {
      // Five cached scores lost (as if that pass had been stopped before they were stored).
      const gone = (await db.prisma.candidateScore.findMany({ where: { attributeVersionId: versions.length }, take: 5, orderBy: { candidateId: "desc" } })).map(
        (s) => s.candidateId,
      );
      await db.prisma.candidateScore.deleteMany({ where: { attributeVersionId: versions.length, candidateId: { in: gone } } });
      server.resetStats();
      const r = await requestSelection(db, datasetId, {
        rule: "best",
        target: "attr_length_judge",
        direction: "closest",
        targetValue: 3,
        attributeVersionId: versions.length,
      });
      expect(r.queued).toBe(true);
      expect(await executeDataset(db, datasetId, { controlPollMs: 50 })).toBe("completed");
      expect(server.stats.byModel).toEqual({ "tiny-judge": 5 });
      const cands = await candidates();
      expect(await picks(r.selectionId)).toEqual(expectedPicks(cands, (t) => -Math.abs(judged(t) - 3)));
      // Once everything is cached, another direction is a query.
      server.resetStats();
      const again = await requestSelection(db, datasetId, { rule: "best", target: "attr_length_judge", direction: "min", attributeVersionId: versions.length });
      expect(again.queued).toBe(false);
      expect(server.stats.total).toBe(0);
      expect(await picks(again.selectionId)).toEqual(expectedPicks(cands, (t) => -judged(t)));
    });
  });
}
