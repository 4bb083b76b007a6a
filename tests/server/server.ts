// An OpenAI-compatible test server (plus a fake Perspective API) on plain node:http, for tests and
// benchmarks only. Deterministic tiny models, fixed latency, fault injection and request statistics.
// See tests/server/README.md for the protocol, the models and how to drive faults.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { FaultInjector, type FaultConfig, type FaultRule } from "./faults";
import {
  judgeAnswer,
  defaultModels,
  embedText,
  lastTokenKey,
  sampleText,
  scoreTokens,
  toxicityScores,
  whitespaceTokens,
  type ModelConfig,
  type ModelFlags,
  type ModelProfile,
  type TokenLogprobs,
} from "./language-model";
import { PERSPECTIVE_ATTRIBUTES, type PerspectiveAttribute } from "./corpus";

export interface TestServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Added to every request (faults included), with a timer. */
  latencyMs?: number;
  /** When set, /v1/* requires `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** When set, the Perspective route requires `?key=<perspectiveKey>` (400 otherwise, as Google does). */
  perspectiveKey?: string;
  /** Perspective requests per second before 429 (default 10; the real default quota is 1). */
  perspectiveQps?: number;
  faults?: FaultConfig;
  /** Overrides of the built-in models' profile or flags, or extra models (based on tiny-llama). */
  models?: Record<string, ModelOverride>;
}

export type ModelOverride = Partial<Omit<ModelProfile, "id">> & { flags?: Partial<ModelFlags> };

export interface RouteStats {
  [outcome: string]: number;
}

export interface ServerStats {
  total: number;
  byRoute: Record<string, number>;
  byOutcome: Record<string, number>;
  byRouteOutcome: Record<string, RouteStats>;
  inFlight: number;
  maxInFlight: number;
  maxInFlightByModel: Record<string, number>;
  /** Requests naming each model (generation and judging told apart by the model asked). */
  byModel: Record<string, number>;
}

export interface TestServer {
  /** Origin, e.g. http://127.0.0.1:12345 */
  url: string;
  /** OpenAI base URL: `${url}/v1`. */
  baseUrl: string;
  port: number;
  readonly stats: ServerStats;
  setFaults(config: FaultConfig): void;
  resetStats(): void;
  setLatency(ms: number): void;
  setModel(id: string, override: ModelOverride): void;
  close(): Promise<void>;
}

const ROUTES = new Set(["/v1/models", "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/moderations", "/v1alpha1/comments:analyze"]);

type Json = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { type?: string; code?: string | null; param?: string | null } = {},
  ) {
    super(message);
  }
}

