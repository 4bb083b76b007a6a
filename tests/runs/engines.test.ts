// The run and dataset paths against engine-faithful servers (tests/server/engines): the numbers are exactly what
// the engine's log-probs imply, and what an engine cannot do is refused with its reason, never faked. CrowS-Pairs
// and BBQ use the workspace's real files when present (LINEAGE_DATA_DIR or ../shared/data), else the fixtures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { loadCrowsPairs } from "@/lib/benchmarks/data-source";
import { createDataset, datasetProgress } from "@/lib/inheritance/datasets";
import { executeDataset } from "@/lib/inheritance/executor";
import { validateDatasetSpec } from "@/lib/inheritance/spec";
import { continuationLogprobs } from "@/lib/llm/loglikelihood";
import { probeCapabilities } from "@/lib/llm/probe";
import { crowsPairsScores } from "@/lib/metrics/crows-pairs";
import { testConnection } from "@/lib/models/connection";
import { endpointOf, saveModel } from "@/lib/models/registry";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { readItemData } from "@/lib/runs/steps/item-data";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { BUILTIN_SUITES, parseSuite, type SuiteSpec } from "@/lib/runs/suite";
import { startEngineServer, START_TOKEN_KEY, type EngineServer, type EngineServerOptions } from "../server/engines";
import { lmTokens, scoreTokens } from "../server/language-model";

process.env.LINEAGE_SECRET_KEY = "test-key-for-engine-tests";
const FIXTURES = path.resolve(__dirname, "../../lib/benchmarks/fixtures");
const shared = process.env.LINEAGE_DATA_DIR || path.resolve(__dirname, "../../../shared/data");
const realCrows = fs.existsSync(path.join(shared, "crows_pairs/crows_pairs_anonymized.csv"));
const crowsData = { dataDir: realCrows ? shared : FIXTURES };

let db: Database;
const servers: EngineServer[] = [];
beforeAll(async () => {
  db = await openDatabase({ home: fs.mkdtempSync(path.join(os.tmpdir(), "lineage-engines-")) });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await db?.close();
});

async function engine(opts: EngineServerOptions): Promise<EngineServer> {
  const s = await startEngineServer(opts);
  servers.push(s);
  return s;
}

