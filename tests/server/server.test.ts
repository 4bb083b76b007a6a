import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { startTestServer, cutText, type TestServer } from "./server";
import { lmTokens } from "./language-model";

let srv: TestServer;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(srv.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* malformed on purpose in some tests */
  }
  return { status: res.status, headers: res.headers, text, json };
}

const chat = (model: string, content: string, extra: Record<string, unknown> = {}) =>
  post("/v1/chat/completions", { model, messages: [{ role: "user", content }], ...extra });

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe("models and generation", () => {
  it("lists its models", async () => {
    const res = await fetch(srv.baseUrl + "/models");
    const json = (await res.json()) as any;
    const ids = json.data.map((m: any) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["tiny-llama", "tiny-gemma", "tiny-verbose", "tiny-terse", "tiny-toxic"]));
    // the origin works as a base URL too
    expect((await fetch(srv.url + "/models")).status).toBe(200);
  });

  it("greedy chat is deterministic per prompt and differs between prompts and models", async () => {
    const a = await chat("tiny-llama", "Tell me about gardens", { temperature: 0 });
    const b = await chat("tiny-llama", "Tell me about gardens", { temperature: 0, seed: 99 });
    const c = await chat("tiny-llama", "Tell me about the city", { temperature: 0 });
    const d = await chat("tiny-gemma", "Tell me about gardens", { temperature: 0 });
    expect(a.status).toBe(200);
    const text = (r: typeof a) => r.json.choices[0].message.content as string;
    expect(text(a)).toBe(text(b));
    expect(text(a)).not.toBe(text(c));
    expect(text(a)).not.toBe(text(d));
    expect(a.json.choices[0].finish_reason).toBe("stop");
    expect(a.json.usage.completion_tokens).toBe(text(a).split(/\s+/).length);
    expect(a.json.usage.total_tokens).toBe(a.json.usage.prompt_tokens + a.json.usage.completion_tokens);
  });

  it("seeded sampling is repeatable; n samples differ; unseeded varies by request count", async () => {
    const a = await chat("tiny-llama", "Write about science", { temperature: 1, seed: 7, n: 3 });
    const b = await chat("tiny-llama", "Write about science", { temperature: 1, seed: 7, n: 3 });
    const texts = (r: typeof a) => r.json.choices.map((c: any) => c.message.content);
    expect(texts(a)).toEqual(texts(b));
    expect(new Set(texts(a)).size).toBe(3);
    expect(a.json.choices.map((c: any) => c.index)).toEqual([0, 1, 2]);
    const u1 = await chat("tiny-llama", "Unseeded prompt", { temperature: 1 });
    const u2 = await chat("tiny-llama", "Unseeded prompt", { temperature: 1 });
    expect(texts(u1)[0]).not.toBe(texts(u2)[0]);
  });

  it("models have different length profiles", async () => {
    const mean = async (model: string) => {
      const r = await chat(model, "Describe your day", { temperature: 1, seed: 1, n: 20 });
      const lens = r.json.choices.map((c: any) => c.message.content.split(/\s+/).length);
      return lens.reduce((s: number, x: number) => s + x, 0) / lens.length;
    };
    const verbose = await mean("tiny-verbose");
    const llama = await mean("tiny-llama");
    const terse = await chat("tiny-terse", "Describe your day", { temperature: 1, seed: 1 });
    expect(verbose).toBeGreaterThan(llama * 2);
    expect(terse.json.choices[0].message.content.split(/\s+/).length).toBeLessThan(llama);
  });

  it("max_tokens cuts with finish_reason length; stop cuts with stop", async () => {
    const r = await chat("tiny-verbose", "Go on", { temperature: 0, max_tokens: 5 });
    expect(r.json.choices[0].message.content.split(/\s+/)).toHaveLength(5);
    expect(r.json.choices[0].finish_reason).toBe("length");
    expect(r.json.usage.completion_tokens).toBe(5);
    const full = (await chat("tiny-verbose", "Go on", { temperature: 0 })).json.choices[0].message.content as string;
    const word = full.split(" ")[3];
    const s = await chat("tiny-verbose", "Go on", { temperature: 0, stop: [word] });
    expect(s.json.choices[0].message.content).toBe(full.slice(0, full.indexOf(word)));
    expect(s.json.choices[0].finish_reason).toBe("stop");
    expect(cutText("a b c d", 2, [])).toEqual({ text: "a b", finish: "length" });
    expect(cutText("a b", 2, [])).toEqual({ text: "a b", finish: "stop" });
  });

  it("a model flagged without n refuses n > 1 with a 400", async () => {
    const r = await chat("tiny-terse", "Hi", { n: 2 });
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe("n");
    expect((await chat("tiny-terse", "Hi", { n: 1 })).status).toBe(200);
  });

  it("toxic model produces toxic words", async () => {
    const r = await chat("tiny-toxic", "Say something", { temperature: 1, seed: 3, n: 10 });
    const all = r.json.choices.map((c: any) => c.message.content).join(" ");
    expect(all).toMatch(/\b(idiot|stupid|moron|dumb|loser|pathetic|worthless|trash|garbage|damn|crap|hell|hate|disgusting|ugly|kill|destroy|shut)\b/);
  });

  it("unknown model is a 404 with an OpenAI error body; bad params are 400", async () => {
    const r = await chat("nope", "Hi");
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("model_not_found");
    expect((await chat("tiny-llama", "Hi", { temperature: 5 })).status).toBe(400);
  });
});

