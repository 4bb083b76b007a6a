import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@/tests/server/server";
import { ConcurrencyLimiter, generate, limiterFor, type Endpoint } from "@/lib/llm";

describe("ConcurrencyLimiter", () => {
  it("runs at most `limit` at once, in FIFO order", async () => {
    const l = new ConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const tick = () => new Promise((r) => setTimeout(r, 5));
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        l.run(async () => {
          order.push(i);
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(l.active).toBe(0);
    expect(l.pending).toBe(0);
  });

  it("releases the slot when the task throws", async () => {
    const l = new ConcurrencyLimiter(1);
    await expect(
      l.run(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await l.run(async () => 7)).toBe(7);
  });

  it("pauseUntil holds queued tasks", async () => {
    const l = new ConcurrencyLimiter(4);
    l.pauseUntil(Date.now() + 100);
    const t0 = performance.now();
    await l.run(async () => undefined);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
  });

  it("is shared per (baseUrl, modelId) and follows the endpoint's concurrency", () => {
    const a = limiterFor({ baseUrl: "http://h/v1/", modelId: "m", concurrency: 3 });
    const b = limiterFor({ baseUrl: "http://h/v1", modelId: "m", concurrency: 3 });
    const c = limiterFor({ baseUrl: "http://h/v1", modelId: "other", concurrency: 3 });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    limiterFor({ baseUrl: "http://h/v1", modelId: "m", concurrency: 5 });
    expect(a.maxConcurrency).toBe(5);
  });
});

describe("concurrency against the server", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ latencyMs: 20 });
  });
  afterAll(async () => {
    await srv.close();
  });

  it("the server never sees more than the endpoint's limit in flight, across callers", async () => {
    const e: Endpoint = { baseUrl: srv.baseUrl, modelId: "tiny-gemma", concurrency: 5 };
    // two "runs" sharing the endpoint, with separate Endpoint objects
    const run = (tag: string) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => generate({ ...e }, { mode: "chat", prompt: `${tag} ${i}`, temperature: 0, max_tokens: 3 })));
    const t0 = performance.now();
    await Promise.all([run("a"), run("b")]);
    const dt = performance.now() - t0;
    expect(srv.stats.maxInFlightByModel["tiny-gemma"]).toBe(5);
    // 80 requests / 5 at a time × 20 ms ≈ 320 ms
    expect(dt).toBeGreaterThanOrEqual(300);
  });
});
