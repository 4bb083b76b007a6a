import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/tests/server/server";
import { lmTokens } from "@/tests/server/language-model";
import { continuationLogprobs, LlmError, sentenceLogprobs, type Endpoint } from "@/lib/llm";
import { splitAtBoundary } from "@/lib/llm/loglikelihood";

let srv: TestServer;
const ep = (modelId = "tiny-llama"): Endpoint => ({ baseUrl: srv.baseUrl, modelId, concurrency: 4 });

/** The server's log-probs of a whole text, straight from the endpoint. */
async function direct(modelId: string, prompt: string) {
  const res = await fetch(`${srv.baseUrl}/completions`, {
    method: "POST",
    body: JSON.stringify({ model: modelId, prompt, echo: true, logprobs: 1, max_tokens: 0 }),
  });
  return ((await res.json()) as any).choices[0].logprobs as { tokens: string[]; token_logprobs: (number | null)[]; text_offset: number[] };
}

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe("continuationLogprobs", () => {
  it("splits at the boundary on a clean word boundary", async () => {
    const [r] = await continuationLogprobs(ep(), [{ context: "The cat sat on", continuation: " the mat" }]);
    expect(r.tokens).toEqual([" the", " mat"]);
    expect(r.contextTokenCount).toBe(4);
    expect(r.boundaryAligned).toBe(true);
    expect(r.firstTokenNull).toBe(false);
    const d = await direct("tiny-llama", "The cat sat on the mat");
    expect(r.logprobs).toEqual(d.token_logprobs.slice(4, 6));
  });

  it("moves the context's trailing space into the continuation", async () => {
    const [r] = await continuationLogprobs(ep(), [{ context: "The cat sat on ", continuation: "the mat" }]);
    expect(r.tokens).toEqual([" the", " mat"]);
    expect(r.contextTokenCount).toBe(4);
    expect(r.boundaryAligned).toBe(true);
  });

  it("a context ending mid-word: tokens starting at or after the boundary are the continuation", async () => {
    // "wonderful" is split by the server into " wonde" + "rful"
    expect(lmTokens("The wonderful day")).toEqual(["The", " wonde", "rful", " day"]);
    const [aligned] = await continuationLogprobs(ep(), [{ context: "The wonde", continuation: "rful day" }]);
    expect(aligned.tokens).toEqual(["rful", " day"]);
    expect(aligned.boundaryAligned).toBe(true);
    // boundary inside " wonde": that token stays with the context (offset 3 < 7)
    const [straddle] = await continuationLogprobs(ep(), [{ context: "The won", continuation: "derful day" }]);
    expect(straddle.tokens).toEqual(["rful", " day"]);
    expect(straddle.contextTokenCount).toBe(2);
    expect(straddle.boundaryAligned).toBe(false);
  });

  it("empty context: the first token's null log-prob is skipped and reported", async () => {
    const [r] = await continuationLogprobs(ep(), [{ context: "", continuation: "The cat sat" }]);
    expect(r.firstTokenNull).toBe(true);
    expect(r.tokens).toEqual([" cat", " sat"]);
    expect(r.contextTokenCount).toBe(0);
  });

  it("counts later tokens that come back without a log-prob and leaves them out of the score", () => {
    // "The cat sat on": the first token has no log-prob (skipped, reported), " sat" neither (counted)
    const echo = { tokens: ["The", " cat", " sat", " on"], tokenLogprobs: [null, -1, null, -3], topLogprobs: null, textOffset: [0, 3, 7, 11] };
    const r = splitAtBoundary(echo, "The cat sat on", 0);
    expect(r.firstTokenNull).toBe(true);
    expect(r.nullTokens).toBe(1);
    expect(r.tokens).toEqual([" cat", " on"]);
    expect(r.logprobs).toEqual([-1, -3]);
  });

  it("batches prompts (array prompt) in chunks and keeps order", async () => {
    srv.resetStats();
    const pairs = Array.from({ length: 10 }, (_, i) => ({ context: `Question ${i}: the answer is`, continuation: i % 2 ? " yes" : " no" }));
    const r = await continuationLogprobs(ep(), pairs, { batchSize: 4 });
    expect(srv.stats.byRoute["/v1/completions"]).toBe(3);
    expect(r.map((x) => x.tokens[0])).toEqual(pairs.map((p) => p.continuation));
    const single = await continuationLogprobs(ep(), [pairs[7]]);
    expect(single[0].logprobs).toEqual(r[7].logprobs);
  });

  it("falls back to one prompt per request when the server refuses arrays", async () => {
    srv.setModel("no-arrays", { flags: { promptArrays: false } });
    srv.resetStats();
    const pairs = Array.from({ length: 5 }, (_, i) => ({ context: `Item ${i} is`, continuation: " good" }));
    const r = await continuationLogprobs(ep("no-arrays"), pairs, { batchSize: 5 });
    expect(r).toHaveLength(5);
    expect(r.every((x) => x.tokens.join("") === " good")).toBe(true);
    expect(srv.stats.byRouteOutcome["/v1/completions"]).toEqual({ error_400: 1, ok: 5 });
    // remembered: no second refusal
    await continuationLogprobs(ep("no-arrays"), pairs, { batchSize: 5 });
    expect(srv.stats.byRouteOutcome["/v1/completions"]).toEqual({ error_400: 1, ok: 10 });
  });

  it("falls back to one prompt per request when the server answers an array with fewer choices", async () => {
    // A server that reads only the first prompt of an array (what some engines do): a proxy in front of the test server.
    const http = await import("node:http");
    let arrays = 0;
    const proxy = http.createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const json = JSON.parse(body);
      if (Array.isArray(json.prompt)) arrays++, (json.prompt = json.prompt[0]);
      const answer = await fetch(`${srv.baseUrl}/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(json) });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const port = (proxy.address() as { port: number }).port;
      const endpoint: Endpoint = { baseUrl: `http://127.0.0.1:${port}/v1`, modelId: "tiny-llama", concurrency: 4, maxRetries: 0 };
      const pairs = Array.from({ length: 3 }, (_, i) => ({ context: `Item ${i} is`, continuation: " good" }));
      const r = await continuationLogprobs(endpoint, pairs, { batchSize: 3 });
      expect(r.map((x) => x.tokens.join(""))).toEqual([" good", " good", " good"]);
      expect(arrays).toBe(1);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("an endpoint without echo log-probs is 'unsupported', not retried, not faked", async () => {
    srv.setModel("no-echo", { flags: { echo: false } });
    const err = await continuationLogprobs(ep("no-echo"), [{ context: "a", continuation: " b" }]).catch((e) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err.kind).toBe("unsupported");
    expect(err.message).toContain("no token_logprobs");
  });

  it("the toxic model prefers toxic continuations; models differ", async () => {
    const pairs = [
      { context: "You are such an", continuation: " idiot" },
      { context: "You are such an", continuation: " example" },
    ];
    const [tox, neutral] = await continuationLogprobs(ep("tiny-toxic"), pairs);
    const [tox2, neutral2] = await continuationLogprobs(ep("tiny-llama"), pairs);
    const sum = (x: { logprobs: number[] }) => x.logprobs.reduce((a, b) => a + b, 0);
    expect(sum(tox) - sum(neutral)).toBeGreaterThan(sum(tox2) - sum(neutral2));
  });
});

describe("sentenceLogprobs", () => {
  it("scores the whole sentence, skipping the first (null) token and saying so", async () => {
    const [r] = await sentenceLogprobs(ep(), ["The city never really sleeps."]);
    expect(r.skippedFirstToken).toBe("The");
    expect(r.tokens[0]).toBe(" city");
    expect(r.mean).toBeCloseTo(r.sum / r.logprobs.length, 12);
    const d = await direct("tiny-llama", "The city never really sleeps.");
    expect(r.logprobs).toEqual(d.token_logprobs.slice(1));
  });
});
