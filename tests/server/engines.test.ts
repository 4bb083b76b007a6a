// Tests of the engine-faithful test servers themselves: one plain fetch per behaviour, asserting the shapes and
// statuses the engines' sources give (see tests/server/engines/*.ts), so a regression in the imitation fails.

import { afterAll, describe, expect, it } from "vitest";
import { startEngineServer, START_TOKEN_KEY, type EngineServer, type EngineServerOptions } from "./engines";
import { embedText, lastTokenKey, lmTokens, scoreTokens } from "./language-model";

const open: EngineServer[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

async function start(opts: EngineServerOptions): Promise<EngineServer> {
  const s = await startEngineServer(opts);
  open.push(s);
  return s;
}

async function call(srv: EngineServer, path: string, body?: unknown, init: { method?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(srv.url + path, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(init.headers ?? {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* plain-text and empty bodies are part of what is tested */
  }
  return { status: res.status, text, json, contentType: res.headers.get("content-type") };
}

/** Char offsets of a list of token strings laid end to end from 0. */
const offsets = (tokens: string[]) => tokens.map((_, i) => tokens.slice(0, i).join("").length);

const PROMPT = "The man is a doctor";

describe("vLLM", () => {
  it("echo + logprobs with a start token: <s> first with null log-prob, counted in text_offset; the first word conditioned on it", async () => {
    const srv = await start({ engine: "vllm" });
    const r = await call(srv, "/v1/completions", { model: srv.model.id, prompt: PROMPT, echo: true, logprobs: 1, max_tokens: 0 });
    expect(r.status).toBe(200);
    const c = r.json.choices[0];
    expect(c.text).toBe(PROMPT); // the returned text has no start token …
    const lp = c.logprobs;
    expect(lp.tokens).toEqual(["<s>", ...lmTokens(PROMPT)]);
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    expect(lp.text_offset).toEqual(offsets(lp.tokens)); // … but text_offset counts it: shifted by "<s>".length
    expect(lp.text_offset[1]).toBe(3);
    const expected = scoreTokens(srv.model, PROMPT, 3, START_TOKEN_KEY, false);
    expect(lp.token_logprobs.slice(1)).toEqual(expected.token_logprobs);
    expect(lp.token_logprobs[1]).not.toBeNull();
    // top_logprobs: the actual token first (then the top-k), as a dict
    lp.tokens.slice(1).forEach((tok: string, i: number) => expect(lp.top_logprobs[i + 1][tok]).toBe(lp.token_logprobs[i + 1]));
    // echo with max_tokens 0: the engine ran with max_tokens=1, the token is dropped but counted
    expect(c.finish_reason).toBe("length");
    expect(r.json.usage).toMatchObject({ prompt_tokens: lp.tokens.length, completion_tokens: 1 });
    // echo implies prompt_logprobs = logprobs: the vLLM extension field is filled too
    expect(c.prompt_logprobs).toHaveLength(lp.tokens.length);
    expect(c.prompt_logprobs[0]).toBeNull();
    const first = Object.values(c.prompt_logprobs[1]) as any[];
    expect(first.some((e) => e.decoded_token === "The" && e.logprob === lp.token_logprobs[1])).toBe(true);
    expect(r.json).toMatchObject({ object: "text_completion", model: srv.model.id, system_fingerprint: null });
    expect(r.json.id).toMatch(/^cmpl-/);
  });

  it("Llama 3 and Gemma start tokens shift the offsets by their own length; without a start token the first token is null", async () => {
    for (const startToken of ["<|begin_of_text|>", "<bos>"]) {
      const srv = await start({ engine: "vllm", startToken });
      const lp = (await call(srv, "/v1/completions", { prompt: PROMPT, echo: true, logprobs: 0, max_tokens: 0 })).json.choices[0].logprobs;
      expect(lp.tokens[0]).toBe(startToken);
      expect(lp.text_offset[1]).toBe(startToken.length);
      expect(lp.token_logprobs[1]).toBe(scoreTokens(srv.model, PROMPT, startToken.length, START_TOKEN_KEY, false).token_logprobs[0]);
    }
    const bare = await start({ engine: "vllm", startToken: null, modelId: "Qwen/Qwen2.5-0.5B" });
    const lp = (await call(bare, "/v1/completions", { prompt: PROMPT, echo: true, logprobs: 0, max_tokens: 0 })).json.choices[0].logprobs;
    expect(lp.tokens).toEqual(lmTokens(PROMPT));
    expect(lp.text_offset[0]).toBe(0);
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.token_logprobs.slice(1)).toEqual(scoreTokens(bare.model, PROMPT).token_logprobs.slice(1));
  });

  it("echo with max_tokens ≥ 1: generated tokens follow the prompt's, the first starting with a space at the prompt's end", async () => {
    const srv = await start({ engine: "vllm" });
    const r = await call(srv, "/v1/completions", { prompt: PROMPT, echo: true, logprobs: 1, max_tokens: 4, temperature: 0 });
    const c = r.json.choices[0];
    const gen = c.text.slice(PROMPT.length);
    expect(c.text.startsWith(PROMPT)).toBe(true);
    expect(gen.startsWith(" ")).toBe(true);
    const promptToks = ["<s>", ...lmTokens(PROMPT)];
    expect(c.logprobs.tokens).toEqual([...promptToks, ...lmTokens(gen)]);
    expect(c.logprobs.tokens).toHaveLength(promptToks.length + 4);
    expect(c.logprobs.text_offset[promptToks.length]).toBe(3 + PROMPT.length);
    // the generated tokens' log-probs continue the prompt
    expect(c.logprobs.token_logprobs.slice(promptToks.length)).toEqual(scoreTokens(srv.model, gen, PROMPT.length, lastTokenKey(PROMPT), false).token_logprobs);
    expect(c.finish_reason).toBe("length");
    expect(r.json.usage).toMatchObject({ prompt_tokens: promptToks.length, completion_tokens: 4 });
    // greedy is repeatable
    expect((await call(srv, "/v1/completions", { prompt: PROMPT, echo: true, max_tokens: 4, temperature: 0 })).json.choices[0].text).toBe(c.text);
  });

  it("mergeTrailingSpace: a prompt's trailing space goes into the first generated token, which then crosses the prompt's end", async () => {
    const prompt = "The man is ";
    const plain = await start({ engine: "vllm" });
    const p = (await call(plain, "/v1/completions", { prompt, echo: true, logprobs: 0, max_tokens: 2, temperature: 0 })).json.choices[0].logprobs;
    expect(p.tokens.slice(0, 5)).toEqual(["<s>", "The", " man", " is", " "]); // the space is a prompt token

    const merged = await start({ engine: "vllm", mergeTrailingSpace: true });
    const c = (await call(merged, "/v1/completions", { prompt, echo: true, logprobs: 0, max_tokens: 2, temperature: 0 })).json.choices[0];
    const lp = c.logprobs;
    expect(lp.tokens.slice(0, 4)).toEqual(["<s>", "The", " man", " is"]);
    const crossing = lp.tokens[4];
    expect(crossing.startsWith(" ")).toBe(true);
    const start4 = lp.text_offset[4] - 3; // offset into the returned text
    expect(start4).toBe(prompt.length - 1);
    expect(start4 + crossing.length).toBeGreaterThan(prompt.length);
    expect(c.text.slice(start4, start4 + crossing.length)).toBe(crossing);
  });

  it("prompt_logprobs (vLLM extension) without echo", async () => {
    const srv = await start({ engine: "vllm" });
    const c = (await call(srv, "/v1/completions", { prompt: PROMPT, max_tokens: 1, prompt_logprobs: 0 })).json.choices[0];
    expect(c.logprobs).toBeNull();
    expect(c.prompt_logprobs).toHaveLength(1 + lmTokens(PROMPT).length);
    expect(c.prompt_logprobs[0]).toBeNull();
    const lps = scoreTokens(srv.model, PROMPT, 3, START_TOKEN_KEY, false).token_logprobs;
    c.prompt_logprobs.slice(1).forEach((d: Record<string, any>, i: number) => {
      const entries = Object.values(d);
      expect(entries).toHaveLength(1); // k = 0: the actual token only
      expect(entries[0]).toMatchObject({ logprob: lps[i], decoded_token: lmTokens(PROMPT)[i] });
      expect(typeof entries[0].rank).toBe("number");
    });
  });

  it("errors: unknown model 404, max_tokens 0 without echo, greedy n > 1, logprobs over the cap, bad logprobs", async () => {
    const srv = await start({ engine: "vllm" });
    const unknown = await call(srv, "/v1/completions", { model: "gpt-4", prompt: "hi" });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: { message: "The model `gpt-4` does not exist.", type: "NotFoundError", param: "model", code: 404 } });
    const zero = await call(srv, "/v1/completions", { prompt: "hi", max_tokens: 0 });
    expect(zero.status).toBe(400);
    expect(zero.json.error).toEqual({
      message: "max_tokens must be at least 1, got 0. (parameter=max_tokens, value=0)",
      type: "BadRequestError",
      param: "max_tokens",
      code: 400,
    });
    const greedy = await call(srv, "/v1/completions", { prompt: "hi", n: 2, temperature: 0 });
    expect(greedy.status).toBe(400);
    expect(greedy.json.error.message).toBe("n must be 1 when using greedy sampling, got 2.");
    const cap = await call(srv, "/v1/completions", { prompt: "hi", logprobs: 21 });
    expect(cap.status).toBe(400);
    expect(cap.json.error.message).toMatch(/^Requested sample logprobs of 21, which is greater than max allowed: 20/);
    const neg = await call(srv, "/v1/completions", { prompt: "hi", logprobs: -2 });
    expect(neg.status).toBe(400);
    expect(neg.json.error).toMatchObject({ type: "Bad Request", param: "logprobs", code: 400 });
    expect(neg.json.error.message).toContain("`logprobs` must be a positive value or -1.");
    const topP = await call(srv, "/v1/completions", { prompt: "hi", top_p: 0 });
    expect(topP.json.error.message).toBe("top_p must be in (0, 1], got 0.0. (parameter=top_p, value=0.0)");
    // the neutral values are accepted
    expect((await call(srv, "/v1/completions", { prompt: "hi", top_p: 1.0, temperature: 1.0, max_tokens: 2 })).status).toBe(200);
  });

  it("the older error body {object: 'error', …}", async () => {
    const srv = await start({ engine: "vllm-old-errors" });
    const r = await call(srv, "/v1/completions", { model: "nope", prompt: "hi" });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ object: "error", message: "The model `nope` does not exist.", type: "NotFoundError", param: null, code: 404 });
    const zero = await call(srv, "/v1/completions", { prompt: "hi", max_tokens: 0 });
    expect(zero.json).toEqual({ object: "error", message: "max_tokens must be at least 1, got 0.", type: "BadRequestError", param: null, code: 400 });
    const emb = await call(srv, "/v1/embeddings", { input: "hi" });
    expect(emb.status).toBe(400);
    expect(emb.json.message).toBe("The model does not support Embeddings API");
  });

  it("n > 1 and prompt arrays: index = prompt · n + sample", async () => {
    const srv = await start({ engine: "vllm" });
    const r = await call(srv, "/v1/completions", { prompt: ["Farmers walked", "The city"], n: 2, max_tokens: 12, seed: 1 });
    expect(r.json.choices.map((c: any) => c.index)).toEqual([0, 1, 2, 3]);
    expect(r.json.choices[0].text).not.toBe(r.json.choices[1].text);
  });

  it("routes: /v1/models, unknown routes, embeddings only on a pooling server, auth on /v1 only", async () => {
    const srv = await start({ engine: "vllm", modelId: "llama-2", modelRoot: "/models/Llama-2-7b-hf", apiKey: "sk-v" });
    const auth = { authorization: "Bearer sk-v" };
    expect(await call(srv, "/v1/models")).toMatchObject({ status: 401, json: { error: "Unauthorized" } });
    expect((await call(srv, "/health")).status).toBe(200);
    const models = await call(srv, "/v1/models", undefined, { headers: auth });
    expect(models.json.object).toBe("list");
    expect(models.json.data[0]).toMatchObject({
      id: "llama-2",
      object: "model",
      owned_by: "vllm",
      root: "/models/Llama-2-7b-hf",
      parent: null,
      max_model_len: 4096,
    });
    expect(await call(srv, "/v1/embeddings", { input: "x" }, { headers: auth })).toMatchObject({ status: 404, json: { detail: "Not Found" } });
    expect(await call(srv, "/v1/completions", undefined, { headers: auth })).toMatchObject({ status: 405, json: { detail: "Method Not Allowed" } });

    const pooling = await start({ engine: "vllm", embeddings: true, modelId: "BAAI/bge-m3" });
    const emb = await call(pooling, "/v1/embeddings", { model: "BAAI/bge-m3", input: ["a b", "c"] });
    expect(emb.status).toBe(200);
    expect(emb.json.data[0]).toMatchObject({ index: 0, object: "embedding", embedding: embedText(pooling.model, "a b") });
    expect((await call(pooling, "/v1/completions", { prompt: "hi" })).json).toEqual({ detail: "Not Found" });
  });

  it("chat: n > 1, logprobs content shape", async () => {
    const srv = await start({ engine: "vllm" });
    const r = await call(srv, "/v1/chat/completions", {
      messages: [{ role: "user", content: "Tell me about gardens" }],
      n: 2,
      max_tokens: 3,
      logprobs: true,
      top_logprobs: 1,
    });
    expect(r.status).toBe(200);
    expect(r.json.choices).toHaveLength(2);
    const lp = r.json.choices[0].logprobs.content[0];
    expect(lp).toHaveProperty("token");
    expect(lp).toHaveProperty("bytes");
    expect(lp.top_logprobs).toHaveLength(1);
    expect(r.json.object).toBe("chat.completion");
  });
});

