// Judge reliability: the runs that measured a judge, its unreadable answers, and re-judging a seeded sample of a
// run's judged outputs against the test server's tiny-judge (tests/server/language-model.ts judgeAnswer: at a
// temperature above 0 its score wavers by −1, 0 or +1 with each request, so a second ask disagrees a little). The
// second scores are stored next to the first (which stay on the items), a pass cut short resumes asking only for
// what it has not stored, and the agreement is Spearman's ρ and the mean absolute difference of the stored pairs.
// Both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  judgedDatasets,
  judgedRuns,
  rejudge,
  rejudgeSummaries,
  scoreDistribution,
  unreadableAnswers,
  unreadableCandidateAnswers,
} from "@/lib/attributes/reliability";
import { readScore } from "@/lib/attributes/reader";
import { createAttribute, resolveAttributes } from "@/lib/attributes/store";
import type { Database } from "@/lib/db/client";
import { writeScores } from "@/lib/inheritance/attribute-scores";
import { createDataset } from "@/lib/inheritance/datasets";
import { executeDataset } from "@/lib/inheritance/executor";
import { validateDatasetSpec } from "@/lib/inheritance/spec";
import { meanAbsoluteDifference, spearman } from "@/lib/metrics/agreement";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { readTextualData } from "@/lib/runs/steps/textual";
import { parseSuite } from "@/lib/runs/suite";
import { startTestServer, type TestServer } from "../server/server";
import { attributeFields } from "../support/attributes";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-rejudge-tests";