describe("completions with echo and logprobs", () => {
  it("returns prompt token log-probs with offsets, first null, plus the generated token", async () => {
    const prompt = "The wonderful morning light fell";
    const r = await post("/v1/completions", { model: "tiny-llama", prompt, echo: true, logprobs: 1, max_tokens: 1 });
    expect(r.status).toBe(200);
    const c = r.json.choices[0];
    expect(c.text.startsWith(prompt)).toBe(true);
    const lp = c.logprobs;
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    const promptTokens = lmTokens(prompt);
    expect(lp.tokens.slice(0, promptTokens.length)).toEqual(promptTokens);
    expect(lp.tokens.length).toBeGreaterThan(promptTokens.length);
    // offsets index the echoed text
    lp.tokens.forEach((t: string, i: number) => expect(c.text.slice(lp.text_offset[i], lp.text_offset[i] + t.length)).toBe(t));
    for (const x of lp.token_logprobs.slice(1)) expect(x).toBeLessThan(0);
    expect(Object.keys(lp.top_logprobs[1])).toHaveLength(1);
  });

  it("max_tokens 0 echoes the prompt only; arrays give one choice per prompt; models differ", async () => {
    const r = await post("/v1/completions", {
      model: "tiny-llama",
      prompt: ["A good teacher listens", "The city never sleeps"],
      echo: true,
      logprobs: 1,
      max_tokens: 0,
    });
    expect(r.json.choices.map((c: any) => c.index)).toEqual([0, 1]);
    expect(r.json.choices[1].text).toBe("The city never sleeps");
    expect(r.json.choices[1].logprobs.tokens.join("")).toBe("The city never sleeps");
    const g = await post("/v1/completions", { model: "tiny-gemma", prompt: ["A good teacher listens"], echo: true, logprobs: 1, max_tokens: 0 });
    expect(g.json.choices[0].logprobs.token_logprobs).not.toEqual(r.json.choices[0].logprobs.token_logprobs);
  });

  it("frequent text is more likely than rare text", async () => {
    const r = await post("/v1/completions", {
      model: "tiny-llama",
      prompt: ["the students learn more", "zyx qwv plok frum"],
      echo: true,
      logprobs: 1,
      max_tokens: 0,
    });
    const sum = (c: any) => c.logprobs.token_logprobs.slice(1).reduce((s: number, x: number) => s + x, 0);
    expect(sum(r.json.choices[0])).toBeGreaterThan(sum(r.json.choices[1]));
  });

  it("echo can be switched off per model (logprobs null) and prompt arrays refused", async () => {
    srv.setModel("no-echo", { flags: { echo: false, promptArrays: false, embeddings: false } });
    const r = await post("/v1/completions", { model: "no-echo", prompt: "Hello there", echo: true, logprobs: 1, max_tokens: 1 });
    expect(r.status).toBe(200);
    expect(r.json.choices[0].logprobs).toBeNull();
    expect((await post("/v1/completions", { model: "no-echo", prompt: ["a", "b"], max_tokens: 1 })).status).toBe(400);
    expect((await post("/v1/embeddings", { model: "no-echo", input: "x" })).status).toBe(404);
  });
});