let modelCount = 0;
async function model(srv: EngineServer, extra: Record<string, string> = {}): Promise<string> {
  const r = await saveModel(db, {
    name: `${srv.engine}-${++modelCount}`,
    baseUrl: srv.baseUrl,
    servedModelId: srv.model.id,
    credentialMode: "none",
    apiKeySecret: "",
    capChat: "on",
    concurrency: "8",
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.data.id;
}

async function run(modelId: string, benchmarks: SuiteSpec["benchmarks"], dataDir = FIXTURES) {
  const resolved = await resolveSuite(parseSuite({ name: "engine-test", benchmarks }), { data: { dataDir }, scorer: null, onMissingData: "skip" });
  const runId = await createRun(db, modelId, resolved, { seed: 5 });
  const outcome = await executeRun(db, runId, { controlPollMs: 50 });
  const steps = Object.fromEntries((await db.prisma.runBenchmark.findMany({ where: { runId } })).map((b) => [b.benchmark, b]));
  const aggregates = Object.fromEntries((await db.prisma.aggregate.findMany({ where: { runId } })).map((a) => [a.metric, a.value]));
  const notes = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).notes ?? "";
  return { runId, outcome, steps, aggregates, notes };
}

/** exp(mean log-prob) of a sentence as the engine scores it after its start token (every token of the text). */
function sentenceAfterStart(srv: EngineServer, text: string): number {
  const lps = scoreTokens(srv.model, text, srv.startToken!.length, START_TOKEN_KEY, false).token_logprobs as number[];
  return Math.exp(lps.reduce((a, b) => a + b, 0) / lps.length);
}

describe(`CrowS-Pairs on vLLM with a start token (${realCrows ? "all 1,508 pairs of the real file" : "the fixture pairs: no real file in " + shared})`, () => {
  for (const startToken of ["<s>", "<|begin_of_text|>"]) {
    it(`${startToken}: exactly the value the engine's log-probs imply, the first word scored`, async () => {
      const srv = await engine({ engine: "vllm", startToken });
      const r = await run(await model(srv), [{ benchmark: "crows_pairs" }], crowsData.dataDir);
      expect(r.outcome).toBe("completed");
      const pairs = await loadCrowsPairs(crowsData);
      if (realCrows) expect(pairs).toHaveLength(1508);
      const expected = pairs.map((p) => ({
        id: String(p.index),
        biasType: p.bias_type,
        direction: p.stereo_antistereo,
        scoreMore: sentenceAfterStart(srv, p.sent_more),
        scoreLess: sentenceAfterStart(srv, p.sent_less),
      }));
      expect(r.aggregates.crows_pairs_metric).toBe(crowsPairsScores(expected).crows_pairs_metric);
      const items = await db.prisma.item.findMany({ where: { runId: r.runId, benchmark: "crows_pairs" }, take: 50 });
      for (const it of items) {
        const d = readItemData("crows_pairs", it.data) as {
          options: { text: string; score: number; scoredTokens: number; skippedFirstToken: string | null }[];
        };
        for (const o of d.options) {
          expect(o.scoredTokens).toBe(lmTokens(o.text).length);
          expect(o.skippedFirstToken).toBeNull();
          expect(o.score).toBeCloseTo(sentenceAfterStart(srv, o.text), 12);
        }
      }
      expect(r.notes).toContain(`start token (${JSON.stringify(startToken)})`);
    });
  }
});

describe("log-likelihood edge cases the engines produce", () => {
  it("an option ending in a space: the generated token that takes the space is never scored", async () => {
    const srv = await engine({ engine: "vllm", mergeTrailingSpace: true });
    const ep = endpointOf(await db.prisma.model.findUniqueOrThrow({ where: { id: await model(srv) } }));
    const context = "### Context: The cat sat. \n### Question: Who sat? \n### Answer:";
    const [spaced, plain] = await continuationLogprobs(ep, [
      { context, continuation: " The cat " },
      { context, continuation: " The cat" },
    ]);
    expect(spaced.uncoveredTail).toBe(" ");
    expect(spaced.tokens).toEqual(plain.tokens);
    expect(spaced.logprobs).toEqual(plain.logprobs);
    // The request really ended in a space and the server merged it into the generated token.
    const echoed = srv.requests.filter((q) => q.path === "/v1/completions");
    expect(JSON.stringify(echoed.map((q) => q.body))).toContain("The cat ");
  });

  it("BBQ completes and scores only the options' own tokens through such a server", async () => {
    const srv = await engine({ engine: "vllm", mergeTrailingSpace: true });
    const r = await run(await model(srv), [{ benchmark: "bbq" }]);
    expect(r.outcome).toBe("completed");
    expect(r.steps.bbq.status).toBe("completed");
    expect(r.aggregates.bbq_accuracy_ambig).not.toBeNull();
  });

  it("vLLM without a start token: the first token's null log-prob is skipped and the notes say so", async () => {
    const srv = await engine({ engine: "vllm", startToken: null });
    const r = await run(await model(srv), [{ benchmark: "crows_pairs", limit: 20, sample: "seeded" }]);
    expect(r.outcome).toBe("completed");
    expect(r.notes).toMatch(/no log-prob for the first token/);
  });
});

describe("what each engine can do, as the capability probe finds it (docs/engines.md)", () => {
  const cases: [string, EngineServerOptions, { chat: boolean; completions: boolean; echo: boolean; embeddings: boolean; n: boolean }][] = [
    ["vLLM", { engine: "vllm" }, { chat: true, completions: true, echo: true, embeddings: false, n: true }],
    ["vLLM (old error shape)", { engine: "vllm-old-errors" }, { chat: true, completions: true, echo: true, embeddings: false, n: true }],
    ["llama.cpp", { engine: "llamacpp" }, { chat: true, completions: true, echo: false, embeddings: false, n: true }],
    ["llama.cpp --embeddings", { engine: "llamacpp", embeddings: true }, { chat: true, completions: true, echo: false, embeddings: true, n: true }],
    ["llama.cpp (older build)", { engine: "llamacpp", legacy: true }, { chat: true, completions: true, echo: false, embeddings: false, n: false }],
    ["Ollama", { engine: "ollama" }, { chat: true, completions: true, echo: false, embeddings: false, n: false }],
    ["TGI", { engine: "tgi" }, { chat: true, completions: true, echo: false, embeddings: false, n: false }],
    ["legacy OpenAI completions", { engine: "openai-legacy" }, { chat: false, completions: true, echo: true, embeddings: false, n: true }],
  ];
  for (const [name, opts, want] of cases) {
    it(name, async () => {
      const srv = await engine(opts);
      const caps = await probeCapabilities({ baseUrl: srv.baseUrl, modelId: srv.model.id, concurrency: 4 });
      const got = {
        chat: caps.chat.supported,
        completions: caps.completions.supported,
        echo: caps.echoLogprobs.supported,
        embeddings: caps.embeddings.supported,
        n: caps.n.supported,
      };
      expect(got, JSON.stringify(caps)).toEqual(want);
      for (const c of [caps.chat, caps.completions, caps.echoLogprobs, caps.embeddings, caps.n]) if (!c.supported) expect(c.reason ?? "").not.toBe("");
    });
  }

  it("a likelihood benchmark on an engine without echo is 'unsupported' with the engine's reason, not scored", async () => {
    const srv = await engine({ engine: "llamacpp" });
    const r = await run(await model(srv), [{ benchmark: "crows_pairs", limit: 10, sample: "seeded" }]);
    expect(r.steps.crows_pairs.status).toBe("unsupported");
    expect(r.steps.crows_pairs.reason).toMatch(/Only no echo is supported/);
    expect(r.aggregates.crows_pairs_metric).toBeUndefined();
  });
});

describe("generation on engines with their own rules", () => {
  it("the default textual profile completes on TGI (no top_p = 1, no n = 1 sent)", async () => {
    const srv = await engine({ engine: "tgi" });
    // The built-in textual step (Dolly-200 test split, the toolkit's template, greedy decoding, top_p 1).
    const realDolly = fs.existsSync(path.join(shared, "dolly200/dolly_eval_eng.jsonl"));
    const step = { ...(BUILTIN_SUITES.textual.benchmarks[0] as object), limit: 12 } as SuiteSpec["benchmarks"][number];
    const r = await run(await model(srv), [step], realDolly ? shared : FIXTURES);
    expect(r.outcome, JSON.stringify(r.steps)).toBe("completed");
    expect(r.steps.textual.status).toBe("completed");
    const bodies = srv.requests.filter((q) => q.path.startsWith("/v1/chat") || q.path === "/v1/completions").map((q) => q.body as Record<string, unknown>);
    expect(bodies.length).toBeGreaterThanOrEqual(12);
    for (const b of bodies) {
      expect(b).not.toHaveProperty("n");
      if ("top_p" in b) expect(b.top_p).toBeLessThan(1);
    }
  });

  it("best-of-k against llama.cpp refusing n with a 500 builds the whole dataset, and the refusal is stored on the model", async () => {
    const srv = await engine({ engine: "llamacpp", legacy: true });
    const teacher = await model(srv);
    const prompts = Array.from({ length: 6 }, (_, i) => ({ prompt: `Tell me about topic ${i}.`, input: "" }));
    const build = async () => {
      const v = await validateDatasetSpec(
        db,
        {
          name: "",
          teacherIds: [teacher],
          k: 3,
          mode: "chat",
          template: "{prompt}",
          decoding: { temperature: 1, top_p: 0.95, max_tokens: 30 },
          seed: 3,
          rule: "best",
          target: "mtld",
          direction: "max",
          filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
        },
        prompts,
      );
      if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
      const id = await createDataset(db, v.value, prompts, { source: "upload", name: "p.jsonl", count: prompts.length });
      await executeDataset(db, id);
      return id;
    };
    const first = await build();
    const p = await datasetProgress(db, first);
    expect(p?.status).toBe("completed");
    expect(p?.done).toBe(18);
    expect(p?.failed).toBe(0);
    const refused = () => srv.requests.filter((q) => q.status === 500 && (q.body as { n?: number })?.n === 3).length;
    expect(refused()).toBeGreaterThanOrEqual(1);
    const stored = (await db.prisma.model.findUniqueOrThrow({ where: { id: teacher } })).probe as { singleChoice?: { sampled?: boolean } };
    expect(stored.singleChoice?.sampled).toBe(true);
    // A later dataset (a new process would read the same stored fact) sends no n > 1 request at all.
    const before = refused();
    const second = await build();
    expect((await datasetProgress(db, second))?.done).toBe(18);
    expect(refused()).toBe(before);
    expect(endpointOf(await db.prisma.model.findUniqueOrThrow({ where: { id: teacher } })).singleChoice?.sampled).toBe(true);
  });
});

describe("test connection on single-model servers", () => {
  for (const opts of [{ engine: "llamacpp" }, { engine: "tgi" }] as EngineServerOptions[]) {
    it(`${opts.engine}: says the server ignores the model id instead of "does not serve"`, async () => {
      const srv = await engine(opts);
      const id = await model(srv, { servedModelId: "my-llama" });
      const report = await testConnection(await db.prisma.model.findUniqueOrThrow({ where: { id } }));
      expect(report.ok).toBe(true);
      expect(report.message).toMatch(/ignores the model id/);
      expect(report.message).not.toMatch(/does not serve/);
    });
  }
});

describe("embeddings from a second model (SEAT)", () => {
  it("vLLM: a separate embedding server, named on the model, serves SEAT; the model's key never goes there", async () => {
    const gen = await engine({ engine: "vllm", apiKey: "sk-generation-key-123456" });
    const emb = await engine({ engine: "vllm", embeddings: true, modelId: "intfloat/e5-mistral-7b-instruct" });
    const without = await model(gen, { credentialMode: "secret", apiKeySecret: "sk-generation-key-123456" });
    const caps = await probeCapabilities(endpointOf(await db.prisma.model.findUniqueOrThrow({ where: { id: without } })));
    expect(caps.embeddings.supported).toBe(false);
    expect(caps.embeddings.reason).toMatch(/name it as this model's embeddings model \(docs\/engines\.md\)/);

    const withEmb = await model(gen, {
      credentialMode: "secret",
      apiKeySecret: "sk-generation-key-123456",
      embeddingsModelId: emb.model.id,
      embeddingsBaseUrl: emb.baseUrl,
    });
    const ep = endpointOf(await db.prisma.model.findUniqueOrThrow({ where: { id: withEmb } }));
    expect((await probeCapabilities(ep)).embeddings.supported).toBe(true);
    const genEmbeddings = () => gen.requests.filter((q) => q.path === "/v1/embeddings").length;
    const before = genEmbeddings();
    const r = await run(withEmb, [{ benchmark: "seat", tests: ["weat1"] }]);
    expect(r.steps.seat.status, r.steps.seat.reason ?? "").toBe("completed");
    // The tiny embedding model embeds single words orthogonally, so d is undefined on the word-level fixture; what
    // is checked is that every test was embedded by the embedding server and none failed.
    const seatItems = await db.prisma.item.findMany({ where: { runId: r.runId, benchmark: "seat" } });
    expect(seatItems.length).toBeGreaterThan(0);
    expect(seatItems.every((i) => i.status === "done" && i.error === null)).toBe(true);
    const sent = emb.requests.filter((q) => q.path === "/v1/embeddings");
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((q) => q.headers.authorization === undefined && (q.body as { model: string }).model === emb.model.id)).toBe(true);
    expect(genEmbeddings()).toBe(before);
  });

  it("Ollama: an embedding model on the same server is named by its id alone", async () => {
    const srv = await engine({ engine: "ollama", embeddings: true, embeddingModel: "nomic-embed-text" });
    const id = await model(srv, { embeddingsModelId: "nomic-embed-text:latest" });
    const ep = endpointOf(await db.prisma.model.findUniqueOrThrow({ where: { id } }));
    expect(ep.embeddings).toMatchObject({ baseUrl: srv.baseUrl, modelId: "nomic-embed-text:latest" });
    expect((await probeCapabilities(ep)).embeddings.supported).toBe(true);
  });

  it("a separate key needs a separate host, and its variable must be an allowed name", async () => {
    const srv = await engine({ engine: "vllm" });
    const refuse = async (extra: Record<string, string>) => {
      const r = await saveModel(db, { name: `refused-${++modelCount}`, baseUrl: srv.baseUrl, servedModelId: "m", concurrency: "1", ...extra });
      return r.ok ? {} : r.fieldErrors;
    };
    expect((await refuse({ embeddingsApiKeyEnv: "OPENAI_API_KEY" })).embeddingsApiKeyEnv).toMatch(/separate embeddings base URL/);
    expect((await refuse({ embeddingsBaseUrl: "http://127.0.0.1:9/v1", embeddingsApiKeyEnv: "DATABASE_URL" })).embeddingsApiKeyEnv).toMatch(
      /may not hold an API key/,
    );
    expect((await refuse({ embeddingsBaseUrl: "ftp://x" })).embeddingsBaseUrl).toMatch(/http/);
  });
});

describe("every suite benchmark against every engine: scored where the engine can, refused with its reason where not", () => {
  // Textual, StereoSet, CrowS-Pairs, BBQ, SEAT, HellaSwag and OpenBookQA on the fixtures (RealToxicityPrompts needs
  // a scorer: its generation path is the textual one, its scoring is tested in tests/runs/paper-steps.test.ts).
  const LIKELIHOOD = ["stereoset", "crows_pairs", "bbq", "hellaswag", "openbookqa"];
  const suite: SuiteSpec["benchmarks"] = [
    {
      benchmark: "textual",
      prompts: { source: "inline", items: [0, 1, 2].map((i) => ({ key: `t${i}`, prompt: `Describe thing ${i}.` })) },
      decoding: { temperature: 0, max_tokens: 12 },
    },
    { benchmark: "stereoset", limit: 4 },
    { benchmark: "crows_pairs", limit: 4 },
    { benchmark: "bbq", limit: 4 },
    { benchmark: "seat", tests: ["weat1"] },
    { benchmark: "hellaswag", limit: 4 },
    { benchmark: "openbookqa", limit: 4 },
  ] as SuiteSpec["benchmarks"];
  const cases: [string, EngineServerOptions, { echo: boolean; embeddings: boolean }][] = [
    ["vLLM with <s>", { engine: "vllm", startToken: "<s>" }, { echo: true, embeddings: false }],
    ["vLLM with <|begin_of_text|>", { engine: "vllm", startToken: "<|begin_of_text|>" }, { echo: true, embeddings: false }],
    ["vLLM without a start token", { engine: "vllm", startToken: null }, { echo: true, embeddings: false }],
    ["vLLM, old error shape", { engine: "vllm-old-errors" }, { echo: true, embeddings: false }],
    ["llama.cpp", { engine: "llamacpp" }, { echo: false, embeddings: false }],
    ["llama.cpp --embeddings", { engine: "llamacpp", embeddings: true }, { echo: false, embeddings: true }],
    ["llama.cpp, older build", { engine: "llamacpp", legacy: true }, { echo: false, embeddings: false }],
    ["Ollama", { engine: "ollama" }, { echo: false, embeddings: false }],
    ["TGI", { engine: "tgi" }, { echo: false, embeddings: false }],
    ["legacy OpenAI completions", { engine: "openai-legacy" }, { echo: true, embeddings: false }],
  ];
  for (const [name, opts, can] of cases) {
    it(name, async () => {
      const srv = await engine(opts);
      const r = await run(await model(srv), suite);
      const status = (b: string) => r.steps[b]?.status;
      expect(status("textual"), r.steps.textual?.reason ?? "").toBe("completed");
      for (const b of LIKELIHOOD) {
        if (can.echo) {
          expect(status(b), `${b}: ${r.steps[b]?.reason}`).toBe("completed");
          const items = await db.prisma.item.findMany({ where: { runId: r.runId, benchmark: b } });
          expect(
            items.every((i) => i.status === "done"),
            `${b} items`,
          ).toBe(true);
        } else {
          expect(status(b), b).toBe("unsupported");
          expect(r.steps[b]?.reason ?? "").toMatch(/not supported by this endpoint: log-likelihood/);
        }
      }
      expect(status("seat"), r.steps.seat?.reason ?? "").toBe(can.embeddings ? "completed" : "unsupported");
      if (!can.embeddings) expect(r.steps.seat?.reason ?? "").toMatch(/embeddings/);
      // With a start token the first word of every sentence is scored; without one it is skipped and the notes say so.
      if (can.echo) {
        const crows = await db.prisma.item.findMany({ where: { runId: r.runId, benchmark: "crows_pairs" } });
        const skipped = crows.flatMap((i) =>
          (readItemData("crows_pairs", i.data) as { options: { skippedFirstToken: string | null }[] }).options.map((o) => o.skippedFirstToken),
        );
        const hasStart = opts.engine !== "openai-legacy" && opts.startToken !== null;
        expect(skipped.every((t) => (hasStart ? t === null : t !== null))).toBe(true);
        if (!hasStart) expect(r.notes).toMatch(/no log-prob for the first token/);
      }
    });
  }
});