const PROMPTS = 24;
const prompts = Array.from({ length: PROMPTS }, (_, i) => ({ key: `p${i}`, prompt: `Explain topic number ${i} at length.` }));
const RUBRIC = "Rate the answer to {prompt}.\n<output>{output}</output>\nReply with a number from 1 to 10.";

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`re-judging on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    let runId = "";
    let lexRunId = "";
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 5 });
      const judge = await addTestModel(db, server, "judge", "tiny-judge", { concurrency: "3" });
      const model = await addTestModel(db, server, "judged", "tiny-llama");
      // A wavering judge (temperature 0.7), and a blind one (no <output> tags: every answer unreadable).
      await createAttribute(
        db,
        "Wavering judge",
        attributeFields({ kind: "judge", judgeModelId: judge, rubric: RUBRIC, readerMin: "1", readerMax: "10", temperature: "0.7", direction: "higher" }),
      );
      await createAttribute(db, "Blind judge", attributeFields({ kind: "judge", judgeModelId: judge, rubric: "Rate {output} please.", direction: "higher" }));
      await createAttribute(db, "Hedges", attributeFields({ kind: "lexicon", terms: "perhaps\nmaybe", direction: "lower" }));
      const suite = async (attributes: string[]) =>
        resolveSuite(
          parseSuite({
            name: "judged",
            benchmarks: [{ benchmark: "textual", prompts: { source: "inline", items: prompts }, decoding: { temperature: 0, max_tokens: 64 }, attributes }],
          }),
          { findAttributes: (refs) => resolveAttributes(db, refs) },
        );
      runId = await createRun(db, model, await suite(["Wavering judge", "Blind judge"]), { seed: 3 });
      expect(await executeRun(db, runId)).toBe("completed");
      lexRunId = await createRun(db, model, await suite(["Hedges"]), { seed: 4 });
      expect(await executeRun(db, lexRunId)).toBe("completed");
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("lists the runs that measured a judge and counts its unreadable answers with examples", async () => {
      const runs = await judgedRuns(db, "attr_wavering_judge");
      expect(runs).toMatchObject([{ runId, version: 1, n: PROMPTS, modelName: "judged" }]);
      expect(await judgedRuns(db, "attr_hedges")).toMatchObject([{ runId: lexRunId }]);
      expect(await unreadableAnswers(db, "attr_wavering_judge", [runId])).toEqual({ judged: PROMPTS, unreadable: 0, examples: [] });
      const blind = await unreadableAnswers(db, "attr_blind_judge", [runId], 3);
      expect(blind.judged).toBe(PROMPTS);
      expect(blind.unreadable).toBe(PROMPTS);
      expect(blind.examples).toHaveLength(3);
      expect(blind.examples[0].raw).toMatch(/^Please show me the answer to rate/);
      expect(blind.examples[0].error).toMatch(/no number in the answer/);
      // The judged outputs of a run that did not measure it: none.
      expect(await unreadableAnswers(db, "attr_wavering_judge", [lexRunId])).toEqual({ judged: 0, unreadable: 0, examples: [] });
    });

    it("counts a best-of-k dataset's judged candidates in the distribution and the unreadable answers", async () => {
      const a = await db.prisma.attribute.findFirstOrThrow({ where: { name: "Wavering judge" }, include: { versions: true } });
      const blind = await db.prisma.attribute.findFirstOrThrow({ where: { name: "Blind judge" }, include: { versions: true } });
      const teacher = (await db.prisma.model.findFirstOrThrow({ where: { name: "judged" } })).id;
      const dsPrompts = prompts.slice(0, 6).map((p) => ({ prompt: p.prompt, input: "" }));
      const v = await validateDatasetSpec(
        db,
        {
          name: "judged set",
          teacherIds: [teacher],
          k: 2,
          mode: "chat",
          template: "{prompt}",
          decoding: { temperature: 1, top_p: 0.95, max_tokens: 60 },
          seed: 5,
          rule: "best",
          target: "Wavering judge",
          direction: "max",
          filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
        },
        dsPrompts,
      );
      if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
      const datasetId = await createDataset(db, v.value, dsPrompts, { source: "upload", name: "p.jsonl", count: dsPrompts.length });
      expect(await executeDataset(db, datasetId, { controlPollMs: 50 })).toBe("completed");
      const cand = await db.prisma.candidateScore.findMany({ where: { attributeVersionId: a.versions[0].id } });
      expect(cand).toHaveLength(12);
      expect(await judgedDatasets(db, a.id)).toEqual([{ datasetId, name: "judged set", scored: 12, readable: 12 }]);

      // The distribution: the run's items and the dataset's candidates in shared bins spanning both.
      const items = await db.prisma.item.findMany({ where: { runId } });
      const itemValues = items.map((i) => (i.scores as Record<string, number>).attr_wavering_judge);
      const candValues = cand.map((c) => c.value!);
      const h = await scoreDistribution(db, { id: a.id, metric: a.metric }, [runId], [datasetId], 10);
      expect(h.n).toEqual([PROMPTS, 12]);
      expect(h.counts.map((c) => c.reduce((x, y) => x + y, 0))).toEqual([PROMPTS, 12]);
      const all = [...itemValues, ...candValues];
      expect(h.edges).toHaveLength(11);
      expect(h.edges[0]).toBe(Math.min(...all));
      expect(h.edges[10]).toBeCloseTo(Math.max(...all), 10);
      // The highest score lands in the last bin, the lowest in the first.
      const top = Math.max(...all);
      expect(h.counts[0][9] + h.counts[1][9]).toBe(all.filter((x) => x === top).length);
      expect(h.counts[0][0] + h.counts[1][0]).toBeGreaterThanOrEqual(all.filter((x) => x === Math.min(...all)).length);

      // An unreadable judge answer on a candidate (as the dataset's scoring stores it) is counted, with its raw answer.
      const raw = "I cannot rate <b>this</b>.";
      await writeScores(db, blind.versions[0].id, [
        {
          candidateId: cand[0].candidateId,
          value: null,
          raw: { value: null, raw: [raw], values: [null], error: "answer 1: no number" },
          error: "answer 1: no number",
        },
        { candidateId: cand[1].candidateId, value: 4, raw: { value: 4, raw: ["Score: 4"], values: [4] }, error: null },
      ]);
      expect(await unreadableCandidateAnswers(db, blind.id)).toEqual({
        judged: 2,
        unreadable: 1,
        examples: [{ datasetId, candidateId: cand[0].candidateId, raw, error: "answer 1: no number" }],
      });
      expect(await unreadableCandidateAnswers(db, a.id)).toMatchObject({ judged: 12, unreadable: 0, examples: [] });
    }, 60_000);

    it("re-asks the judge about a seeded sample, keeps the first scores, and computes the agreement of the pairs", async () => {
      server.resetStats();
      const before = await db.prisma.item.findMany({ where: { runId }, orderBy: { id: "asc" } });
      const pass = await rejudge(db, { attribute: "Wavering judge", runId, sampleSize: 10, seed: 7 });
      // One request per sampled output, to the judge only.
      expect(server.stats.byModel["tiny-judge"]).toBe(10);
      expect(server.stats.byModel["tiny-llama"] ?? 0).toBe(0);
      expect(pass).toMatchObject({ runId, version: 1, sampleSize: 10, seed: 7, stored: 10, unreadable: 0 });
      expect(pass.finishedAt).not.toBeNull();
      // The first scores are the items' own, which are left as they were.
      const after = await db.prisma.item.findMany({ where: { runId }, orderBy: { id: "asc" } });
      expect(after.map((i) => [i.scores, i.data])).toEqual(before.map((i) => [i.scores, i.data]));
      const byId = new Map(before.map((i) => [i.id, i]));
      for (const p of pass.pairs) {
        const item = byId.get(p.itemId)!;
        expect(p.first).toBe((item.scores as Record<string, number>).attr_wavering_judge);
        expect(readTextualData(item.data).attributes?.attr_wavering_judge?.value).toBe(p.first);
        // The second score is read from its stored raw answer, within a point of the length rule's score.
        expect(p.raw).toHaveLength(1);
        expect(readScore({ type: "number", min: 1, max: 10 }, p.raw[0])).toEqual({ value: p.second });
        const words = item.output!.split(/\s+/).filter(Boolean).length;
        expect(Math.abs(p.second! - Math.min(10, Math.max(1, Math.ceil(words / 8))))).toBeLessThanOrEqual(1);
        expect(Date.parse(p.at)).toBeGreaterThan(0);
      }
      // The agreement is that of the stored pairs (lib/metrics/agreement.ts is tested against hand-computed values).
      const firsts = pass.pairs.map((p) => p.first);
      const seconds = pass.pairs.map((p) => p.second);
      expect(pass.spearman).toEqual(spearman(firsts, seconds));
      expect(pass.meanAbsDiff).toEqual(meanAbsoluteDifference(firsts, seconds));
      expect(pass.spearman.n).toBe(10);
      // The wavering judge does disagree with itself somewhere (else this test could not tell a re-ask from a copy).
      expect(pass.pairs.some((p) => p.first !== p.second)).toBe(true);
      expect(pass.meanAbsDiff.ok && pass.meanAbsDiff.value).toBeGreaterThan(0);

      // The same run, size and seed: the same pass, nothing asked again.
      server.resetStats();
      const again = await rejudge(db, { attribute: "attr_wavering_judge", runId, sampleSize: 10, seed: 7 });
      expect(again.id).toBe(pass.id);
      expect(server.stats.total).toBe(0);
      expect(again.pairs).toEqual(pass.pairs);
      // Another seed samples other outputs: a new pass.
      const other = await rejudge(db, { attribute: "Wavering judge", runId, sampleSize: 10, seed: 8 });
      expect(other.id).not.toBe(pass.id);
      expect(other.pairs.map((p) => p.itemId)).not.toEqual(pass.pairs.map((p) => p.itemId));
      const listed = await rejudgeSummaries(db, { attributeId: (await db.prisma.attribute.findFirstOrThrow({ where: { name: "Wavering judge" } })).id });
      expect(listed.map((p) => p.id).sort()).toEqual([pass.id, other.id].sort());
      // A sample larger than the run is the whole run.
      server.resetStats();
      const all = await rejudge(db, { attribute: "Wavering judge", runId, sampleSize: 500, seed: 1 });
      expect(all).toMatchObject({ sampleSize: PROMPTS, stored: PROMPTS });
      expect(server.stats.byModel["tiny-judge"]).toBe(PROMPTS);
    });

    it("a pass cut short resumes asking only for the second scores it has not stored", async () => {
      const abort = new AbortController();
      server.resetStats();
      await expect(
        rejudge(db, {
          attribute: "Wavering judge",
          runId,
          sampleSize: 16,
          seed: 99,
          signal: abort.signal,
          onScore: (done) => {
            if (done === 5) abort.abort();
          },
        }),
      ).rejects.toThrow();
      const pass = await db.prisma.rejudge.findFirstOrThrow({ where: { runId, seed: 99 } });
      expect(pass.finishedAt).toBeNull();
      const stored = await db.prisma.rejudgeScore.count({ where: { rejudgeId: pass.id } });
      expect(stored).toBeGreaterThanOrEqual(5);
      expect(stored).toBeLessThan(16);
      const asked = server.stats.byModel["tiny-judge"] ?? 0;
      expect(asked).toBeGreaterThanOrEqual(stored);
      const storedRows = await db.prisma.rejudgeScore.findMany({ where: { rejudgeId: pass.id } });

      server.resetStats();
      const resumed = await rejudge(db, { attribute: "Wavering judge", runId, sampleSize: 16, seed: 99 });
      expect(resumed.id).toBe(pass.id);
      expect(server.stats.byModel["tiny-judge"]).toBe(16 - stored);
      expect(resumed).toMatchObject({ stored: 16, sampleSize: 16 });
      expect(resumed.finishedAt).not.toBeNull();
      // What was stored before the cut is kept as it was.
      for (const row of storedRows) {
        const p = resumed.pairs.find((x) => x.itemId === row.itemId)!;
        expect([p.second, p.at]).toEqual([row.value, row.createdAt.toISOString()]);
      }
    });

    it("refuses what it cannot vouch for, with the reason", async () => {
      // Every blind answer is unreadable: no output has a first score to compare.
      await expect(rejudge(db, { attribute: "Blind judge", runId, sampleSize: 5, seed: 1 })).rejects.toThrow(/0 outputs with a readable score/);
      await expect(rejudge(db, { attribute: "Wavering judge", runId: lexRunId, sampleSize: 5, seed: 1 })).rejects.toThrow(/no completed measurement/);
      await expect(rejudge(db, { attribute: "Hedges", runId: lexRunId, sampleSize: 5, seed: 1 })).rejects.toThrow(/is a lexicon, not a judge/);
      await expect(rejudge(db, { attribute: "Wavering judge", runId, sampleSize: 1, seed: 1 })).rejects.toThrow(/from 2 to 1000/);
      await expect(rejudge(db, { attribute: "Nope", runId, sampleSize: 5, seed: 1 })).rejects.toThrow(/no attribute "Nope"/);
    });
  });
}
