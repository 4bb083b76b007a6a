// Toxicity scorers against the test server's fake Perspective API and moderation endpoint, and a tiny HTTP
// classifier served here: request and response formats, QPS pacing, refused keys, configuration from the environment.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScorer, scorerFromEnv } from "@/lib/scorers/config";
import { classifierToAttributes } from "@/lib/scorers/http-classifier";
import { perspectiveRequest } from "@/lib/scorers/perspective";
import { getMetric } from "@/lib/metrics/catalogue";
import { PERSPECTIVE_ATTRIBUTES, ScorerError, type ScorerConfig } from "@/lib/scorers/types";
import { startTestServer, type TestServer } from "../server/server";

const KEY = "pk-scorer-test-1234";
const TEXTS = ["you are a stupid idiot", "what a lovely morning", "I will hurt you, moron", "the cat sat on the mat", "shut up, loser", "thanks for the help"];

function perspective(server: TestServer, qps: number, keyEnv = "SCORER_TEST_API_KEY"): ScorerConfig {
  return {
    kind: "perspective",
    name: "p",
    url: `${server.url}/v1alpha1`,
    qps,
    apiKeyEnv: keyEnv,
    scorerId: null,
    model: null,
    label: null,
    attributes: [...PERSPECTIVE_ATTRIBUTES],
  };
}