describe("llama.cpp (llama-server)", () => {
  it("refuses echo with a 500 server_error; no log-likelihood of a given text", async () => {
    const srv = await start({ engine: "llamacpp" });
    const r = await call(srv, "/v1/completions", { prompt: PROMPT, echo: true, logprobs: 1, max_tokens: 1 });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: { code: 500, message: "Only no echo is supported", type: "server_error" } });
    expect(r.contentType).toContain("application/json");
  });

  it("logprobs on /v1/completions cover generated tokens only, in the chat-style content list", async () => {
    const srv = await start({ engine: "llamacpp" });
    const r = await call(srv, "/v1/completions", { prompt: PROMPT, logprobs: 2, max_tokens: 3, temperature: 0 });
    expect(r.status).toBe(200);
    const c = r.json.choices[0];
    expect(c.text.startsWith(" ")).toBe(true);
    expect(c.logprobs.content).toHaveLength(3);
    const t = c.logprobs.content[0];
    expect(Object.keys(t).sort()).toEqual(["bytes", "id", "logprob", "token", "top_logprobs"]);
    expect(t.logprob).toBe(scoreTokens(srv.model, c.text, PROMPT.length, lastTokenKey(PROMPT), false).token_logprobs[0]);
    expect(r.json).toMatchObject({ object: "text_completion", system_fingerprint: expect.stringMatching(/^b\d+/) });
    expect(r.json.id).toMatch(/^chatcmpl-/);
    expect(r.json.timings).toHaveProperty("predicted_n", 3);
  });

  it("n: current builds allow n ≤ slots (-np), 400 beyond; legacy builds refuse any n ≠ 1 with a 500", async () => {
    const srv = await start({ engine: "llamacpp", slots: 4 });
    const two = await call(srv, "/v1/completions", { prompt: PROMPT, n: 2, max_tokens: 2 });
    expect(two.json.choices).toHaveLength(2);
    const five = await call(srv, "/v1/completions", { prompt: PROMPT, n: 5, max_tokens: 2 });
    expect(five.status).toBe(400);
    expect(five.json.error).toEqual({
      code: 400,
      message: "n_cmpl cannot be greater than the number of slots, please increase -np",
      type: "invalid_request_error",
    });

    const legacy = await start({ engine: "llamacpp", legacy: true });
    const r = await call(legacy, "/v1/chat/completions", { messages: [{ role: "user", content: "hi" }], n: 2 });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: { code: 500, message: "Only one completion choice is allowed", type: "server_error" } });
  });

  it("/v1/models lists the GGUF file name (legacy: the -m path) or the --alias; the request's model is ignored", async () => {
    const plain = await start({ engine: "llamacpp", modelPath: "/models/llama-2-7b.Q4_K_M.gguf" });
    const m = await call(plain, "/v1/models");
    expect(m.json.data[0]).toMatchObject({ id: "llama-2-7b.Q4_K_M.gguf", object: "model", owned_by: "llamacpp" });
    expect(m.json.models[0].name).toBe("llama-2-7b.Q4_K_M.gguf");
    const any = await call(plain, "/v1/completions", { model: "whatever-you-like", prompt: "hi", max_tokens: 1 });
    expect(any.status).toBe(200);
    expect(any.json.model).toBe("llama-2-7b.Q4_K_M.gguf");

    const aliased = await start({ engine: "llamacpp", modelId: "my-llama" });
    expect((await call(aliased, "/v1/models")).json.data[0].id).toBe("my-llama");
    const legacy = await start({ engine: "llamacpp", legacy: true, modelPath: "/models/llama-2-7b.Q4_K_M.gguf" });
    expect((await call(legacy, "/v1/models")).json.data[0].id).toBe("/models/llama-2-7b.Q4_K_M.gguf");
  });

  it("embeddings: 501 without --embeddings, the OpenAI list with it", async () => {
    const off = await start({ engine: "llamacpp" });
    const r = await call(off, "/v1/embeddings", { input: "hi" });
    expect(r.status).toBe(501);
    expect(r.json).toEqual({
      error: { code: 501, message: "This server does not support embeddings. Start it with `--embeddings`", type: "not_supported_error" },
    });
    const on = await start({ engine: "llamacpp", embeddings: true });
    const e = await call(on, "/v1/embeddings", { input: ["a", "b"] });
    expect(e.status).toBe(200);
    expect(e.json.data.map((d: any) => d.index)).toEqual([0, 1]);
    expect(e.json.data[0].embedding).toEqual(embedText(on.model, "a"));
  });

  it("unknown route 404 and the API key (public /v1/models)", async () => {
    const srv = await start({ engine: "llamacpp", apiKey: "k" });
    expect((await call(srv, "/v1/models")).status).toBe(200);
    const denied = await call(srv, "/v1/completions", { prompt: "hi" });
    expect(denied.status).toBe(401);
    expect(denied.json).toEqual({ error: { message: "Invalid API Key", type: "authentication_error", code: 401 } });
    expect((await call(srv, "/v1/completions", { prompt: "hi", max_tokens: 1 }, { headers: { authorization: "Bearer k" } })).status).toBe(200);
    const missing = await call(srv, "/v1/nothing", undefined, { headers: { authorization: "Bearer k" } });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { message: "File Not Found", type: "not_found_error", code: 404 } });
  });
});