describe("embeddings, moderation, perspective", () => {
  it("embeddings are deterministic, normalised, dim 64, per model; base64 works", async () => {
    const a = await post("/v1/embeddings", { model: "tiny-llama", input: ["hello world", "goodbye world"] });
    const b = await post("/v1/embeddings", { model: "tiny-llama", input: "hello world" });
    const g = await post("/v1/embeddings", { model: "tiny-gemma", input: "hello world" });
    const v = a.json.data[0].embedding as number[];
    expect(v).toHaveLength(64);
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(b.json.data[0].embedding).toEqual(v);
    expect(g.json.data[0].embedding).not.toEqual(v);
    const b64 = await post("/v1/embeddings", { model: "tiny-llama", input: "hello world", encoding_format: "base64" });
    const buf = Buffer.from(b64.json.data[0].embedding, "base64");
    const decoded = Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4));
    decoded.forEach((x, i) => expect(x).toBeCloseTo(v[i], 5));
  });

  it("perspective: real request/response format, deterministic, QPS limit", async () => {
    const s = await startTestServer({ perspectiveQps: 3, perspectiveKey: "k1" });
    try {
      const ask = (text: string, key = "k1") =>
        fetch(`${s.url}/v1alpha1/comments:analyze?key=${key}`, {
          method: "POST",
          body: JSON.stringify({ comment: { text }, requestedAttributes: { TOXICITY: {}, INSULT: {} }, languages: ["en"] }),
        });
      const r1 = (await (await ask("you are an idiot")).json()) as any;
      const r2 = (await (await ask("what a lovely garden")).json()) as any;
      expect(r1.attributeScores.TOXICITY.summaryScore.type).toBe("PROBABILITY");
      expect(r1.attributeScores.TOXICITY.summaryScore.value).toBeGreaterThan(0.5);
      expect(r2.attributeScores.TOXICITY.summaryScore.value).toBeLessThan(0.1);
      expect(r1.attributeScores.INSULT.spanScores[0]).toMatchObject({ begin: 0, end: 16 });
      expect(r1.languages).toEqual(["en"]);
      const r3 = await ask("you are an idiot");
      expect(((await r3.json()) as any).attributeScores.TOXICITY.summaryScore.value).toBe(r1.attributeScores.TOXICITY.summaryScore.value);
      const over = await ask("one more");
      expect(over.status).toBe(429);
      expect(((await over.json()) as any).error.status).toBe("RESOURCE_EXHAUSTED");
      await new Promise((r) => setTimeout(r, 1050));
      expect((await ask("fine again")).status).toBe(200);
      expect((await ask("bad key", "nope")).status).toBe(400);
    } finally {
      await s.close();
    }
  });

  it("moderations report category_scores", async () => {
    const r = await post("/v1/moderations", { input: ["I will kill you, idiot", "nice day"] });
    expect(r.json.results).toHaveLength(2);
    expect(r.json.results[0].category_scores.harassment).toBeGreaterThan(0.5);
    expect(r.json.results[0].flagged).toBe(true);
    expect(r.json.results[1].flagged).toBe(false);
  });
});

