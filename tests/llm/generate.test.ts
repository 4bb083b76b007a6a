import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/tests/server/server";
import { generate, type Endpoint } from "@/lib/llm";

let srv: TestServer;
const ep = (modelId: string, extra: Partial<Endpoint> = {}): Endpoint => ({ baseUrl: srv.baseUrl, modelId, concurrency: 8, ...extra });

beforeAll(async () => {
  srv = await startTestServer({ latencyMs: 5 });
});
afterAll(async () => {
  await srv.close();
});

describe("generate", () => {
  it("chat: text, finish reason, usage, latency, attempts", async () => {
    const r = await generate(ep("tiny-llama"), { mode: "chat", prompt: "Tell me about the garden", temperature: 0, max_tokens: 200 });
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0].text.length).toBeGreaterThan(10);
    expect(r.outputs[0].finishReason).toBe("stop");
    expect(r.usage!.completionTokens).toBe(r.outputs[0].text.split(/\s+/).length);
    expect(r.usage!.promptTokens).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(4);
    expect(r.attempts).toBe(1);
    const again = await generate(ep("tiny-llama"), { mode: "chat", prompt: "Tell me about the garden", temperature: 0, max_tokens: 200 });
    expect(again.outputs[0].text).toBe(r.outputs[0].text);
  });

  it("completion: continues the prompt, honours max_tokens and stop", async () => {
    const r = await generate(ep("tiny-verbose"), { mode: "completion", prompt: "The river", temperature: 0, max_tokens: 4 });
    expect(r.outputs[0].text.trim().split(/\s+/)).toHaveLength(4);
    expect(r.outputs[0].finishReason).toBe("length");
    const full = (await generate(ep("tiny-verbose"), { mode: "completion", prompt: "The river", temperature: 0 })).outputs[0].text;
    const stop = full.trim().split(" ")[2];
    const s = await generate(ep("tiny-verbose"), { mode: "completion", prompt: "The river", temperature: 0, stop });
    expect(s.outputs[0].text).toBe(full.slice(0, full.indexOf(stop)));
  });

  it("n > 1 in one request when the server supports it", async () => {
    srv.resetStats();
    const r = await generate(ep("tiny-llama"), { mode: "chat", prompt: "Write", temperature: 1, top_p: 0.9, seed: 5, n: 4 });
    expect(r.outputs).toHaveLength(4);
    expect(new Set(r.outputs.map((o) => o.text)).size).toBe(4);
    expect(srv.stats.byRoute["/v1/chat/completions"]).toBe(1);
  });

  it("falls back to n requests with seeds seed, seed+1, … when n is refused, and remembers it", async () => {
    srv.resetStats();
    const e = ep("tiny-terse");
    const r = await generate(e, { mode: "chat", prompt: "Write", temperature: 1, seed: 10, n: 3 });
    expect(r.outputs).toHaveLength(3);
    expect(r.attempts).toBe(4); // the refused request + 3
    expect(srv.stats.byOutcome.error_400).toBe(1);
    // sample i equals a single request with seed + i
    for (let i = 0; i < 3; i++) {
      const one = await generate(e, { mode: "chat", prompt: "Write", temperature: 1, seed: 10 + i });
      expect(one.outputs[0].text).toBe(r.outputs[i].text);
    }
    expect(r.usage!.completionTokens).toBe(r.outputs.reduce((s, o) => s + o.text.split(/\s+/).length, 0));
    // remembered: no second refusal
    const again = await generate(e, { mode: "completion", prompt: "Write", temperature: 1, n: 2 });
    expect(again.outputs).toHaveLength(2);
    expect(again.outputs[0].text).not.toBe(again.outputs[1].text); // unseeded: the server varies them
    expect(srv.stats.byOutcome.error_400).toBe(1);
  });
});
