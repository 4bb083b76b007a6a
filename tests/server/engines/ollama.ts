// Ollama's OpenAI-compatible layer (/v1/...), reproduced from its source (tests only):
//   openai/openai.go (request/response types, NewError, ToCompletion, ToChatCompletion, ToListCompletion,
//   ToEmbeddingList, FromCompleteRequest, FromChatRequest), middleware/openai.go (CompletionsMiddleware,
//   ChatMiddleware, EmbeddingsMiddleware, writeError), server/routes.go (GenerateHandler, ChatHandler,
//   EmbedHandler, ListHandler, handleScheduleError, GenerateRoutes), llm/llama_server.go (the runner is started
//   with --embedding only for a GGUF with a pooling type; Embedding passes its error status and message through).
// Ollama has no API key: `apiKey` is ignored.

import {
  continuationTokens,
  countPromptTokens,
  embedding,
  EngineReplyError,
  generate,
  jsonReply,
  nowSeconds,
  renderChat,
  contentText,
  hashIndex,
  textReply,
  utf8Bytes,
  type EngineContext,
  type EngineReply,
  type EngineRequest,
  type Json,
} from "./common";

export interface OllamaOptions {
  /** The embedding model listed next to the chat model when `embeddings` is on (e.g. nomic-embed-text:latest). */
  embeddingModel: string;
}

const CT = "application/json; charset=utf-8";

/** model.ParseName: a name without a tag means ":latest". */
function normalizeName(name: string): string {
  return /:[^/]+$/.test(name) ? name : `${name}:latest`;
}

