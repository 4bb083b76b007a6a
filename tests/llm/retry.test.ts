import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { startTestServer, type TestServer } from "@/tests/server/server";
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  generate,
  listModels,
  LlmError,
  parseRetryAfter,
  scrubSecrets,
  type AttemptReport,
  type Endpoint,
} from "@/lib/llm";

let srv: TestServer;
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
const ep = (modelId = "tiny-llama", extra: Partial<Endpoint> = {}): Endpoint => ({ baseUrl: srv.baseUrl, modelId, concurrency: 4, ...extra });
const ask = (e: Endpoint, onAttempt?: (a: AttemptReport) => void, prompt = "Hello") =>
  generate(e, { mode: "chat", prompt, temperature: 0, max_tokens: 5 }, { retry: FAST, onAttempt });

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

async function expectLlmError(p: Promise<unknown>): Promise<LlmError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LlmError);
    return e as LlmError;
  }
  throw new Error("expected an LlmError");
}

describe("retry policy", () => {
  it("parses Retry-After as seconds, HTTP date and retry-after-ms", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "2", "retry-after-ms": "250" }), now)).toBe(250);
    expect(parseRetryAfter({ "Retry-After": "1.5" }, now)).toBe(1500);
    expect(parseRetryAfter(new Headers(), now)).toBeNull();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeNull();
  });

  it("backoff is full jitter under an exponential cap", () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(0, p, () => 0.999)).toBeLessThan(100);
    expect(backoffDelayMs(3, p, () => 0.999)).toBeLessThan(800);
    expect(backoffDelayMs(3, p, () => 0.999)).toBeGreaterThan(700);
    expect(backoffDelayMs(10, p, () => 0.999)).toBeLessThan(1000);
    expect(backoffDelayMs(2, p, () => 0)).toBe(0);
  });

  it("429 with Retry-After: waits what the server asked, then succeeds", async () => {
    srv.setFaults({ rules: [{ kind: "429", firstN: 1, retryAfterSeconds: 1 }] });
    const attempts: AttemptReport[] = [];
    const t0 = performance.now();
    const r = await ask(ep(), (a) => attempts.push(a));
    const dt = performance.now() - t0;
    expect(r.attempts).toBe(2);
    expect(dt).toBeGreaterThanOrEqual(990);
    // Loose upper bounds throughout: they tell the behaviours apart without failing on a loaded machine.
    expect(dt).toBeLessThan(3500);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt: 1, willRetry: true, delayMs: 1000 });
    expect(attempts[0].error.kind).toBe("rate_limited");
    expect(attempts[0].error.status).toBe(429);
  });

  it("429 with retry-after-ms is preferred (sub-second)", async () => {
    srv.setFaults({ rules: [{ kind: "429", firstN: 2, retryAfterSeconds: 5, retryAfterMs: 150 }] });
    const t0 = performance.now();
    const r = await ask(ep());
    const dt = performance.now() - t0;
    expect(r.attempts).toBe(3);
    expect(dt).toBeGreaterThanOrEqual(295);
    expect(dt).toBeLessThan(4000); // Retry-After alone would wait 2 × 5 s
  });

  it("500, 503, dropped connections and malformed JSON are retried", async () => {
    for (const rule of [
      { kind: "500" as const, firstN: 2 },
      { kind: "503" as const, firstN: 1 },
      { kind: "drop" as const, firstN: 1 },
      { kind: "drop" as const, firstN: 1, dropWhen: "before-headers" as const },
      { kind: "malformed" as const, firstN: 2 },
    ]) {
      srv.setFaults({ rules: [rule] });
      const kinds: string[] = [];
      const r = await ask(ep(), (a) => kinds.push(a.error.kind));
      expect(r.outputs[0].text.length, rule.kind).toBeGreaterThan(0);
      expect(r.attempts).toBe(rule.firstN + 1);
      const expected = rule.kind === "drop" ? "connection" : rule.kind === "malformed" ? "malformed_response" : "server";
      expect(kinds).toEqual(Array(rule.firstN).fill(expected));
    }
  });

  it("gives up after maxRetries with the last error", async () => {
    srv.setFaults({ rules: [{ kind: "500", firstN: 100 }] });
    const reports: AttemptReport[] = [];
    const err = await expectLlmError(ask(ep("tiny-llama", { maxRetries: 2 }), (a) => reports.push(a)));
    expect(err.kind).toBe("server");
    expect(err.retryable).toBe(true);
    expect(reports.map((r) => r.willRetry)).toEqual([true, true, false]);
  });

  it("timeouts are retried and reported as timeout", async () => {
    srv.setFaults({ rules: [{ kind: "slow", firstN: 1, delayMs: 8000 }] });
    const kinds: string[] = [];
    const t0 = performance.now();
    const r = await ask(ep("tiny-llama", { timeoutMs: 200 }), (a) => kinds.push(a.error.kind));
    expect(r.attempts).toBe(2);
    expect(kinds).toEqual(["timeout"]);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("400 is not retried", async () => {
    srv.setFaults({ rules: [] });
    srv.resetStats();
    const err = await expectLlmError(generate(ep(), { mode: "chat", prompt: "x", temperature: 9 }, { retry: FAST }));
    expect(err.kind).toBe("bad_request");
    expect(err.retryable).toBe(false);
    expect(srv.stats.byRoute["/v1/chat/completions"]).toBe(1);
  });

  it("an aborted signal stops the call", async () => {
    srv.setFaults({ rules: [{ kind: "slow", firstN: 1, delayMs: 10_000 }] });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = performance.now();
    await expect(generate(ep(), { mode: "chat", prompt: "abort me" }, { signal: ac.signal })).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(5000);
    srv.setFaults({ rules: [] });
  });
});

