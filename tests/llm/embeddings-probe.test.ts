import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/tests/server/server";
import { embed, generate, listModels, probeCapabilities, type Endpoint } from "@/lib/llm";

let srv: TestServer;
const ep = (modelId = "tiny-llama", extra: Partial<Endpoint> = {}): Endpoint => ({ baseUrl: srv.baseUrl, modelId, concurrency: 4, ...extra });

beforeAll(async () => {
  srv = await startTestServer({ apiKey: "sk-probe-key" });
});
afterAll(async () => {
  await srv.close();
});

describe("embed", () => {
  it("returns one normalised vector per text, in order, in batches", async () => {
    srv.resetStats();
    const texts = Array.from({ length: 10 }, (_, i) => `text number ${i}`);
    const v = await embed(ep("tiny-llama", { apiKey: "sk-probe-key" }), texts, { batchSize: 4 });
    expect(v).toHaveLength(10);
    expect(v[0]).toHaveLength(64);
    expect(Math.hypot(...v[3])).toBeCloseTo(1, 5);
    expect(srv.stats.byRoute["/v1/embeddings"]).toBe(3);
    const [again] = await embed(ep("tiny-llama", { apiKey: "sk-probe-key" }), ["text number 7"]);
    expect(again).toEqual(v[7]);
    expect(await embed(ep("tiny-llama", { apiKey: "sk-probe-key" }), [])).toEqual([]);
  });
});

describe("probe and test connection", () => {
  it("listModels returns the served ids", async () => {
    const ids = await listModels(ep("tiny-llama", { apiKey: "sk-probe-key" }));
    expect(ids).toContain("tiny-llama");
  });

  it("a full-featured model supports everything", async () => {
    const caps = await probeCapabilities(ep("tiny-llama", { apiKey: "sk-probe-key" }));
    expect(caps.models).toContain("tiny-llama");
    for (const c of [caps.chat, caps.completions, caps.echoLogprobs, caps.embeddings, caps.n]) expect(c).toEqual({ supported: true });
  });

  it("a server without embeddings, echo and n says why for each", async () => {
    srv.setModel("bare", { flags: { embeddings: false, echo: false, n: false } });
    const e = ep("bare", { apiKey: "sk-probe-key" });
    const caps = await probeCapabilities(e);
    expect(caps.chat.supported).toBe(true);
    expect(caps.completions.supported).toBe(true);
    expect(caps.echoLogprobs).toMatchObject({ supported: false });
    expect(caps.echoLogprobs.reason).toContain("completions with echo returned no token_logprobs");
    expect(caps.embeddings.supported).toBe(false);
    expect(caps.embeddings.reason).toMatch(/not found/);
    expect(caps.n.supported).toBe(false);
    expect(caps.n.reason).toMatch(/rejected the request/);
    // the probe's finding is used by generate: no refused n request
    srv.resetStats();
    const r = await generate(e, { mode: "chat", prompt: "hi", n: 2, seed: 1 });
    expect(r.outputs).toHaveLength(2);
    expect(srv.stats.byOutcome.error_400 ?? 0).toBe(0);
  });

  it("a chat-only model: completions and echo unsupported", async () => {
    srv.setModel("chat-only", { flags: { completions: false, embeddings: false } });
    const caps = await probeCapabilities(ep("chat-only", { apiKey: "sk-probe-key" }));
    expect(caps.chat.supported).toBe(true);
    expect(caps.completions.supported).toBe(false);
    expect(caps.completions.reason).toMatch(/does not support the Completions API/);
    expect(caps.echoLogprobs.supported).toBe(false);
    expect(caps.n.supported).toBe(true);
  });

  it("a wrong key: every capability unsupported with the auth reason, key not shown", async () => {
    const caps = await probeCapabilities(ep("tiny-llama", { apiKey: "sk-wrong-wrong-wrong" }));
    expect(caps.models).toBeNull();
    expect(caps.modelsError).toMatch(/refused the credential/);
    expect(caps.chat.reason).toMatch(/check the model's API key/);
    expect(JSON.stringify(caps)).not.toContain("sk-wrong-wrong-wrong");
  });
});
