// Every paper benchmark step end to end through the real run path (createRun → executeRun) against the test
// server, on both databases; item records and aggregates are checked against values computed here from log-probs,
// embeddings and toxicity scores fetched independently (one request per text) and lib/metrics.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { parseBbqJsonl } from "@/lib/benchmarks/bbq";
import { loadCrowsPairs, loadHellaswag, loadOpenBookQa, loadSeat, loadStereoSet } from "@/lib/benchmarks/data-source";
import { stereoSetTriple } from "@/lib/benchmarks/stereoset";
import { BBQ_TEMPLATE, renderTemplate } from "@/lib/benchmarks/templates";
import { embed } from "@/lib/llm/embeddings";
import type { Endpoint } from "@/lib/llm/endpoint";
import { continuationLogprobs, sentenceLogprobs } from "@/lib/llm/loglikelihood";
import { bbqItemFromRecord, bbqScores } from "@/lib/metrics/bbq";
import { calibrationReport, optionPrediction } from "@/lib/metrics/calibration";
import { crowsPairsScores } from "@/lib/metrics/crows-pairs";
import { seatRunEffectSize, seatTest } from "@/lib/metrics/seat";
import { stereoSetScores } from "@/lib/metrics/stereoset";
import { toxicityReport } from "@/lib/metrics/toxicity";
import { executeRun } from "@/lib/runs/executor";
import { controlRun, createRun } from "@/lib/runs/runs";
import { readItemData } from "@/lib/runs/steps/item-data";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite, type SuiteSpec } from "@/lib/runs/suite";
import { PERSPECTIVE_ATTRIBUTES, type ScorerConfig } from "@/lib/scorers/types";
import { lmTokens } from "../server/language-model";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";
const FIXTURES = path.resolve(__dirname, "../../lib/benchmarks/fixtures");
const data = { dataDir: FIXTURES };
const PERSPECTIVE_KEY = "pk-test-0123456789";
const SEED = 11;

async function run(db: Database, modelId: string, benchmarks: SuiteSpec["benchmarks"], scorer: ScorerConfig | null = null) {
  const resolved = await resolveSuite(parseSuite({ name: "paper-test", benchmarks }), { data, scorer });
  const runId = await createRun(db, modelId, resolved, { seed: SEED });
  const outcome = await executeRun(db, runId, { controlPollMs: 50 });
  return { runId, outcome };
}

async function aggregates(db: Database, runId: string) {
  const rows = await db.prisma.aggregate.findMany({ where: { runId } });
  return Object.fromEntries(rows.map((r) => [r.metric, r]));
}

/** The step's items with their records read as the item page reads them (scores are stored packed: docs/storage.md). */
async function items(db: Database, runId: string, benchmark: string) {
  const rows = await db.prisma.item.findMany({ where: { runId, benchmark }, orderBy: { itemKey: "asc" } });
  return rows.map((r) => ({ ...r, data: readItemData(benchmark, r.data) }));
}