describe("Ollama (/v1)", () => {
  it("completions ignore echo and n and drop logprobs; the model name is echoed", async () => {
    const srv = await start({ engine: "ollama" });
    const r = await call(srv, "/v1/completions", { model: "llama3.2", prompt: PROMPT, echo: true, logprobs: 1, n: 3, max_tokens: 3, seed: 4 });
    expect(r.status).toBe(200);
    expect(r.json.choices).toHaveLength(1);
    const c = r.json.choices[0];
    expect(c).not.toHaveProperty("logprobs");
    expect(c.text.startsWith(PROMPT)).toBe(false);
    expect(r.json).toMatchObject({ object: "text_completion", model: "llama3.2", system_fingerprint: "fp_ollama" });
    expect(r.json.id).toMatch(/^cmpl-\d{1,3}$/);
    // seeded sampling is repeatable
    expect((await call(srv, "/v1/completions", { model: "llama3.2", prompt: PROMPT, max_tokens: 3, seed: 4 })).json.choices[0].text).toBe(c.text);
  });

  it("errors: unknown model 404 not_found_error, array prompt 400, empty messages 400", async () => {
    const srv = await start({ engine: "ollama" });
    const unknown = await call(srv, "/v1/chat/completions", { model: "mistral", messages: [{ role: "user", content: "hi" }] });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: { message: "model 'mistral' not found", type: "not_found_error", param: null, code: null } });
    const arr = await call(srv, "/v1/completions", { model: "llama3.2", prompt: ["a", "b"] });
    expect(arr.status).toBe(400);
    expect(arr.json.error.message).toBe("json: cannot unmarshal array into Go struct field CompletionRequest.prompt of type string");
    const empty = await call(srv, "/v1/chat/completions", { model: "llama3.2", messages: [] });
    expect(empty.json.error).toMatchObject({ message: "[] is too short - 'messages'", type: "invalid_request_error" });
  });

  it("embeddings: 501 on a generative model, the list on an embedding model, which cannot generate", async () => {
    const srv = await start({ engine: "ollama", embeddings: true });
    const models = (await call(srv, "/v1/models")).json.data.map((m: any) => m.id);
    expect(models).toEqual(["llama3.2:latest", "nomic-embed-text:latest"]);
    const gen = await call(srv, "/v1/embeddings", { model: "llama3.2", input: "hi" });
    expect(gen.status).toBe(501);
    expect(gen.json.error).toEqual({
      message: "This server does not support embeddings. Start it with `--embeddings`",
      type: "api_error",
      param: null,
      code: null,
    });
    const emb = await call(srv, "/v1/embeddings", { model: "nomic-embed-text", input: ["hi"] });
    expect(emb.status).toBe(200);
    expect(emb.json).toMatchObject({ object: "list", model: "nomic-embed-text" });
    const noGen = await call(srv, "/v1/completions", { model: "nomic-embed-text", prompt: "hi" });
    expect(noGen.status).toBe(400);
    expect(noGen.json.error.message).toBe('"nomic-embed-text" does not support generate');
  });

  it("routes: models list, gin's plain-text 404 and 405", async () => {
    const srv = await start({ engine: "ollama" });
    const m = await call(srv, "/v1/models");
    expect(m.json).toEqual({ object: "list", data: [{ id: "llama3.2:latest", object: "model", created: expect.any(Number), owned_by: "library" }] });
    const nf = await call(srv, "/v1/nothing");
    expect(nf).toMatchObject({ status: 404, text: "404 page not found" });
    expect(nf.contentType).toContain("text/plain");
    expect((await call(srv, "/v1/completions")).text).toBe("405 method not allowed");
    expect((await call(srv, "/")).text).toBe("Ollama is running");
  });

  it("chat logprobs", async () => {
    const srv = await start({ engine: "ollama" });
    const r = await call(srv, "/v1/chat/completions", {
      model: "llama3.2",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 2,
      logprobs: true,
      top_logprobs: 1,
    });
    const t = r.json.choices[0].logprobs.content[0];
    expect(t).toMatchObject({ token: expect.any(String), logprob: expect.any(Number) });
    expect(t.top_logprobs).toHaveLength(1);
  });
});