function emptyStats(): ServerStats {
  return { total: 0, byRoute: {}, byOutcome: {}, byRouteOutcome: {}, inFlight: 0, maxInFlight: 0, maxInFlightByModel: {}, byModel: {} };
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const models = defaultModels();
  const applyOverride = (id: string, o: ModelOverride) => {
    const base = models[id] ?? { ...models["tiny-llama"], id };
    models[id] = { ...base, ...o, id, flags: { ...base.flags, ...(o.flags ?? {}) } };
  };
  for (const [id, o] of Object.entries(opts.models ?? {})) applyOverride(id, o);

  let latencyMs = opts.latencyMs ?? 0;
  const faults = new FaultInjector(opts.faults);
  let stats = emptyStats();
  const inFlightByModel = new Map<string, number>();
  const requestCounts = new Map<string, number>();
  const perspectiveQps = opts.perspectiveQps ?? 10;
  const perspectiveTimes: number[] = [];
  let idCounter = 0;

  const count = (route: string, outcome: string) => {
    stats.byOutcome[outcome] = (stats.byOutcome[outcome] ?? 0) + 1;
    const r = (stats.byRouteOutcome[route] ??= {});
    r[outcome] = (r[outcome] ?? 0) + 1;
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, openAiError(String(err?.message ?? err), "server_error"));
    });
  });
  // Long keep-alive so a benchmark's clients reuse sockets; no per-socket request cap.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  server.maxRequestsPerSocket = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    let route = url.pathname.replace(/\/+$/, "") || "/";
    // Also answer without the /v1 prefix, so the origin works as a base URL too.
    if (/^\/(models|chat\/completions|completions|embeddings|moderations)$/.test(route)) route = "/v1" + route;

    if (route.startsWith("/__control")) return control(route, req, res);
    if (route === "/" || route === "/health") return sendJson(res, 200, { ok: true });

    const statRoute = ROUTES.has(route) ? route : "other";
    stats.total++;
    stats.byRoute[statRoute] = (stats.byRoute[statRoute] ?? 0) + 1;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let modelForFlight: string | null = null;
    const statsAtStart = stats;
    res.on("close", () => {
      statsAtStart.inFlight--;
      if (modelForFlight !== null) inFlightByModel.set(modelForFlight, (inFlightByModel.get(modelForFlight) ?? 1) - 1);
    });

    let body: Json = {};
    let outcome = "ok";
    // The latency is the time from the request's arrival to the response: the answer is computed while it runs,
    // as a real server's compute is part of its latency (a benchmark's ideal then holds for this server).
    const arrived = performance.now();
    let delay = 0;
    const waitOut = async () => {
      const rest = delay - (performance.now() - arrived);
      if (rest > 0) await sleep(rest);
    };
    try {
      const raw = await readBody(req);
      if (req.method === "POST") {
        try {
          body = raw.length ? (JSON.parse(raw) as Json) : {};
        } catch {
          throw new HttpError(400, "the request body is not valid JSON");
        }
        if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "the request body must be a JSON object");
      }
      const model = typeof body.model === "string" ? body.model : null;
      if (model !== null) {
        modelForFlight = model;
        const n = (inFlightByModel.get(model) ?? 0) + 1;
        inFlightByModel.set(model, n);
        stats.maxInFlightByModel[model] = Math.max(stats.maxInFlightByModel[model] ?? 0, n);
        stats.byModel[model] = (stats.byModel[model] ?? 0) + 1;
      }

      if (statRoute !== "/v1alpha1/comments:analyze" && statRoute !== "other") checkAuth(req);

      const fault = statRoute === "other" ? null : faults.decide({ route: statRoute, model, promptKey: promptKeyOf(body) });
      delay = latencyMs + (fault?.kind === "slow" ? (fault.delayMs ?? 2000) : 0);
      if (fault && fault.kind !== "slow") {
        await waitOut();
        if (res.destroyed) return;
        outcome = `fault_${fault.kind}`;
        return injectFault(fault, res, statRoute, body, req.method ?? "GET");
      }
      if (fault) outcome = "fault_slow";

      const result = route404OrHandle(statRoute, req, url, body);
      await waitOut();
      if (res.destroyed) return;
      sendJson(res, 200, result);
    } catch (err) {
      await waitOut();
      if (res.destroyed) return;
      if (err instanceof HttpError) {
        outcome = `error_${err.status}`;
        if (statRoute === "/v1alpha1/comments:analyze") {
          sendJson(res, err.status, { error: { code: err.status, message: err.message, status: googleStatus(err.status) } });
        } else {
          sendJson(res, err.status, openAiError(err.message, err.extra.type ?? "invalid_request_error", err.extra.code ?? null, err.extra.param ?? null));
        }
      } else {
        outcome = "error_500";
        sendJson(res, 500, openAiError(`internal error: ${(err as Error)?.message ?? err}`, "server_error"));
      }
    } finally {
      count(statRoute, outcome);
    }
  }

  function checkAuth(req: http.IncomingMessage): void {
    if (opts.apiKey === undefined) return;
    const header = req.headers.authorization ?? "";
    const given = header.replace(/^Bearer\s+/i, "");
    if (given !== opts.apiKey) {
      // Echoes the whole wrong key on purpose: the client must scrub credentials from error texts.
      throw new HttpError(401, given ? `Incorrect API key provided: ${given}. You can find your API key at your provider.` : "You didn't provide an API key.", {
        type: "invalid_request_error",
        code: "invalid_api_key",
      });
    }
  }

  function getModel(body: Json, capability?: keyof ModelFlags, label?: string): ModelConfig {
    if (typeof body.model !== "string" || body.model === "") throw new HttpError(400, "you must provide a model parameter", { param: "model" });
    const m = models[body.model];
    if (!m) throw new HttpError(404, `The model \`${body.model}\` does not exist.`, { code: "model_not_found", param: "model" });
    if (capability && !m.flags[capability]) {
      if (capability === "embeddings") throw new HttpError(404, `model ${m.id} does not serve embeddings`, { code: "not_found" });
      throw new HttpError(400, `model ${m.id} does not support the ${label} API`);
    }
    return m;
  }

  function route404OrHandle(route: string, req: http.IncomingMessage, url: URL, body: Json): unknown {
    const method = req.method ?? "GET";
    switch (route) {
      case "/v1/models":
        if (method !== "GET") break;
        return {
          object: "list",
          data: Object.values(models).map((m) => ({ id: m.id, object: "model", created: 1_700_000_000, owned_by: "lineage-test-server" })),
        };
      case "/v1/chat/completions":
        if (method !== "POST") break;
        return chatCompletion(body);
      case "/v1/completions":
        if (method !== "POST") break;
        return completion(body);
      case "/v1/embeddings":
        if (method !== "POST") break;
        return embeddings(body);
      case "/v1/moderations":
        if (method !== "POST") break;
        return moderations(body);
      case "/v1alpha1/comments:analyze":
        if (method !== "POST") break;
        return perspective(url, body);
    }
    throw new HttpError(404, `no route ${method} ${url.pathname}`, { code: "not_found" });
  }

  // ------------------------------------------------------------ decoding parameters

  interface Decoding {
    temperature: number;
    topP: number;
    maxTokens: number | undefined;
    n: number;
    seed: number | undefined;
    stop: string[];
  }

  function decoding(body: Json, model: ModelConfig): Decoding {
    const num = (name: string, def: number | undefined, min: number, max: number): number | undefined => {
      const v = body[name];
      if (v === undefined || v === null) return def;
      if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
        throw new HttpError(400, `${name} must be a number between ${min} and ${max}`, { param: name });
      }
      return v;
    };
    const temperature = num("temperature", 1, 0, 2)!;
    const topP = num("top_p", 1, 0, 1)!;
    const maxTokens = num("max_tokens", undefined, 0, 1_000_000) ?? num("max_completion_tokens", undefined, 0, 1_000_000);
    const n = num("n", 1, 1, 128)!;
    const seed = num("seed", undefined, -(2 ** 63), 2 ** 63);
    if (!Number.isInteger(n)) throw new HttpError(400, "n must be an integer", { param: "n" });
    if (n > 1 && !model.flags.n) {
      throw new HttpError(400, `n > 1 is not supported by this server for ${model.id}: request one choice at a time (n=1)`, { param: "n" });
    }
    let stop: string[] = [];
    if (typeof body.stop === "string") stop = [body.stop];
    else if (Array.isArray(body.stop)) stop = body.stop.filter((s): s is string => typeof s === "string" && s.length > 0);
    if (stop.length > 4) throw new HttpError(400, "stop may hold at most 4 sequences", { param: "stop" });
    return { temperature, topP, maxTokens: maxTokens === undefined ? undefined : Math.floor(maxTokens), n, seed, stop };
  }

  /** Samples n texts; `lead` is prepended before cutting (a completion continues its prompt after a space). */
  function sampleChoices(model: ModelConfig, prompt: string, seedBase: string, d: Decoding, lead: string, continuation = false) {
    const counterKey = `${model.id}|${seedBase}|${d.temperature}|${d.topP}`;
    const requestNo = (requestCounts.get(counterKey) ?? 0) + 1;
    requestCounts.set(counterKey, requestNo);
    const out: { text: string; finish: "stop" | "length"; tokens: number }[] = [];
    for (let j = 0; j < d.n; j++) {
      const seedKey =
        d.temperature === 0
          ? `${model.id}|${seedBase}|greedy`
          : `${model.id}|${seedBase}|${d.seed !== undefined ? `s${d.seed}` : `r${requestNo}`}|${j}|${d.temperature}|${d.topP}`;
      const text = model.judge
        ? judgeAnswer(prompt, seedKey, d.temperature)
        : sampleText(model, { temperature: d.temperature, topP: d.topP, seedKey, prompt, continuation });
      const full = d.maxTokens === 0 ? "" : lead + text;
      const cut = cutText(full, d.maxTokens, d.stop);
      out.push({ ...cut, tokens: whitespaceTokens(cut.text).length });
    }
    return out;
  }

  function chatCompletion(body: Json): unknown {
    const model = getModel(body, "chat", "Chat Completions");
    if (!Array.isArray(body.messages) || body.messages.length === 0) throw new HttpError(400, "messages must be a non-empty array", { param: "messages" });
    const messages = (body.messages as Json[]).map((m) => ({ role: String(m?.role ?? ""), content: contentText(m?.content) }));
    const d = decoding(body, model);
    const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content ?? messages[messages.length - 1].content;
    const seedBase = messages.map((m) => `${m.role}:${m.content}`).join("\n");
    const choices = sampleChoices(model, lastUser, seedBase, d, "");
    const promptTokens = messages.reduce((s, m) => s + whitespaceTokens(m.content).length + 3, 0);
    const completionTokens = choices.reduce((s, c) => s + c.tokens, 0);
    return {
      id: `chatcmpl-${++idCounter}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: model.id,
      choices: choices.map((c, index) => ({
        index,
        message: { role: "assistant", content: c.text, refusal: null },
        logprobs: null,
        finish_reason: c.finish,
      })),
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  }

  function completion(body: Json): unknown {
    const model = getModel(body, "completions", "Completions");
    let prompts: string[];
    if (typeof body.prompt === "string") prompts = [body.prompt];
    else if (Array.isArray(body.prompt) && body.prompt.length > 0 && body.prompt.every((p) => typeof p === "string")) {
      prompts = body.prompt as string[];
      if (prompts.length > 1 && !model.flags.promptArrays)
        throw new HttpError(400, "prompt must be a string (batched prompts are not supported)", { param: "prompt" });
    } else throw new HttpError(400, "prompt must be a string or an array of strings (token ids are not supported)", { param: "prompt" });
    const d = decoding(body, model);
    const echo = body.echo === true;
    const logprobsK = body.logprobs === undefined || body.logprobs === null ? null : body.logprobs;
    if (logprobsK !== null && (typeof logprobsK !== "number" || !Number.isInteger(logprobsK) || logprobsK < 0 || logprobsK > 5)) {
      throw new HttpError(400, "logprobs must be an integer between 0 and 5", { param: "logprobs" });
    }
    const choices: unknown[] = [];
    let promptTokens = 0;
    let completionTokens = 0;
    prompts.forEach((prompt, i) => {
      promptTokens += whitespaceTokens(prompt).length;
      const lead = prompt === "" || /\s$/.test(prompt) ? "" : " ";
      sampleChoices(model, prompt, prompt, d, lead, prompt !== "").forEach((c, j) => {
        completionTokens += c.tokens;
        let logprobs: TokenLogprobs | null = null;
        if (logprobsK !== null && (model.flags.echo || !echo)) {
          if (echo) {
            const p = scoreTokens(model, prompt, 0);
            const g = scoreTokens(model, c.text, prompt.length, lastTokenKey(prompt), false);
            logprobs = concatLogprobs(p, g);
          } else {
            logprobs = scoreTokens(model, c.text, prompt.length, lastTokenKey(prompt), false);
          }
        }
        choices.push({ index: i * d.n + j, text: echo ? prompt + c.text : c.text, logprobs, finish_reason: c.finish });
      });
    });
    return {
      id: `cmpl-${++idCounter}`,
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: model.id,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  }

  function embeddings(body: Json): unknown {
    const model = getModel(body, "embeddings");
    let inputs: string[];
    if (typeof body.input === "string") inputs = [body.input];
    else if (Array.isArray(body.input) && body.input.length > 0 && body.input.every((p) => typeof p === "string")) inputs = body.input as string[];
    else throw new HttpError(400, "input must be a string or a non-empty array of strings", { param: "input" });
    const format = body.encoding_format ?? "float";
    if (format !== "float" && format !== "base64") throw new HttpError(400, "encoding_format must be float or base64", { param: "encoding_format" });
    const tokens = inputs.reduce((s, t) => s + whitespaceTokens(t).length, 0);
    return {
      object: "list",
      model: model.id,
      data: inputs.map((text, index) => {
        const v = embedText(model, text);
        return { object: "embedding", index, embedding: format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v };
      }),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }

  function moderations(body: Json): unknown {
    const inputs = typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? body.input.map((x) => (typeof x === "string" ? x : "")) : null;
    if (!inputs) throw new HttpError(400, "input must be a string or an array of strings", { param: "input" });
    return {
      id: `modr-${++idCounter}`,
      model: typeof body.model === "string" ? body.model : "omni-moderation-latest",
      results: inputs.map((text: string) => {
        const s = toxicityScores(text).scores;
        const small = s.TOXICITY * 0.05;
        const category_scores: Record<string, number> = {
          harassment: s.INSULT,
          "harassment/threatening": s.THREAT * 0.8,
          hate: s.IDENTITY_ATTACK,
          "hate/threatening": s.IDENTITY_ATTACK * s.THREAT,
          illicit: small,
          "illicit/violent": small,
          "self-harm": small,
          "self-harm/intent": small,
          "self-harm/instructions": small,
          sexual: small,
          "sexual/minors": small,
          violence: s.THREAT,
          "violence/graphic": s.THREAT * 0.5,
        };
        const categories = Object.fromEntries(Object.entries(category_scores).map(([k, v]) => [k, v >= 0.5]));
        return { flagged: Object.values(categories).some(Boolean), categories, category_scores };
      }),
    };
  }

  function perspective(url: URL, body: Json): unknown {
    if (opts.perspectiveKey !== undefined && url.searchParams.get("key") !== opts.perspectiveKey) {
      throw new HttpError(400, "API key not valid. Please pass a valid API key.");
    }
    const now = Date.now();
    while (perspectiveTimes.length && perspectiveTimes[0] <= now - 1000) perspectiveTimes.shift();
    if (perspectiveTimes.length >= perspectiveQps) {
      throw new HttpError(
        429,
        `Quota exceeded for quota metric 'Analysis requests (AnalyzeComment)' and limit 'Analysis requests (AnalyzeComment) per second' (${perspectiveQps}).`,
      );
    }
    perspectiveTimes.push(now);
    const comment = body.comment as Json | undefined;
    const text = comment?.text;
    if (typeof text !== "string" || text.trim() === "") throw new HttpError(400, "Comment must be non-empty.");
    const requested = body.requestedAttributes as Json | undefined;
    if (!requested || typeof requested !== "object" || Object.keys(requested).length === 0) {
      throw new HttpError(400, "requestedAttributes must name at least one attribute.");
    }
    const languages = Array.isArray(body.languages) && body.languages.length ? (body.languages as string[]) : ["en"];
    if (languages.some((l) => l !== "en")) throw new HttpError(400, `Attribute TOXICITY does not support request languages: ${languages.join(",")}`);
    const { scores } = toxicityScores(text);
    const attributeScores: Record<string, unknown> = {};
    for (const name of Object.keys(requested)) {
      if (!(PERSPECTIVE_ATTRIBUTES as readonly string[]).includes(name)) throw new HttpError(400, `Unknown attribute: ${name}`);
      const value = scores[name as PerspectiveAttribute];
      attributeScores[name] = {
        spanScores: [{ begin: 0, end: text.length, score: { value, type: "PROBABILITY" } }],
        summaryScore: { value, type: "PROBABILITY" },
      };
    }
    return { attributeScores, languages, detectedLanguages: ["en"] };
  }

  // ------------------------------------------------------------ faults and control

  function injectFault(fault: FaultRule, res: http.ServerResponse, route: string, body: Json, method: string): void {
    switch (fault.kind) {
      case "429": {
        const headers: Record<string, string> = {};
        const seconds = fault.retryAfterSeconds ?? 1;
        headers["retry-after"] = fault.retryAfterAsDate ? new Date(Date.now() + seconds * 1000).toUTCString() : String(seconds);
        if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
        return sendJson(res, 429, openAiError("Rate limit reached (injected fault): retry later", "rate_limit_error", "rate_limit_exceeded"), headers);
      }
      case "500":
        return sendJson(res, 500, openAiError("The server had an error while processing your request (injected fault)", "server_error"));
      case "503":
        return sendJson(res, 503, openAiError("The server is overloaded (injected fault)", "server_error"));
      case "drop": {
        if (fault.dropWhen === "before-headers") {
          res.socket?.destroy();
          return;
        }
        const full = JSON.stringify(fakeBody(route, body, method));
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(full) });
        res.write(full.slice(0, Math.floor(full.length / 2)));
        // destroy after the partial body has been flushed
        setImmediate(() => res.socket?.destroy());
        return;
      }
      case "malformed": {
        const full = JSON.stringify(fakeBody(route, body, method));
        return sendRaw(res, 200, full.slice(0, Math.max(1, Math.floor(full.length / 2))));
      }
      default:
        return;
    }
  }

  /** A plausible body for a faulted request (cut in half by drop / malformed faults). */
  function fakeBody(route: string, body: Json, method: string): unknown {
    try {
      return route404OrHandle(route, { method } as http.IncomingMessage, new URL("http://x" + route), body);
    } catch {
      return { object: "error", choices: [{ index: 0, text: "x".repeat(64) }] };
    }
  }

  async function control(route: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: Json = {};
    try {
      body = raw ? (JSON.parse(raw) as Json) : {};
    } catch {
      return sendJson(res, 400, { error: "invalid JSON" });
    }
    try {
      if (route === "/__control/stats" && req.method === "GET") return sendJson(res, 200, stats);
      if (route === "/__control/stats/reset" && req.method === "POST") {
        handleApi.resetStats();
        return sendJson(res, 200, { ok: true });
      }
      if (route === "/__control/faults" && req.method === "GET") return sendJson(res, 200, faults.config);
      if (route === "/__control/faults" && req.method === "POST") {
        faults.set(body as unknown as FaultConfig);
        return sendJson(res, 200, { ok: true });
      }
      if (route === "/__control/latency" && req.method === "POST") {
        handleApi.setLatency(Number(body.latencyMs ?? 0));
        return sendJson(res, 200, { ok: true, latencyMs });
      }
      if (route === "/__control/models" && req.method === "POST") {
        for (const [id, o] of Object.entries(body)) applyOverride(id, o as ModelOverride);
        return sendJson(res, 200, { ok: true, models: Object.keys(models) });
      }
    } catch (err) {
      return sendJson(res, 400, { error: (err as Error).message });
    }
    return sendJson(res, 404, { error: `no control route ${req.method} ${route}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;

  const handleApi: TestServer = {
    url: origin,
    baseUrl: `${origin}/v1`,
    port: address.port,
    get stats() {
      return stats;
    },
    setFaults(config: FaultConfig) {
      faults.set(config);
    },
    resetStats() {
      const inFlight = stats.inFlight;
      stats = emptyStats();
      // requests still open keep counting down on the old object; carry the live count over
      stats.inFlight = inFlight;
    },
    setLatency(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error("latencyMs must be a number ≥ 0");
      latencyMs = ms;
    },
    setModel(id: string, override: ModelOverride) {
      applyOverride(id, override);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return handleApi;
}

// ---------------------------------------------------------------- helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 20 * 1024 * 1024) {
        reject(new HttpError(413, "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}

function sendRaw(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function openAiError(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

function googleStatus(status: number): string {
  return status === 429 ? "RESOURCE_EXHAUSTED" : status === 400 ? "INVALID_ARGUMENT" : status === 403 ? "PERMISSION_DENIED" : "UNKNOWN";
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && typeof (p as Json).text === "string" ? ((p as Json).text as string) : "")).join("");
  }
  return "";
}

function promptKeyOf(body: Json): string {
  const v = body.prompt ?? body.messages ?? body.input ?? (body.comment as Json | undefined)?.text ?? "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Applies stop sequences, then max_tokens (whitespace tokens): the finish reason says which ended the text. */
export function cutText(text: string, maxTokens: number | undefined, stop: string[]): { text: string; finish: "stop" | "length" } {
  let out = text;
  let cutAt = -1;
  for (const s of stop) {
    const i = out.indexOf(s);
    if (i >= 0 && (cutAt < 0 || i < cutAt)) cutAt = i;
  }
  if (cutAt >= 0) out = out.slice(0, cutAt);
  if (maxTokens !== undefined) {
    if (maxTokens === 0) return { text: "", finish: "length" };
    let n = 0;
    for (const m of out.matchAll(/\S+/g)) {
      n++;
      if (n === maxTokens) {
        const end = m.index! + m[0].length;
        if (out.slice(end).trim() !== "") return { text: out.slice(0, end), finish: "length" };
        break;
      }
    }
  }
  return { text: out, finish: "stop" };
}

function concatLogprobs(a: TokenLogprobs, b: TokenLogprobs): TokenLogprobs {
  return {
    tokens: [...a.tokens, ...b.tokens],
    token_logprobs: [...a.token_logprobs, ...b.token_logprobs],
    top_logprobs: [...a.top_logprobs, ...b.top_logprobs],
    text_offset: [...a.text_offset, ...b.text_offset],
  };
}
