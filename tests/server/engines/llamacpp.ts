// llama.cpp's `llama-server`, reproduced from its source (tests only):
//   tools/server/server-common.cpp (format_error_response, oaicompat_completion_params_parse,
//   oaicompat_chat_params_parse, tokenize_input_prompts), tools/server/server-task.cpp (params_from_json_cmpl,
//   to_json_oaicompat*, probs_vector_to_json), tools/server/server-context.cpp (handle_completions_impl,
//   get_res_models, handle_embeddings_impl, load_model's model_name), tools/server/server-http.cpp (API-key
//   middleware, 404 handler), tools/server/server.cpp (ex_wrapper).
// `legacy` imitates the builds of the examples/server era (server.cpp + utils.hpp, 2024–mid 2025): n ≠ 1 refused
// with a 500, every exception a 500 server_error, /v1/models id = the -m path, the response's model echoed from
// the request, and --embeddings turning the completion routes off.

import path from "node:path";
import {
  continuationTokens,
  countPromptTokens,
  embedding,
  EngineReplyError,
  generate,
  jsonReply,
  nowSeconds,
  randomHex,
  renderChat,
  contentText,
  tokenId,
  utf8Bytes,
  type EngineContext,
  type EngineReply,
  type EngineRequest,
  type Json,
  type ScoredTokens,
} from "./common";

export interface LlamacppOptions {
  legacy: boolean;
  /** -m: the GGUF file. */
  modelPath: string;
  /** --alias (-a), when given. */
  alias: string | undefined;
  /** -np / --parallel: the slots, the most completions one request may ask for (n). */
  slots: number;
  buildInfo: string;
}

const CT = "application/json; charset=utf-8";

type ErrorType = "invalid_request_error" | "authentication_error" | "not_found_error" | "server_error" | "not_supported_error";
const STATUS: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  not_found_error: 404,
  server_error: 500,
  not_supported_error: 501,
};