describe("TGI", () => {
  it("422 validation errors: top_p = 1.0 (the OpenAI neutral value), max_tokens 0, too many stop sequences", async () => {
    const srv = await start({ engine: "tgi" });
    for (const path of ["/v1/completions", "/v1/chat/completions"]) {
      const r = await call(srv, path, { model: "tgi", prompt: PROMPT, messages: [{ role: "user", content: "hi" }], top_p: 1.0 });
      expect(r.status).toBe(422);
      expect(r.json).toEqual({ error: "Input validation error: `top_p` must be > 0.0 and < 1.0", error_type: "validation" });
    }
    expect((await call(srv, "/v1/completions", { prompt: PROMPT, max_tokens: 0 })).json.error).toBe(
      "Input validation error: `max_new_tokens` must be strictly positive",
    );
    expect((await call(srv, "/v1/completions", { prompt: PROMPT, stop: ["a", "b", "c", "d", "e"] })).json.error).toBe(
      "Input validation error: `stop` supports up to 4 stop sequences. Given: 5",
    );
    const batch = await call(srv, "/v1/completions", { prompt: ["a", "b", "c", "d", "e"] });
    expect(batch.json).toEqual({ error: "Number of prompts exceeds the maximum allowed batch size of 4", error_type: "batch size exceeded" });
    // without top_p (and with temperature 0, greedy) the request passes
    expect((await call(srv, "/v1/completions", { prompt: PROMPT, temperature: 0, max_tokens: 2 })).status).toBe(200);
  });

  it("completions ignore echo, logprobs and n: one choice, logprobs null, model = the repo id", async () => {
    const srv = await start({ engine: "tgi" });
    const r = await call(srv, "/v1/completions", { model: "anything", prompt: PROMPT, echo: true, logprobs: 1, n: 3, max_tokens: 3, seed: 2 });
    expect(r.status).toBe(200);
    expect(r.json.choices).toEqual([{ index: 0, text: expect.any(String), logprobs: null, finish_reason: "length" }]);
    expect(r.json.choices[0].text.startsWith(PROMPT)).toBe(false);
    expect(r.json).toMatchObject({ object: "text_completion", id: "", model: "mistralai/Mistral-7B-v0.1", system_fingerprint: "3.3.6-native" });
    // a stop sequence stays in the text and finishes with "stop_sequence"
    const full = (await call(srv, "/v1/completions", { prompt: PROMPT, temperature: 0 })).json.choices[0].text as string;
    const word = full.trim().split(/\s+/)[1];
    const cut = (await call(srv, "/v1/completions", { prompt: PROMPT, temperature: 0, stop: [word] })).json.choices[0];
    expect(cut.finish_reason).toBe("stop_sequence");
    expect(cut.text.endsWith(word)).toBe(true);
  });

  it("chat echoes the request's model; n is ignored; /v1/models; no embeddings route; bare 401", async () => {
    const srv = await start({ engine: "tgi", apiKey: "hf" });
    const auth = { authorization: "Bearer hf" };
    const denied = await call(srv, "/v1/chat/completions", { messages: [{ role: "user", content: "hi" }] });
    expect(denied).toMatchObject({ status: 401, text: "" });
    const r = await call(srv, "/v1/chat/completions", { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], n: 2, max_tokens: 2 }, { headers: auth });
    expect(r.json.model).toBe("gpt-4o");
    expect(r.json.choices).toHaveLength(1);
    const m = await call(srv, "/v1/models"); // an info route: no key needed
    expect(m.json).toEqual({ object: "list", data: [{ id: "mistralai/Mistral-7B-v0.1", object: "model", created: 0, owned_by: "mistralai/Mistral-7B-v0.1" }] });
    expect(await call(srv, "/v1/embeddings", { input: "hi" }, { headers: auth })).toMatchObject({ status: 404, text: "" });
    const str = await call(srv, "/v1/completions", { prompt: "hi", stop: "\n" }, { headers: auth });
    expect(str.status).toBe(422);
    expect(str.text).toMatch(/^Failed to deserialize the JSON body into the target type: stop: invalid type: string/);
  });
});