export function ollamaHandler(ctx: EngineContext, o: OllamaOptions): (req: EngineRequest) => EngineReply {
  const chatModel = normalizeName(ctx.model.id);
  const embedModel = normalizeName(o.embeddingModel);
  const installed = ctx.embeddings ? [chatModel, embedModel] : [chatModel];
  const modifiedAt = 1_726_000_000;

  // openai/openai.go NewError: 400 → invalid_request_error, 404 → not_found_error, anything else → api_error;
  // param and code stay null. middleware writeError wraps the native {"error": "..."} bodies the same way.
  const fail = (status: number, message: string): never => {
    const type = status === 400 ? "invalid_request_error" : status === 404 ? "not_found_error" : "api_error";
    throw new EngineReplyError(jsonReply(status, { error: { message, type, param: null, code: null } }, CT));
  };

  /** routes.go GenerateHandler / ChatHandler / EmbedHandler: the model must be pulled ("model '%s' not found"). */
  const resolve = (name: unknown): string => {
    const given = typeof name === "string" ? name : "";
    const full = normalizeName(given);
    if (!installed.includes(full)) fail(404, `model '${given}' not found`);
    return full;
  };

  const options = (body: Json) => ({
    // FromCompleteRequest / FromChatRequest: temperature defaults to 1.0; top_p 0 (unset) means 1.0; seed passed on
    temperature: typeof body.temperature === "number" ? body.temperature : 1.0,
    topP: typeof body.top_p === "number" && body.top_p !== 0 ? body.top_p : 1.0,
    seed: typeof body.seed === "number" ? body.seed : undefined,
    maxTokens: typeof body.max_tokens === "number" ? body.max_tokens : undefined,
    stop: typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? (body.stop as string[]) : [],
  });

  const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });

  // openai.go CompletionRequest has no echo, n, best_of or logit_bias: they are ignored (one choice, no echo);
  // `logprobs` is forwarded (top_logprobs) but ToCompletion never copies log-probs into the reply (no key at all).
  function completions(body: Json): unknown {
    if (body.prompt !== undefined && typeof body.prompt !== "string") {
      // gin ShouldBindJSON into CompletionRequest.Prompt (a Go string) → encoding/json's error, 400
      const kind = Array.isArray(body.prompt) ? "array" : typeof body.prompt === "number" ? "number" : typeof body.prompt === "boolean" ? "bool" : "object";
      fail(400, `json: cannot unmarshal ${kind} into Go struct field CompletionRequest.prompt of type string`);
    }
    if (Array.isArray(body.stop)) {
      const bad = (body.stop as unknown[]).find((s) => typeof s !== "string");
      if (bad !== undefined) fail(400, `invalid type for 'stop' field: ${typeof bad === "number" ? "float64" : typeof bad}`);
    }
    const name = resolve(body.model);
    const k = typeof body.logprobs === "number" && body.logprobs > 0 ? body.logprobs : 0;
    if (k > 20) fail(400, "top_logprobs must be between 0 and 20");
    // routes.go: scheduleRunner → errCapabilityCompletion for an embedding-only model
    if (name === embedModel && ctx.embeddings) fail(400, `"${String(body.model)}" does not support generate`);
    const prompt = typeof body.prompt === "string" ? body.prompt : "";
    const gen = generate(ctx, prompt, prompt, options(body), 0, true);
    const completion = continuationTokens(ctx, prompt, gen.text).tokens.length;
    return {
      id: `cmpl-${hashIndex(ctx, 999)}`,
      object: "text_completion",
      created: nowSeconds(),
      model: String(body.model), // GenerateResponse.Model is the request's name, as given
      system_fingerprint: "fp_ollama",
      choices: [{ text: gen.text, index: 0, finish_reason: gen.finish === "length" ? "length" : "stop" }],
      usage: usage(countPromptTokens(ctx, prompt), completion),
    };
  }

  // ChatCompletionRequest has no n (one choice); logprobs (bool) + top_logprobs are honoured:
  // {"content": [{token, logprob, bytes, top_logprobs}]} (api.Logprob; bytes/top_logprobs omitted when empty).
  function chat(body: Json): unknown {
    if (!Array.isArray(body.messages) || body.messages.length === 0) fail(400, "[] is too short - 'messages'");
    const name = resolve(body.model);
    const k = typeof body.top_logprobs === "number" ? body.top_logprobs : 0;
    if (k < 0 || k > 20) fail(400, "top_logprobs must be between 0 and 20");
    if (name === embedModel && ctx.embeddings) fail(400, `"${String(body.model)}" does not support chat`);
    const messages = (body.messages as Json[]).map((m) => ({ role: String(m?.role ?? ""), content: contentText(m?.content) }));
    const { prompt, lastUser } = renderChat(messages);
    const gen = generate(ctx, lastUser, prompt, options(body), 0, false);
    const gs = continuationTokens(ctx, "", gen.text);
    const choice: Json = { index: 0, message: { role: "assistant", content: gen.text }, finish_reason: gen.finish === "length" ? "length" : "stop" };
    if (body.logprobs === true && gs.tokens.length > 0) {
      choice.logprobs = {
        content: gs.tokens.map((token, i) => {
          const lp = gs.logprobs[i] ?? 0;
          const entry: Json = { token, logprob: lp, bytes: utf8Bytes(token) };
          if (k > 0) {
            const cands = [{ token, logprob: lp }, ...(gs.alternatives[i] ? [gs.alternatives[i]!] : [])].sort((a, b) => b.logprob - a.logprob).slice(0, k);
            entry.top_logprobs = cands.map((c) => ({ ...c, bytes: utf8Bytes(c.token) }));
          }
          return entry;
        }),
      };
    }
    return {
      id: `chatcmpl-${hashIndex(ctx, 999)}`,
      object: "chat.completion",
      created: nowSeconds(),
      model: String(body.model),
      system_fingerprint: "fp_ollama",
      choices: [choice],
      usage: usage(countPromptTokens(ctx, prompt), gs.tokens.length),
    };
  }

  function embeddings(body: Json): unknown {
    // middleware/openai.go EmbeddingsMiddleware
    const format = typeof body.encoding_format === "string" ? body.encoding_format : "";
    if (format !== "" && !/^(float|base64)$/i.test(format))
      fail(400, `Invalid value for 'encoding_format' = ${format}. Supported values: ['float', 'base64'].`);
    let input = body.input;
    if (input === "") input = [""];
    if (input === undefined || input === null || (Array.isArray(input) && input.length === 0)) fail(400, "invalid input");
    if (Array.isArray(input) && input.some((x) => typeof x !== "string")) fail(400, "invalid input type");
    const name = resolve(body.model);
    // EmbedHandler: the chat model's runner was started without --embedding; its llama-server answers 501 and the
    // status and message are passed through (llm/llama_server.go Embedding → api.StatusError); NewError(501) →
    // type api_error.
    if (name !== embedModel) fail(501, "This server does not support embeddings. Start it with `--embeddings`");
    const inputs = typeof input === "string" ? [input] : (input as string[]);
    const n = inputs.reduce((s, t) => s + countPromptTokens(ctx, t), 0);
    return {
      object: "list",
      data: inputs.map((t, index) => ({ object: "embedding", embedding: embedding(ctx, t, /^base64$/i.test(format)), index })),
      model: String(body.model),
      usage: { prompt_tokens: n, total_tokens: n },
    };
  }

  // openai.go ToListCompletion: id = the model's name with its tag, created = modified_at, owned_by = the name's
  // namespace ("library" for official models)
  const card = (id: string) => ({ id, object: "model", created: modifiedAt, owned_by: id.includes("/") ? id.split("/")[0] : "library" });
  const models = () => ({ object: "list", data: installed.map(card) });

  const routes: Record<string, Record<string, (body: Json) => unknown>> = {
    "/v1/chat/completions": { POST: chat },
    "/v1/completions": { POST: completions },
    "/v1/embeddings": { POST: embeddings },
    "/v1/models": { GET: models },
  };

  return (req) => {
    if (req.path === "/" && (req.method === "GET" || req.method === "HEAD")) return textReply(200, "Ollama is running");
    const retrieve = /^\/v1\/models\/(.+)$/.exec(req.path);
    if (retrieve && req.method === "GET") {
      const name = decodeURIComponent(retrieve[1]);
      if (!installed.includes(normalizeName(name)))
        return jsonReply(404, { error: { message: `model '${name}' not found`, type: "not_found_error", param: null, code: null } }, CT);
      return jsonReply(200, card(name), CT);
    }
    const route = routes[req.path];
    // gin's defaults: "404 page not found" / (HandleMethodNotAllowed = true) "405 method not allowed", text/plain
    if (!route) return textReply(404, "404 page not found");
    const handler = route[req.method];
    if (!handler) return textReply(405, "405 method not allowed");
    let body: Json = {};
    if (req.method === "POST") {
      try {
        body = JSON.parse(req.raw) as Json;
      } catch {
        // ShouldBindJSON's encoding/json error text; the exact wording depends on the input (approximate here)
        return jsonReply(
          400,
          {
            error: {
              message: req.raw.trim() === "" ? "EOF" : `invalid character '${req.raw.trim()[0]}' looking for beginning of value`,
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          },
          CT,
        );
      }
    }
    return jsonReply(200, handler(body), CT);
  };
}