export function llamacppHandler(ctx: EngineContext, o: LlamacppOptions): (req: EngineRequest) => EngineReply {
  // load_model: --alias, else (current builds) the GGUF file name; legacy: the alias defaulted to the -m path
  const modelName = o.alias ?? (o.legacy ? o.modelPath : path.basename(o.modelPath));

  // server-common.cpp format_error_response: {code, message, type}; res->error wraps it as {"error": …} and takes
  // the status from `code`.
  const fail = (message: string, type: ErrorType): never => {
    throw new EngineReplyError(jsonReply(STATUS[type], { error: { code: STATUS[type], message, type } }, CT));
  };
  // server.cpp ex_wrapper: std::invalid_argument → 400 invalid_request_error, any other exception → 500
  // server_error. Legacy builds turned every handler exception into a 500 server_error.
  const thrown = (message: string, invalidArgument: boolean): never => fail(message, invalidArgument && !o.legacy ? "invalid_request_error" : "server_error");

  const timings = (promptN: number, predictedN: number) => ({
    cache_n: 0,
    prompt_n: promptN,
    prompt_ms: promptN * 0.5,
    prompt_per_token_ms: 0.5,
    prompt_per_second: 2000,
    predicted_n: predictedN,
    predicted_ms: predictedN * 5,
    predicted_per_token_ms: 5,
    predicted_per_second: 200,
  });

  // server-task.cpp completion_token_output::probs_vector_to_json: one entry per generated token,
  // {id, token, bytes, logprob, top_logprobs: [{id, token, bytes, logprob}]} (the top n_probs candidates).
  const probs = (gs: ScoredTokens, nProbs: number) =>
    gs.tokens.map((token, i) => {
      const lp = gs.logprobs[i] ?? -1e9;
      const cands = [{ token, logprob: lp }, ...(gs.alternatives[i] ? [gs.alternatives[i]!] : [])].sort((a, b) => b.logprob - a.logprob).slice(0, nProbs);
      return {
        id: tokenId(token),
        token,
        bytes: utf8Bytes(token),
        logprob: lp,
        top_logprobs: cands.map((c) => ({ id: tokenId(c.token), token: c.token, bytes: utf8Bytes(c.token), logprob: c.logprob })),
      };
    });

  /** server-task.cpp params_from_json_cmpl: sampling values are taken as given (no range checks). */
  const params = (body: Json, nProbsDefault: number) => {
    const nCmpl = typeof body.n_cmpl === "number" ? body.n_cmpl : typeof body.n === "number" ? body.n : 1;
    if (nCmpl > o.slots) throw new Error("n_cmpl cannot be greater than the number of slots, please increase -np");
    const maxTokens =
      typeof body.n_predict === "number"
        ? body.n_predict
        : typeof body.max_completion_tokens === "number"
          ? body.max_completion_tokens
          : typeof body.max_tokens === "number"
            ? body.max_tokens
            : -1;
    const nProbs = typeof body.n_probs === "number" ? body.n_probs : typeof body.logprobs === "number" ? body.logprobs : nProbsDefault;
    const stop = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? (body.stop as string[]) : [];
    return {
      n: nCmpl,
      nProbs,
      gen: {
        temperature: typeof body.temperature === "number" ? body.temperature : 0.8,
        topP: typeof body.top_p === "number" ? body.top_p : 0.95,
        seed: typeof body.seed === "number" && body.seed !== -1 ? body.seed : undefined,
        maxTokens: maxTokens < 0 ? undefined : maxTokens,
        stop,
      },
    };
  };

  /** server-context.cpp handle_completions_impl: tasks prepared in a try block whose errors answer 400. */
  const prepared = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof EngineReplyError) throw e;
      return fail((e as Error).message, o.legacy ? "server_error" : "invalid_request_error");
    }
  };

  const responseModel = (body: Json) => (o.legacy ? (typeof body.model === "string" ? body.model : (o.alias ?? "gpt-3.5-turbo")) : modelName);

  // Results of a multi-task request: the first task's JSON with the other tasks' choices appended — so `usage` and
  // `timings` are the first task's only (handle_completions_impl, "if multiple results in OAI format").
  function completions(body: Json): unknown {
    if (o.legacy && ctx.embeddings) fail("This server does not support completions. Start it without `--embeddings`", "not_supported_error");
    // server-common.cpp oaicompat_completion_params_parse (runtime_error → 500)
    if (!("prompt" in body)) thrown('"prompt" is required', false);
    if (o.legacy && (typeof body.n === "number" ? body.n : 1) !== 1) thrown("Only one completion choice is allowed", false);
    if (body.echo === true) thrown("Only no echo is supported", false);
    for (const param of ["best_of", "suffix"]) if (param in body) thrown(`Unsupported param: ${param}`, false);
    const { prompts, p } = prepared(() => {
      const raw = body.prompt;
      const prompts = typeof raw === "string" ? [raw] : Array.isArray(raw) && raw.every((x) => typeof x === "string") ? (raw as string[]) : null;
      if (!prompts)
        throw new Error('"prompt" elements must be a string, a list of tokens, a JSON object containing a prompt string, or a list of mixed strings & tokens.');
      if (prompts.length === 0) throw new Error('"prompt" must not be empty');
      return { prompts, p: params(body, 0) };
    });
    const results = prompts.flatMap((prompt, i) =>
      Array.from({ length: p.n }, (_, j) => {
        const gen = generate(ctx, prompt, prompt, p.gen, j, true);
        const gs = continuationTokens(ctx, prompt, gen.text);
        return {
          choice: {
            text: gen.text,
            index: i * p.n + j, // the index of child tasks (n > 1) is not confirmed from the source
            logprobs: p.nProbs > 0 && gs.tokens.length > 0 ? { content: probs(gs, p.nProbs) } : null,
            finish_reason: gen.finish === "length" ? "length" : "stop",
          },
          promptTokens: countPromptTokens(ctx, prompt),
          completionTokens: gs.tokens.length,
        };
      }),
    );
    const first = results[0];
    return {
      choices: results.map((r) => r.choice),
      created: nowSeconds(),
      model: responseModel(body),
      system_fingerprint: o.buildInfo,
      object: "text_completion",
      usage: { completion_tokens: first.completionTokens, prompt_tokens: first.promptTokens, total_tokens: first.completionTokens + first.promptTokens },
      id: `chatcmpl-${randomHex(ctx)}`,
      timings: timings(first.promptTokens, first.completionTokens),
    };
  }

  function chat(body: Json): unknown {
    if (o.legacy && ctx.embeddings) fail("This server does not support completions. Start it without `--embeddings`", "not_supported_error");
    // server-common.cpp oaicompat_chat_params_parse
    if (!("messages" in body)) thrown("'messages' is required", true);
    if (!Array.isArray(body.messages)) thrown("Expected 'messages' to be an array", true);
    if (o.legacy && (typeof body.n === "number" ? body.n : 1) !== 1) thrown("Only one completion choice is allowed", false);
    const wantLogprobs = body.logprobs === true;
    if (!wantLogprobs && body.top_logprobs !== undefined && body.top_logprobs !== null) thrown("top_logprobs requires logprobs to be set to true", true);
    const messages = (body.messages as Json[]).map((m) => ({ role: String(m?.role ?? ""), content: contentText(m?.content) }));
    const { prompt, lastUser } = renderChat(messages);
    const p = prepared(() =>
      params({ ...body, logprobs: undefined, n_probs: wantLogprobs ? (typeof body.top_logprobs === "number" ? body.top_logprobs : 20) : 0 }, 0),
    );
    const promptTokens = countPromptTokens(ctx, prompt);
    const results = Array.from({ length: p.n }, (_, index) => {
      const gen = generate(ctx, lastUser, prompt, p.gen, index, false);
      const gs = continuationTokens(ctx, "", gen.text);
      const choice: Json = { finish_reason: gen.finish === "length" ? "length" : "stop", index, message: { role: "assistant", content: gen.text } };
      // to_json_oaicompat_chat: the logprobs key is only there when probabilities were produced
      if (p.nProbs > 0 && gs.tokens.length > 0) choice.logprobs = { content: probs(gs, p.nProbs) };
      return { choice, completionTokens: gs.tokens.length };
    });
    const first = results[0];
    return {
      choices: results.map((r) => r.choice),
      created: nowSeconds(),
      model: responseModel(body),
      system_fingerprint: o.buildInfo,
      object: "chat.completion",
      usage: { completion_tokens: first.completionTokens, prompt_tokens: promptTokens, total_tokens: first.completionTokens + promptTokens },
      id: `chatcmpl-${randomHex(ctx)}`,
      timings: timings(promptTokens, first.completionTokens),
    };
  }

  // server-context.cpp handle_embeddings_impl; server-common.cpp format_embeddings_response_oaicompat
  function embeddings(body: Json): unknown {
    if (!ctx.embeddings) fail("This server does not support embeddings. Start it with `--embeddings`", "not_supported_error");
    const raw = body.input ?? body.content;
    // the wording of a missing / malformed input was not confirmed from the source
    if (raw === undefined) thrown('"input" or "content" must be provided', true);
    const inputs = typeof raw === "string" ? [raw] : Array.isArray(raw) && raw.every((x) => typeof x === "string") ? (raw as string[]) : null;
    if (!inputs)
      thrown('"prompt" elements must be a string, a list of tokens, a JSON object containing a prompt string, or a list of mixed strings & tokens.', false);
    const base64 = body.encoding_format === "base64";
    const n = inputs!.reduce((s, t) => s + countPromptTokens(ctx, t), 0);
    return {
      model: typeof body.model === "string" ? body.model : modelName,
      object: "list",
      usage: { prompt_tokens: n, total_tokens: n },
      data: inputs!.map((t, index) => ({ embedding: embedding(ctx, t, base64), index, object: "embedding" })),
    };
  }

  // server-context.cpp get_res_models: an Ollama-style "models" list and the OpenAI "data" list (one model).
  function models(): unknown {
    const created = nowSeconds();
    const meta = { vocab_type: 2, n_vocab: 32000, n_ctx: 4096, n_ctx_train: 4096, n_embd: 64, n_params: 1_000_000, size: 2_000_000, ftype: "Q8_0" };
    if (o.legacy) return { object: "list", data: [{ id: modelName, object: "model", created, owned_by: "llamacpp", meta }] };
    return {
      models: [
        {
          name: modelName,
          model: modelName,
          modified_at: "",
          size: "",
          digest: "",
          type: "model",
          description: "",
          tags: [""],
          capabilities: ["completion"],
          parameters: "",
          details: { parent_model: "", format: "gguf", family: "", families: [""], parameter_size: "", quantization_level: "" },
        },
      ],
      object: "list",
      data: [{ id: modelName, aliases: o.alias ? [o.alias] : [], tags: [], object: "model", created, owned_by: "llamacpp", meta }],
    };
  }

  const routes: Record<string, { method: string; run: (body: Json) => unknown }> = {
    "/health": { method: "GET", run: () => ({ status: "ok" }) },
    "/v1/health": { method: "GET", run: () => ({ status: "ok" }) },
    "/models": { method: "GET", run: models },
    "/v1/models": { method: "GET", run: models },
    "/completions": { method: "POST", run: completions },
    "/v1/completions": { method: "POST", run: completions },
    "/chat/completions": { method: "POST", run: chat },
    "/v1/chat/completions": { method: "POST", run: chat },
    "/embeddings": { method: "POST", run: embeddings },
    "/v1/embeddings": { method: "POST", run: embeddings },
  };
  const PUBLIC = new Set(["/health", "/v1/health", "/models", "/v1/models", "/"]);

  return (req) => {
    // server-http.cpp middleware_validate_api_key: Authorization (Bearer) or X-Api-Key; public GET endpoints skip it
    if (ctx.apiKey !== undefined && req.method !== "OPTIONS" && !PUBLIC.has(req.path)) {
      const given = String(req.headers.authorization ?? req.headers["x-api-key"] ?? "").replace(/^Bearer /, "");
      if (given !== ctx.apiKey) return jsonReply(401, { error: { message: "Invalid API Key", type: "authentication_error", code: 401 } }, CT);
    }
    const route = routes[req.path];
    // server-http.cpp set_error_handler: any 404 (cpp-httplib matches method and path together) gets this body
    if (!route || route.method !== req.method) return jsonReply(404, { error: { message: "File Not Found", type: "not_found_error", code: 404 } }, CT);
    let body: Json = {};
    if (req.method === "POST") {
      try {
        body = JSON.parse(req.raw) as Json;
      } catch {
        // json::parse throws nlohmann::json::parse_error (not invalid_argument) → 500; the exact text is approximate
        thrown(
          `[json.exception.parse_error.101] parse error at line 1, column 1: syntax error while parsing value - invalid literal; last read: '${req.raw.slice(0, 1)}'`,
          false,
        );
      }
    }
    return jsonReply(200, route.run(body), CT);
  };
}