describe("OpenAI legacy completions", () => {
  it("echo + logprobs: no start token, the first token null, text_offset into the echoed text, generated tokens after", async () => {
    const srv = await start({ engine: "openai-legacy" });
    const r = await call(srv, "/v1/completions", { model: "davinci-002", prompt: PROMPT, echo: true, logprobs: 1, max_tokens: 0 });
    const lp = r.json.choices[0].logprobs;
    expect(r.json.choices[0].text).toBe(PROMPT);
    expect(lp.tokens).toEqual(lmTokens(PROMPT));
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    expect(lp.token_logprobs).toEqual(scoreTokens(srv.model, PROMPT).token_logprobs);
    expect(lp.text_offset).toEqual(offsets(lp.tokens));

    const g = (await call(srv, "/v1/completions", { model: "davinci-002", prompt: PROMPT, echo: true, logprobs: 0, max_tokens: 2, temperature: 0 })).json
      .choices[0];
    expect(g.logprobs.tokens).toHaveLength(lmTokens(PROMPT).length + 2);
    expect(g.logprobs.text_offset[lmTokens(PROMPT).length]).toBe(PROMPT.length);
    expect(g.text.slice(0, PROMPT.length)).toBe(PROMPT);
  });

  it("gpt-3.5-turbo-instruct refuses echo + logprobs; unknown models and the chat endpoint are 404s", async () => {
    const srv = await start({ engine: "openai-legacy", apiKey: "sk-test-123456" });
    const h = { authorization: "Bearer sk-test-123456" };
    const r = await call(srv, "/v1/completions", { model: "gpt-3.5-turbo-instruct", prompt: "hi", echo: true, logprobs: 1 }, { headers: h });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe("Setting 'echo' and 'logprobs' at the same time is not supported for this model.");
    const unknown = await call(srv, "/v1/completions", { model: "text-davinci-003", prompt: "hi" }, { headers: h });
    expect(unknown.json.error).toMatchObject({ code: "model_not_found", type: "invalid_request_error" });
    const chat = await call(srv, "/v1/chat/completions", { model: "davinci-002", messages: [{ role: "user", content: "hi" }] }, { headers: h });
    expect(chat.status).toBe(404);
    expect(chat.json.error.message).toMatch(/^This is not a chat model/);
    const bad = await call(srv, "/v1/models", undefined, { headers: { authorization: "Bearer sk-wrong-999999" } });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe("invalid_api_key");
    expect(bad.json.error.message).not.toContain("sk-wrong-999999");
  });
});

describe("request log", () => {
  it("records method, path and parsed body", async () => {
    const srv = await start({ engine: "vllm" });
    await call(srv, "/v1/completions", { prompt: "hi", max_tokens: 1 });
    await call(srv, "/v1/models");
    expect(srv.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/v1/completions", 200],
      ["GET", "/v1/models", 200],
    ]);
    expect(srv.requests[0].body).toEqual({ prompt: "hi", max_tokens: 1 });
  });
});