function expectCi(a: { value: number | null; ciLow: number | null; ciHigh: number | null }) {
  expect(a.value).not.toBeNull();
  expect(a.ciLow!).toBeLessThanOrEqual(a.value! + 1e-12);
  expect(a.ciHigh!).toBeGreaterThanOrEqual(a.value! - 1e-12);
}

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`paper benchmark steps on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    let endpoint: Endpoint;
    let perspective: ScorerConfig;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 2, perspectiveKey: PERSPECTIVE_KEY, perspectiveQps: 1000 });
      endpoint = { baseUrl: server.baseUrl, modelId: "tiny-llama", concurrency: 4 };
      perspective = {
        kind: "perspective",
        name: "test perspective",
        url: `${server.url}/v1alpha1`,
        qps: 500,
        apiKeyEnv: "TEST_PERSPECTIVE_API_KEY",
        scorerId: null,
        model: null,
        label: null,
        attributes: [...PERSPECTIVE_ATTRIBUTES],
      };
      process.env.TEST_PERSPECTIVE_API_KEY = PERSPECTIVE_KEY;
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("StereoSet: sentence scores from echo log-probs, LMS/SS/ICAT overall and per domain", async () => {
      const modelId = await addTestModel(db, server, "m-stereoset");
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "stereoset" }]);
      expect(outcome).toBe("completed");
      const ss = await loadStereoSet(data);
      const its = await items(db, runId, "stereoset");
      expect(its).toHaveLength(ss.intrasentence.length);
      const expected = [];
      for (const ex of ss.intrasentence) {
        const t = stereoSetTriple(ex);
        const [s, a, u] = await sentenceLogprobs(endpoint, [t.stereotype.sentence, t.antiStereotype.sentence, t.unrelated.sentence], { batchSize: 1 });
        const scores = { stereotype: Math.exp(s.mean!), antiStereotype: Math.exp(a.mean!), unrelated: Math.exp(u.mean!) };
        expected.push({ id: ex.id, target: ex.target, bias_type: ex.bias_type, scores });
        const item = its.find((i) => i.itemKey === ex.id)!;
        expect(item.status).toBe("done");
        const d = item.data as { options: { label: string; score: number; skippedFirstToken: string | null }[]; chosen: string };
        expect(d.options.map((o) => o.label)).toEqual(["stereotype", "anti-stereotype", "unrelated"]);
        expect(d.options[0].score).toBeCloseTo(scores.stereotype, 12);
        expect(d.options[1].score).toBeCloseTo(scores.antiStereotype, 12);
        expect(d.options[2].score).toBeCloseTo(scores.unrelated, 12);
        expect(d.options[0].skippedFirstToken).not.toBeNull(); // the test server gives the first token no log-prob
      }
      const want = stereoSetScores(expected);
      const agg = await aggregates(db, runId);
      for (const m of ["stereoset_lms", "stereoset_ss", "stereoset_icat"] as const) {
        expect(agg[m].value).toBeCloseTo(want[m]!, 10);
        expect(agg[m].n).toBe(expected.length);
        expectCi(agg[m]);
      }
      const notes = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).notes;
      expect(notes).toMatch(/stereoset: the endpoint returns no log-prob for the first token/);
      const domain = expected[0].bias_type;
      expect(agg[`stereoset_ss@${domain}`].value).toBeCloseTo(stereoSetScores(expected.filter((e) => e.bias_type === domain)).stereoset_ss!, 10);
    });

    it("CrowS-Pairs: the share of pairs whose sent_more scores higher, and per bias type", async () => {
      const modelId = await addTestModel(db, server, "m-crows");
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "crows_pairs" }]);
      expect(outcome).toBe("completed");
      const pairs = await loadCrowsPairs(data);
      const expected = [];
      for (const p of pairs) {
        const [more, less] = await sentenceLogprobs(endpoint, [p.sent_more, p.sent_less], { batchSize: 1 });
        expected.push({
          id: String(p.index),
          biasType: p.bias_type,
          direction: p.stereo_antistereo,
          scoreMore: Math.exp(more.mean!),
          scoreLess: Math.exp(less.mean!),
        });
      }
      const its = await items(db, runId, "crows_pairs");
      expect(its).toHaveLength(pairs.length);
      for (const e of expected) {
        const d = its.find((i) => i.itemKey === e.id)!.data as { options: { score: number }[]; chosen: string };
        expect(d.options[0].score).toBeCloseTo(e.scoreMore, 12);
        expect(d.chosen).toBe(e.scoreMore > e.scoreLess ? "sent_more" : e.scoreMore < e.scoreLess ? "sent_less" : "tie");
      }
      const agg = await aggregates(db, runId);
      expect(agg.crows_pairs_metric.value).toBeCloseTo(crowsPairsScores(expected).crows_pairs_metric!, 10);
      expectCi(agg.crows_pairs_metric);
      const type = expected[0].biasType;
      expect(agg[`crows_pairs_metric@${type}`].value).toBeCloseTo(crowsPairsScores(expected.filter((e) => e.biasType === type)).crows_pairs_metric!, 10);
    });

    it("tokens that come back without a log-prob mid-sentence are left out of the score and counted in the run's notes", async () => {
      const gaps = await startTestServer({ latencyMs: 2, models: { "tiny-gaps": { flags: { logprobGaps: true } } } });
      try {
        const modelId = await addTestModel(db, gaps, "m-gaps", "tiny-gaps");
        const { runId, outcome } = await run(db, modelId, [{ benchmark: "crows_pairs" }]);
        expect(outcome).toBe("completed");
        const its = await items(db, runId, "crows_pairs");
        const options = its.flatMap((i) => (i.data as { options: { text: string; nullTokens: number; scoredTokens: number }[] }).options);
        // The server's tokens: whitespace-led words and sub-words; every fifth one (index 4, 9, …) has no log-prob.
        const expected = options.map((o) => Math.floor(lmTokens(o.text).length / 5));
        expect(options.map((o) => o.nullTokens)).toEqual(expected);
        const total = expected.reduce((a, b) => a + b, 0);
        expect(total).toBeGreaterThan(0);
        const affected = expected.filter((n) => n > 0).length;
        const notes = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).notes;
        expect(notes).toContain(`crows_pairs: ${total} token(s) in ${affected} scored text(s) came back without a log-prob`);
      } finally {
        await gaps.close();
      }
    });

    it("BBQ: option log-likelihoods after the toolkit prompt; accuracy and bias scores", async () => {
      const modelId = await addTestModel(db, server, "m-bbq");
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "bbq", categories: ["Age"] }]);
      expect(outcome).toBe("completed");
      const records = parseBbqJsonl(await import("node:fs").then((fs) => fs.readFileSync(path.join(FIXTURES, "bbq/Age.jsonl"))), "Age.jsonl");
      const expected = [];
      const its = await items(db, runId, "bbq");
      expect(its).toHaveLength(records.length);
      for (const r of records) {
        const context = renderTemplate(BBQ_TEMPLATE, { context: r.context, question: r.question });
        const lps = await continuationLogprobs(
          endpoint,
          [r.ans0, r.ans1, r.ans2].map((o) => ({ context, continuation: ` ${o}` })),
          { batchSize: 1 },
        );
        const scores = lps.map((l) => l.logprobs.reduce((a, b) => a + b, 0) / l.logprobs.length);
        const it = bbqItemFromRecord(r, scores);
        expected.push(it);
        const d = its.find((i) => i.itemKey === `Age:${r.example_id}`)!.data as { options: { meanLogprob: number }[]; chosen: number };
        d.options.forEach((o, k) => expect(o.meanLogprob).toBeCloseTo(scores[k], 12));
      }
      const want = bbqScores(expected);
      const agg = await aggregates(db, runId);
      for (const m of ["bbq_accuracy_ambig", "bbq_accuracy_disambig", "bbq_bias_ambig", "bbq_bias_disambig"] as const) {
        if (want[m] === null) expect(agg[m].value).toBeNull();
        else expect(agg[m].value).toBeCloseTo(want[m]!, 10);
      }
      expect((agg.bbq_accuracy_ambig.details as { byCategory: Record<string, unknown> }).byCategory.Age).toBeDefined();
    });

    it("SEAT: embeddings through the endpoint, effect size and permutation p per test, mean |d|", async () => {
      const modelId = await addTestModel(db, server, "m-seat");
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "seat", tests: ["weat1"], permutations: 2000 }]);
      expect(outcome).toBe("completed");
      const [t] = await loadSeat(["weat1"], data);
      const vec = async (xs: string[]) => embed(endpoint, xs, { batchSize: 7 });
      const r = seatTest(
        { targ1: await vec(t.targ1.examples), targ2: await vec(t.targ2.examples), attr1: await vec(t.attr1.examples), attr2: await vec(t.attr2.examples) },
        { seed: `${SEED}:weat1`, permutations: 2000 },
      );
      const [item] = await items(db, runId, "seat");
      const d = item.data as { effectSize: number; pValue: number };
      expect(d.effectSize).toBeCloseTo(r.effectSize!, 10);
      expect(d.pValue).toBeCloseTo(r.pValue, 12);
      const agg = await aggregates(db, runId);
      expect(agg.seat_effect_size.value).toBeCloseTo(seatRunEffectSize([r]).seat_effect_size!, 10);
      expect(agg.seat_effect_size.n).toBe(1);
    });

    it("HellaSwag and OpenBookQA: softmax over option scores, accuracy, ECE, Brier and reliability bins", async () => {
      const modelId = await addTestModel(db, server, "m-calibration");
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "hellaswag" }, { benchmark: "openbookqa" }]);
      expect(outcome).toBe("completed");
      const sets = {
        hellaswag: (await loadHellaswag(data)).map((h) => ({ context: h.ctx, options: [...h.endings], label: h.label! })),
        openbookqa: (await loadOpenBookQa(data)).map((o) => ({ context: o.question_stem, options: o.choices.text, label: o.answerIndex })),
      };
      const agg = await aggregates(db, runId);
      for (const [set, list] of Object.entries(sets)) {
        const probs: number[][] = [];
        for (const q of list) {
          const lps = await continuationLogprobs(
            endpoint,
            q.options.map((o) => ({ context: q.context, continuation: ` ${o}` })),
            { batchSize: 1 },
          );
          probs.push(optionPrediction(lps.map((l) => l.logprobs.reduce((a, b) => a + b, 0) / l.logprobs.length)).probs);
        }
        const want = calibrationReport({ probs, labels: list.map((q) => q.label) });
        expect(agg[`${set}_accuracy`].value).toBeCloseTo(want.accuracy!, 10);
        expect(agg[`${set}_ece_10`].value).toBeCloseTo(want.ece_10!, 10);
        expect(agg[`${set}_ece_1`].value).toBeCloseTo(want.ece_1!, 10);
        expect(agg[`${set}_brier`].value).toBeCloseTo(want.brier!, 10);
        expect(agg[`${set}_ece_10`].n).toBe(list.length);
        expect((agg[`${set}_ece_10`].details as { reliability: unknown[] }).reliability).toHaveLength(want.bins.length);
        const its = await items(db, runId, set);
        const d = its[0].data as { scored: { prob: number }[]; chosen: number; confidence: number };
        expect(d.scored.map((o) => o.prob).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(d.confidence).toBe(Math.max(...d.scored.map((o) => o.prob)));
      }
    });

    it("RealToxicityPrompts: k continuations scored by Perspective; expected max toxicity and toxicity probability", async () => {
      const modelId = await addTestModel(db, server, "m-rtp", "tiny-toxic");
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "rtp_toxicity", samples: 4, decoding: { seed: 5 } }], perspective);
      expect(outcome).toBe("completed");
      const its = await items(db, runId, "rtp_toxicity");
      expect(its).toHaveLength(3);
      const samples = [];
      for (const it of its) {
        const d = it.data as { continuations: { text: string; scores: Record<string, number> | null }[]; scorer: string; prompt: string };
        expect(d.continuations).toHaveLength(4);
        expect(d.scorer).toBe("test perspective");
        expect(it.prompt).toContain(`### Input: ${d.prompt} \n### Continuation: `);
        for (const c of d.continuations) {
          // Re-score each continuation with a request of our own.
          let scores: Record<string, number> | null = null;
          if (c.text.trim() !== "") {
            const res = await fetch(`${server.url}/v1alpha1/comments:analyze?key=${PERSPECTIVE_KEY}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ comment: { text: c.text }, languages: ["en"], requestedAttributes: { TOXICITY: {}, INSULT: {} } }),
            });
            const body = (await res.json()) as { attributeScores: Record<string, { summaryScore: { value: number } }> };
            scores = { TOXICITY: body.attributeScores.TOXICITY.summaryScore.value, INSULT: body.attributeScores.INSULT.summaryScore.value };
            expect(c.scores!.TOXICITY).toBe(scores.TOXICITY);
          } else expect(c.scores).toBeNull();
          samples.push({ promptId: it.itemKey, scores });
        }
      }
      const want = toxicityReport(samples);
      const agg = await aggregates(db, runId);
      expect(agg.expected_max_toxicity.value).toBeCloseTo(want.expected_max_toxicity!, 12);
      expect(agg.toxicity_probability.value).toBeCloseTo(want.toxicity_probability!, 12);
      expect(agg.expected_max_insult.value).toBeCloseTo(want.attributes.expected_max_insult.value!, 12);
      expect((agg.expected_max_toxicity.details as { scorer: { name: string } }).scorer.name).toBe("test perspective");
      expectCi(agg.expected_max_toxicity);
    });

    it("RealToxicityPrompts: a refused scorer key fails the run with continuations kept; resume scores without regenerating", async () => {
      const modelId = await addTestModel(db, server, "m-rtp-resume", "tiny-toxic");
      process.env.TEST_PERSPECTIVE_API_KEY = "wrong-key-9999";
      server.resetStats();
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "rtp_toxicity", samples: 3, decoding: { seed: 1 } }], perspective);
      expect(outcome).toBe("failed");
      const run1 = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect(run1.error).toMatch(/API key was refused/);
      expect(run1.error).not.toContain("wrong-key-9999");
      const generated = server.stats.byRoute["/v1/completions"] ?? 0;
      expect(generated).toBeGreaterThan(0);
      const pending = await items(db, runId, "rtp_toxicity");
      expect(pending.some((i) => Array.isArray((i.data as { continuations?: unknown[] }).continuations))).toBe(true);
      process.env.TEST_PERSPECTIVE_API_KEY = PERSPECTIVE_KEY;
      await controlRun(db, runId, "retry-failed");
      server.resetStats();
      expect(await executeRun(db, runId)).toBe("completed");
      const regenerated = server.stats.byRoute["/v1/completions"] ?? 0;
      // Only prompts whose generation had not been stored before the stop are generated again.
      const withoutContinuations = pending.filter((i) => !(i.data as { continuations?: unknown[] }).continuations).length;
      expect(regenerated).toBe(withoutContinuations);
      expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(3);
    });

    it("a benchmark whose data file is missing: refused by default; with onMissingData skip, a failed step that says why while the others run", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-partial-data-"));
      fs.mkdirSync(path.join(dir, "crows_pairs"));
      fs.copyFileSync(path.join(FIXTURES, "crows_pairs/crows_pairs_anonymized.csv"), path.join(dir, "crows_pairs/crows_pairs_anonymized.csv"));
      const suite = parseSuite({ name: "partial", benchmarks: [{ benchmark: "stereoset" }, { benchmark: "crows_pairs" }] });
      await expect(resolveSuite(suite, { data: { dataDir: dir } })).rejects.toThrow(/dev\.json/);
      const resolved = await resolveSuite(suite, { data: { dataDir: dir }, onMissingData: "skip" });
      const modelId = await addTestModel(db, server, "m-partial");
      const runId = await createRun(db, modelId, resolved);
      expect(await executeRun(db, runId)).toBe("completed");
      const by = Object.fromEntries((await db.prisma.runBenchmark.findMany({ where: { runId } })).map((b) => [b.benchmark, b]));
      expect(by.stereoset.status).toBe("failed");
      expect(by.stereoset.reason).toMatch(/data file missing, not measured: .*dev\.json/);
      expect(by.crows_pairs.status).toBe("completed");
      expect((await aggregates(db, runId)).crows_pairs_metric.n).toBe((await loadCrowsPairs(data)).length);
    });

    it("marks steps unsupported (with the reason) when the endpoint lacks echo log-probs or embeddings, never faking them", async () => {
      server.setModel("bare", { flags: { echo: false, embeddings: false } });
      const modelId = await addTestModel(db, server, "m-bare", "bare");
      const { runId, outcome } = await run(db, modelId, [
        { benchmark: "crows_pairs" },
        { benchmark: "seat", tests: ["weat1"] },
        { benchmark: "rtp_toxicity", samples: 2 },
      ]);
      // Every step unsupported: nothing usable, so the run is failed (never "completed"), each step saying why.
      expect(outcome).toBe("failed");
      const steps = await db.prisma.runBenchmark.findMany({ where: { runId } });
      const by = Object.fromEntries(steps.map((s) => [s.benchmark, s]));
      expect(by.crows_pairs.status).toBe("unsupported");
      expect(by.crows_pairs.reason).toMatch(/not supported by this endpoint: log-likelihood/);
      expect(by.seat.status).toBe("unsupported");
      expect(by.seat.reason).toMatch(/not supported by this endpoint: embeddings/);
      expect(by.rtp_toxicity.status).toBe("unsupported");
      expect(by.rtp_toxicity.reason).toMatch(/no toxicity scorer configured/);
      expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(0);
      expect(await db.prisma.aggregate.count({ where: { runId } })).toBe(0);
      const model = await db.prisma.model.findUniqueOrThrow({ where: { id: modelId } });
      expect(model.probedAt).not.toBeNull();
      expect(model.capEcho).toBe(false);
      expect(model.capEmbeddings).toBe(false);
    });

    it("a step whose stored probe is stale becomes unsupported when the endpoint returns no log-probs", async () => {
      server.setModel("stale", { flags: { echo: false } });
      const modelId = await addTestModel(db, server, "m-stale", "stale");
      const ok = { supported: true };
      await db.prisma.model.update({
        where: { id: modelId },
        data: { probe: { models: ["stale"], chat: ok, completions: ok, echoLogprobs: ok, embeddings: ok, n: ok }, probedAt: new Date() },
      });
      const { runId, outcome } = await run(db, modelId, [{ benchmark: "openbookqa" }]);
      expect(outcome).toBe("failed"); // its only step is unsupported: nothing usable
      const step = await db.prisma.runBenchmark.findFirstOrThrow({ where: { runId } });
      expect(step.status).toBe("unsupported");
      expect(step.reason).toMatch(/not supported by this endpoint: .*no token_logprobs/);
      expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(0);
    });
  });
}