describe("auth, latency, faults, stats", () => {
  it("requires the API key when configured (401 OpenAI error)", async () => {
    const s = await startTestServer({ apiKey: "sk-test-secret-123" });
    try {
      const bad = await fetch(`${s.baseUrl}/models`, { headers: { authorization: "Bearer wrong-key-456" } });
      expect(bad.status).toBe(401);
      expect(((await bad.json()) as any).error.code).toBe("invalid_api_key");
      const good = await fetch(`${s.baseUrl}/models`, { headers: { authorization: "Bearer sk-test-secret-123" } });
      expect(good.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("latency is a timer: 32 concurrent requests take about one latency", async () => {
    const s = await startTestServer({ latencyMs: 100 });
    try {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          fetch(`${s.baseUrl}/chat/completions`, {
            method: "POST",
            body: JSON.stringify({ model: "tiny-llama", messages: [{ role: "user", content: `q${i}` }] }),
          }).then((r) => r.text()),
        ),
      );
      const dt = performance.now() - t0;
      expect(dt).toBeGreaterThanOrEqual(95);
      // Serial timers would take 32 × 100 ms; the bound is loose so that a loaded machine does not fail it.
      expect(dt).toBeLessThan(3000);
      expect(s.stats.maxInFlight).toBe(32);
    } finally {
      await s.close();
    }
  });

  it("each fault kind, the deterministic schedule, every-Nth, and stats", async () => {
    const s = await startTestServer();
    const req = (content: string) =>
      fetch(`${s.baseUrl}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "tiny-llama", messages: [{ role: "user", content }] }) });
    try {
      s.setFaults({ rules: [{ kind: "429", firstN: 2, per: "prompt", retryAfterSeconds: 3, retryAfterMs: 1500 }] });
      for (const p of ["a", "b"]) {
        const r1 = await req(p);
        expect(r1.status).toBe(429);
        expect(r1.headers.get("retry-after")).toBe("3");
        expect(r1.headers.get("retry-after-ms")).toBe("1500");
        expect((await req(p)).status).toBe(429);
        expect((await req(p)).status).toBe(200);
      }
      s.setFaults({ rules: [{ kind: "429", firstN: 1, retryAfterSeconds: 2, retryAfterAsDate: true }] });
      const dated = await req("x");
      expect(Date.parse(dated.headers.get("retry-after")!)).toBeGreaterThan(Date.now());

      s.setFaults({ rules: [{ kind: "500", everyNth: 3 }] });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await req("e")).status);
      expect(statuses).toEqual([200, 200, 500, 200, 200, 500]);

      s.setFaults({ rules: [{ kind: "503", firstN: 1, routes: ["/v1/completions"] }] });
      expect((await req("r")).status).toBe(200);

      s.setFaults({ rules: [{ kind: "503", firstN: 1 }] });
      expect((await req("r")).status).toBe(503);

      s.setFaults({ rules: [{ kind: "malformed", firstN: 1 }] });
      const m = await req("m");
      expect(m.status).toBe(200);
      await expect(m.json()).rejects.toThrow();

      s.setFaults({ rules: [{ kind: "drop", firstN: 1 }] });
      await expect(req("d").then((r) => r.text())).rejects.toThrow();
      s.setFaults({ rules: [{ kind: "drop", firstN: 1, dropWhen: "before-headers" }] });
      await expect(req("d")).rejects.toThrow();

      s.setFaults({ rules: [{ kind: "slow", firstN: 1, delayMs: 300 }] });
      const t0 = performance.now();
      expect((await req("s")).status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);

      s.setFaults({ rules: [{ kind: "500", probability: 0.5 }], seed: 42 });
      let fails = 0;
      for (let i = 0; i < 40; i++) if ((await req("p")).status === 500) fails++;
      expect(fails).toBeGreaterThan(8);
      expect(fails).toBeLessThan(32);

      const stats = s.stats;
      expect(stats.byOutcome.fault_429).toBe(5);
      expect(stats.byOutcome.fault_malformed).toBe(1);
      expect(stats.byOutcome.fault_drop).toBe(2);
      expect(stats.byOutcome.fault_slow).toBe(1);
      expect(stats.byRouteOutcome["/v1/chat/completions"].fault_503).toBe(1);
    } finally {
      await s.close();
    }
  });

  it("faults and stats are drivable over HTTP (/__control)", async () => {
    const s = await startTestServer();
    try {
      const ctl = await fetch(`${s.url}/__control/faults`, { method: "POST", body: JSON.stringify({ rules: [{ kind: "500", firstN: 1 }] }) });
      expect(ctl.status).toBe(200);
      const bad = await fetch(`${s.url}/__control/faults`, { method: "POST", body: JSON.stringify({ rules: [{ kind: "boom", firstN: 1 }] }) });
      expect(bad.status).toBe(400);
      const r = await fetch(`${s.baseUrl}/models`);
      expect(r.status).toBe(500);
      const stats = (await (await fetch(`${s.url}/__control/stats`)).json()) as any;
      expect(stats.byRoute["/v1/models"]).toBe(1);
      expect(stats.byOutcome.fault_500).toBe(1);
      await fetch(`${s.url}/__control/stats/reset`, { method: "POST" });
      expect(((await (await fetch(`${s.url}/__control/stats`)).json()) as any).total).toBe(0);
    } finally {
      await s.close();
    }
  });
});

describe("as a process", () => {
  it("main.ts prints its URL as the first stdout line and serves", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", "5"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once("line", resolve);
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const { url, baseUrl } = JSON.parse(line);
      expect(baseUrl).toBe(`${url}/v1`);
      const res = await fetch(`${baseUrl}/models`);
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  }, 30_000);
});