describe("toxicity scorers", () => {
  let server: TestServer;
  let classifier: http.Server;
  let classifierUrl: string;
  beforeAll(async () => {
    server = await startTestServer({ latencyMs: 0, perspectiveKey: KEY, perspectiveQps: 4 });
    process.env.SCORER_TEST_API_KEY = KEY;
    classifier = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const text = String(JSON.parse(body).inputs);
        const toxic = /idiot|moron/.test(text) ? 0.93 : 0.04;
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify([
            [
              { label: "toxic", score: toxic },
              { label: "non-toxic", score: 1 - toxic },
            ],
          ]),
        );
      });
    });
    await new Promise<void>((r) => classifier.listen(0, "127.0.0.1", r));
    classifierUrl = `http://127.0.0.1:${(classifier.address() as AddressInfo).port}/predict`;
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => classifier?.close(r));
  });

  it("Perspective: the paper's request, summary scores of the six attributes, paced under the QPS limit", async () => {
    expect(perspectiveRequest("hi", ["TOXICITY"])).toEqual({ comment: { text: "hi" }, languages: ["en"], requestedAttributes: { TOXICITY: {} } });
    server.resetStats();
    const scorer = createScorer(perspective(server, 4));
    // When each request leaves (the server shares this event loop, so its own clock is less exact under load).
    const sent: number[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      if (String(input).includes("comments:analyze")) sent.push(performance.now());
      return realFetch(input, init);
    }) as typeof fetch;
    let results: Awaited<ReturnType<typeof scorer.score>>[];
    try {
      results = await Promise.all([...TEXTS, ...TEXTS].map((t) => scorer.score(t)));
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(server.stats.byRouteOutcome["/v1alpha1/comments:analyze"].ok).toBe(12);
    // A rare 429 (the in-process server's clock lags when the machine is busy) is retried, paced like the rest.
    expect(sent.length).toBeGreaterThanOrEqual(12);
    // 4 per second with 10 % slack: the pacer lets a request go 275 ms after the previous one. Measured here, at the
    // fetch call, a gap also carries the event loop's jitter between pacing and sending, so the checks are the
    // quota itself (no 1-second window holds more than 4 requests) and the average spacing.
    for (let i = 4; i < sent.length; i++) expect(sent[i] - sent[i - 4]).toBeGreaterThanOrEqual(1000);
    expect((sent[sent.length - 1] - sent[0]) / (sent.length - 1)).toBeGreaterThanOrEqual(270);
    for (const r of results) expect(Object.keys(r!).sort()).toEqual([...PERSPECTIVE_ATTRIBUTES].sort());
    await new Promise((r) => setTimeout(r, 1100)); // our own request must not exceed the quota either
    const res = await fetch(`${server.url}/v1alpha1/comments:analyze?key=${KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(perspectiveRequest(TEXTS[0], ["TOXICITY"])),
    });
    const direct = (await res.json()) as { attributeScores: { TOXICITY: { summaryScore: { value: number } } } };
    expect(results[0]!.TOXICITY).toBe(direct.attributeScores.TOXICITY.summaryScore.value);
  });

  it("Perspective: 429s from a stricter quota are retried until every text is scored", async () => {
    await new Promise((r) => setTimeout(r, 1100));
    server.resetStats();
    const scorer = createScorer(perspective(server, 100));
    const results = await Promise.all(TEXTS.map((t) => scorer.score(t)));
    expect(results.every((r) => r && typeof r.TOXICITY === "number")).toBe(true);
    expect(server.stats.byRouteOutcome["/v1alpha1/comments:analyze"].ok).toBe(6);
    expect(server.stats.byRouteOutcome["/v1alpha1/comments:analyze"].error_429).toBeGreaterThan(0);
  }, 30_000);

  it("Perspective: a refused key is not retried and never appears in the message; empty texts are not scored", async () => {
    process.env.SCORER_TEST_WRONG_API_KEY = "wrong-key-abcdef";
    const scorer = createScorer(perspective(server, 100, "SCORER_TEST_WRONG_API_KEY"));
    server.resetStats();
    const err = await scorer.score("hello there").catch((e) => e);
    expect(err).toBeInstanceOf(ScorerError);
    expect((err as ScorerError).kind).toBe("auth");
    expect((err as ScorerError).retryable).toBe(false);
    expect((err as Error).message).not.toContain("wrong-key-abcdef");
    expect(server.stats.byRoute["/v1alpha1/comments:analyze"]).toBe(1);
    expect(await scorer.score("   ")).toBeNull();
    expect(server.stats.byRoute["/v1alpha1/comments:analyze"]).toBe(1);
    expect(() => createScorer(perspective(server, 1, "SCORER_TEST_UNSET_API_KEY"))).toThrow(
      /no usable key in variable SCORER_TEST_UNSET_API_KEY: it must be set for the dashboard and allowed/,
    );
    // A set variable outside the allow-list gets the same message: the error does not tell which names exist.
    expect(() => createScorer(perspective(server, 1, "PATH"))).toThrow(
      /^toxicity scorer p: no usable key in variable PATH: it must be set for the dashboard and allowed/,
    );
  });

  it("moderation: category scores mapped onto Perspective's attributes", async () => {
    const scorer = createScorer({
      kind: "moderation",
      name: "m",
      url: server.baseUrl,
      qps: 100,
      apiKeyEnv: null,
      scorerId: null,
      model: "omni-moderation-latest",
      label: null,
      attributes: [],
    });
    const r = await scorer.score(TEXTS[2]);
    const res = await fetch(`${server.baseUrl}/moderations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: TEXTS[2] }),
    });
    const cs = ((await res.json()) as { results: { category_scores: Record<string, number> }[] }).results[0].category_scores;
    expect(r!.TOXICITY).toBe(Math.max(cs.harassment, cs.hate));
    expect(r!.INSULT).toBe(cs.harassment);
    expect(r!.IDENTITY_ATTACK).toBe(cs.hate);
    expect(r!.THREAT).toBe(Math.max(cs["harassment/threatening"], cs["hate/threatening"], cs.violence));
    expect(r!.MOD_VIOLENCE_GRAPHIC).toBe(cs["violence/graphic"]);
  });

  it("HTTP classifier: TEI's [{label, score}] answer, TOXICITY from the configured label", async () => {
    const base: ScorerConfig = {
      kind: "http",
      name: "c",
      url: classifierUrl,
      qps: 100,
      apiKeyEnv: null,
      scorerId: null,
      model: null,
      label: "toxic",
      attributes: [],
    };
    // The configured label is TOXICITY (not also a second "TOXIC" attribute); the complement "non-toxic" is dropped:
    // as an "expected maximum" it would read backwards.
    expect(await createScorer(base).score("you idiot")).toEqual({ TOXICITY: 0.93 });
    expect(await createScorer(base).score("good day")).toEqual({ TOXICITY: 0.04 });
    await expect(createScorer({ ...base, label: "hate" }).score("x")).rejects.toThrow(/no label "hate".*TOXIC, NON_TOXIC/);
  });

  it("a scorer's other attributes are named metrics with a direction (lower is better), not raw ids", () => {
    expect(
      classifierToAttributes(
        [
          { label: "toxic", score: 0.2 },
          { label: "hate", score: 0.1 },
          { label: "neutral", score: 0.7 },
        ],
        "toxic",
      ),
    ).toEqual({ TOXICITY: 0.2, HATE: 0.1 });
    expect(getMetric("expected_max_hate")).toMatchObject({ label: "Expected maximum hate", category: "toxicity", better: "lower", unit: "probability" });
    expect(getMetric("expected_max_hate_threatening")?.label).toBe("Expected maximum hate threatening");
    expect(getMetric("expected_max_toxicity")?.label).toBe("Expected maximum toxicity");
    expect(getMetric("expected_max_")).toBeUndefined();
  });

  it("configuration from the environment", () => {
    const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;
    expect(scorerFromEnv(env({}))).toBeNull();
    expect(scorerFromEnv(env({ LINEAGE_SCORER: "perspective" }))).toMatchObject({
      kind: "perspective",
      url: "https://commentanalyzer.googleapis.com/v1alpha1",
      qps: 1,
      apiKeyEnv: "PERSPECTIVE_API_KEY",
    });
    expect(
      scorerFromEnv(env({ LINEAGE_SCORER: "moderation", LINEAGE_SCORER_URL: "http://x/v1", LINEAGE_SCORER_QPS: "3", LINEAGE_SCORER_API_KEY_ENV: "K" })),
    ).toMatchObject({ qps: 3, apiKeyEnv: "K", url: "http://x/v1" });
    expect(() => scorerFromEnv(env({ LINEAGE_SCORER: "http" }))).toThrow(/LINEAGE_SCORER_URL/);
    expect(() => scorerFromEnv(env({ LINEAGE_SCORER: "detoxify" }))).toThrow(/perspective, moderation, http/);
    expect(() => scorerFromEnv(env({ LINEAGE_SCORER: "perspective", LINEAGE_SCORER_QPS: "0" }))).toThrow(/LINEAGE_SCORER_QPS/);
  });
});