describe("errors that say what to fix, without the credential", () => {
  const SECRET = "sk-lineage-very-secret-key-0123456789";

  it("401: not retried, clear message, the key appears nowhere", async () => {
    const s = await startTestServer({ apiKey: "sk-the-right-one" });
    try {
      const e: Endpoint = { baseUrl: s.baseUrl, modelId: "tiny-llama", concurrency: 2, apiKey: SECRET };
      const reports: AttemptReport[] = [];
      const err = await expectLlmError(generate(e, { mode: "chat", prompt: "hi" }, { retry: FAST, onAttempt: (a) => reports.push(a) }));
      expect(err.kind).toBe("auth");
      expect(err.status).toBe(401);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/refused the credential: check the model's API key/);
      expect(s.stats.byRoute["/v1/chat/completions"]).toBe(1);
      for (const text of [err.message, String(err), err.stack ?? "", JSON.stringify(err), err.detail ?? "", JSON.stringify(reports)]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain("very-secret");
      }
      const listErr = await expectLlmError(listModels(e));
      expect(listErr.kind).toBe("auth");
      expect(JSON.stringify(listErr) + listErr.message).not.toContain(SECRET);
    } finally {
      await s.close();
    }
  });

  it("404: names the model id and the base URL", async () => {
    srv.resetStats();
    const err = await expectLlmError(generate(ep("llama-3-70b"), { mode: "chat", prompt: "hi" }, { retry: FAST }));
    expect(err.kind).toBe("not_found");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`model id "llama-3-70b" not found at ${srv.baseUrl}: check the served model id`);
    expect(srv.stats.total).toBe(1);
  });

  it("connection refused, DNS failure: connection errors that say so", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await expectLlmError(listModels({ baseUrl: `http://127.0.0.1:${port}/v1`, modelId: "m", concurrency: 1, apiKey: SECRET }));
    expect(refused.kind).toBe("connection");
    expect(refused.message).toMatch(/connection refused/);
    expect(refused.message).not.toContain(SECRET);
    const dns = await expectLlmError(listModels({ baseUrl: "http://no-such-host.invalid/v1", modelId: "m", concurrency: 1 }));
    expect(dns.kind).toBe("connection");
    expect(dns.message).toMatch(/DNS|resolv/);
  });

  it("https against a plain-http server: a TLS error that says so, not retried", async () => {
    const t0 = performance.now();
    const err = await expectLlmError(
      generate(ep("tiny-llama", { baseUrl: srv.baseUrl.replace("http:", "https:") }), { mode: "chat", prompt: "x" }, { retry: FAST }),
    );
    expect(err.kind).toBe("connection");
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/TLS handshake .* failed .*http vs https/);
    expect(performance.now() - t0).toBeLessThan(8000);
  });

  it("scrubSecrets removes keys, bearer tokens and echoed keys", () => {
    expect(scrubSecrets(`Incorrect API key provided: ${SECRET}.`, SECRET)).not.toContain(SECRET);
    expect(scrubSecrets("Incorrect API key provided: sk-abc***************wxyz", undefined)).not.toMatch(/sk-abc/);
    expect(scrubSecrets("Authorization: Bearer abc.def")).toBe("Authorization: Bearer [redacted]");
    expect(scrubSecrets("GET /x?key=AIzaSECRET&y=1")).toBe("GET /x?key=[redacted]&y=1");
  });
});
