// Hugging Face text-generation-inference (TGI), its OpenAI-compatible routes, reproduced from its source (tests
// only): router/src/server.rs (completions, chat_completions, openai_get_model_info, the route table and the
// API-key layer, From<InferError> for (StatusCode, Json<ErrorResponse>)), router/src/validation.rs
// (Validation::validate, ValidationError messages), router/src/lib.rs (CompletionRequest, ChatRequest,
// try_into_generate, CompletionFinal, ChatCompletion, FinishReason::format, ErrorResponse),
// router/src/infer/mod.rs (InferError messages and error_type). TGI has no /v1/embeddings route (embeddings are
// text-embeddings-inference, a separate server).

import {
  continuationTokens,
  countPromptTokens,
  EngineReplyError,
  emptyReply,
  generate,
  jsonReply,
  nowSeconds,
  renderChat,
  contentText,
  textReply,
  type EngineContext,
  type EngineReply,
  type EngineRequest,
  type GenParams,
  type Json,
} from "./common";
import { lmTokens } from "../language-model";

export interface TgiOptions {
  version: string;
  /** --max-client-batch-size (default 4) */
  maxClientBatchSize: number;
  /** --max-stop-sequences (default 4) */
  maxStopSequences: number;
  /** --max-top-n-tokens (default 5) */
  maxTopNTokens: number;
}

export function tgiHandler(ctx: EngineContext, o: TgiOptions): (req: EngineRequest) => EngineReply {
  const modelId = ctx.model.id;
  const fingerprint = `${o.version}-native`; // format!("{}-{}", info.version, docker_label.unwrap_or("native"))

  // server.rs From<InferError>: ValidationError → 422 {"error": "Input validation error: <msg>", "error_type": "validation"}
  const validation = (msg: string): never => {
    throw new EngineReplyError(jsonReply(422, { error: `Input validation error: ${msg}`, error_type: "validation" }));
  };
  // axum's Json extractor rejections are text/plain: 400 (syntax), 422 (data), 415 (content type). serde's
  // "at line 1 column N" position is approximated (the end of the body).
  const rejectData = (raw: string, msg: string): never => {
    throw new EngineReplyError(textReply(422, `Failed to deserialize the JSON body into the target type: ${msg} at line 1 column ${raw.length}`));
  };

  /** validation.rs Validation::validate, in its order (best_of/typical_p/top_k are never set by the OpenAI routes). */
  function validate(body: Json, inputs: string, topN: number | null, stop: string[]): GenParams {
    // server.rs / lib.rs: "enable greedy only when temperature is 0"
    const t = typeof body.temperature === "number" ? body.temperature : null;
    const temperature = t === 0 ? null : t;
    if (temperature !== null && temperature <= 0) validation("`temperature` must be strictly positive");
    const rp =
      typeof body.repetition_penalty === "number" ? body.repetition_penalty : typeof body.presence_penalty === "number" ? body.presence_penalty + 2 : null;
    if (rp !== null && rp <= 0) validation("`repetition_penalty` must be strictly positive");
    const fp = typeof body.frequency_penalty === "number" ? body.frequency_penalty : 0;
    if (fp < -2 || fp > 2) validation("`frequency_penalty` must be >= -2.0 and <= 2.0");
    // "Different because the proto default value is not a valid value for the user": top_p must be in (0, 1)
    // when given — so an explicit top_p of 1.0 (OpenAI's neutral value) is refused
    const topP = typeof body.top_p === "number" ? body.top_p : null;
    if (topP !== null && (topP <= 0 || topP >= 1)) validation("`top_p` must be > 0.0 and < 1.0");
    const maxTokens =
      typeof body.max_tokens === "number" ? body.max_tokens : typeof body.max_completion_tokens === "number" ? body.max_completion_tokens : undefined;
    if (maxTokens === 0) validation("`max_new_tokens` must be strictly positive");
    if (stop.length > o.maxStopSequences) validation(`\`stop\` supports up to ${o.maxStopSequences} stop sequences. Given: ${stop.length}`);
    if (topN !== null && topN > o.maxTopNTokens) validation(`\`top_n_tokens\` must be >= 0 and <= ${o.maxTopNTokens}. Given: ${topN}`);
    if (inputs === "") validation("`inputs` cannot be empty");
    return {
      temperature: t === 0 ? 0 : (temperature ?? 1),
      topP: topP ?? 1,
      seed: typeof body.seed === "number" ? body.seed : undefined,
      maxTokens,
      stop,
      keepStop: true,
    };
  }

  const stopOf = (raw: string, body: Json): string[] => {
    if (body.stop === undefined || body.stop === null) return [];
    // lib.rs: stop is Option<Vec<String>> — a bare string is a deserialization error
    if (!Array.isArray(body.stop))
      rejectData(raw, `stop: invalid type: ${typeof body.stop === "string" ? `string ${JSON.stringify(body.stop)}` : typeof body.stop}, expected a sequence`);
    return body.stop as string[];
  };

  // lib.rs FinishReason::format(true): eos → "stop", length → "length", stop sequence → "stop_sequence"
  const finish = (f: "length" | "stop" | "eos") => (f === "eos" ? "stop" : f === "stop" ? "stop_sequence" : "length");

  // server.rs completions: CompletionRequest has no echo, logprobs or n (serde ignores them): one choice per prompt,
  // "logprobs": null; the model is info.model_id whatever the request says (a model other than "tgi" is passed as
  // a LoRA adapter_id, which falls back to the base model when no such adapter is loaded).
  function completions(raw: string, body: Json): unknown {
    if (!("prompt" in body)) rejectData(raw, "missing field `prompt`");
    const prompt = body.prompt;
    let prompts: string[];
    if (typeof prompt === "string") prompts = [prompt];
    else if (Array.isArray(prompt) && prompt.every((p) => typeof p === "string")) {
      if (prompt.length === 0) rejectData(raw, "prompt: Empty array detected. Do not use an empty array for the prompt.");
      prompts = prompt as string[];
    } else prompts = rejectData(raw, "prompt: data did not match any variant of untagged enum PromptDeserializer");
    const stop = stopOf(raw, body);
    if (body.suffix !== undefined && body.suffix !== null) {
      throw new EngineReplyError(
        jsonReply(422, { error: "Suffix is not supported and can be achieved by preprocessing the prompt.", error_type: "suffix not supported" }),
      );
    }
    if (prompts.length > o.maxClientBatchSize) {
      throw new EngineReplyError(
        jsonReply(422, { error: `Number of prompts exceeds the maximum allowed batch size of ${o.maxClientBatchSize}`, error_type: "batch size exceeded" }),
      );
    }
    const params = prompts.map((p) => validate(body, p, null, stop));
    let promptTokens = 0;
    let completionTokens = 0;
    // the choices come back in completion order (FuturesUnordered); here in index order
    const choices = prompts.map((p, index) => {
      const gen = generate(ctx, p, p, params[index], 0, true);
      promptTokens += countPromptTokens(ctx, p); // add_special_tokens: true
      completionTokens += continuationTokens(ctx, p, gen.text).tokens.length;
      return { index, text: gen.text, logprobs: null, finish_reason: finish(gen.finish) };
    });
    return {
      object: "text_completion",
      id: "",
      created: nowSeconds(),
      model: modelId,
      system_fingerprint: fingerprint,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  }

  // server.rs chat_completions / lib.rs ChatRequest::try_into_generate: n is "UNUSED" (one choice); the reply's
  // model is the request's model (info.model_id when absent or "tgi"); logprobs → {"content": [{token, logprob,
  // top_logprobs: [{token, logprob}]}]} with top_n_tokens = top_logprobs.
  function chat(raw: string, body: Json): unknown {
    if (!("messages" in body)) rejectData(raw, "missing field `messages`");
    const stop = stopOf(raw, body);
    const messages = (Array.isArray(body.messages) ? (body.messages as Json[]) : []).map((m) => ({
      role: String(m?.role ?? ""),
      content: contentText(m?.content),
    }));
    const { prompt, lastUser } = renderChat(messages);
    const topN = typeof body.top_logprobs === "number" ? body.top_logprobs : null;
    const p = validate(body, prompt, topN, stop);
    const gen = generate(ctx, lastUser, prompt, p, 0, false);
    const gs = continuationTokens(ctx, "", gen.text);
    const logprobs =
      body.logprobs === true
        ? {
            content: gs.tokens.map((token, i) => {
              const lp = gs.logprobs[i] ?? 0;
              const cands = [{ token, logprob: lp }, ...(gs.alternatives[i] ? [gs.alternatives[i]!] : [])].sort((a, b) => b.logprob - a.logprob);
              return { token, logprob: lp, top_logprobs: cands.slice(0, topN ?? 0) };
            }),
          }
        : null;
    const promptTokens = lmTokens(prompt).length; // the chat template is tokenized with add_special_tokens: false
    return {
      object: "chat.completion",
      id: "",
      created: nowSeconds(),
      model: body.model === undefined || body.model === null || body.model === "tgi" ? modelId : String(body.model),
      system_fingerprint: fingerprint,
      choices: [{ index: 0, message: { role: "assistant", content: gen.text }, logprobs, finish_reason: finish(gen.finish) }],
      usage: { prompt_tokens: promptTokens, completion_tokens: gs.tokens.length, total_tokens: promptTokens + gs.tokens.length },
    };
  }

  // server.rs openai_get_model_info: one model, id = owned_by = the model id (the Hub repo id), created 0
  const models = () => ({ object: "list", data: [{ id: modelId, object: "model", created: 0, owned_by: modelId }] });
  // server.rs get_model_info (a subset of the real Info)
  const info = () => ({
    model_id: modelId,
    model_sha: null,
    model_pipeline_tag: "text-generation",
    max_concurrent_requests: 128,
    max_best_of: 2,
    max_stop_sequences: o.maxStopSequences,
    max_input_tokens: 4095,
    max_total_tokens: 4096,
    validation_workers: 2,
    max_client_batch_size: o.maxClientBatchSize,
    router: "text-generation-router",
    version: o.version,
    sha: null,
    docker_label: null,
  });

  type Route = { method: string; guarded: boolean; run: (raw: string, body: Json) => unknown };
  const routes: Record<string, Route[]> = {
    "/": [{ method: "GET", guarded: false, run: () => null }], // health: 200, empty body
    "/health": [{ method: "GET", guarded: false, run: () => null }],
    "/info": [{ method: "GET", guarded: false, run: info }],
    "/v1/models": [{ method: "GET", guarded: false, run: models }],
    "/v1/completions": [{ method: "POST", guarded: true, run: completions }],
    "/v1/chat/completions": [{ method: "POST", guarded: true, run: chat }],
  };

  return (req) => {
    const candidates = routes[req.path];
    // axum: an unknown path is a bare 404, a known path with another method a bare 405 (no body)
    if (!candidates) return emptyReply(404);
    const route = candidates.find((r) => r.method === req.method);
    if (!route) return emptyReply(405);
    // server.rs: with --api-key the base routes (generate, completions, chat…) need "Bearer <key>" (compared
    // case-insensitively) and answer a bare 401; the info routes (/health, /info, /v1/models…) stay open
    if (route.guarded && ctx.apiKey !== undefined && String(req.headers.authorization ?? "").toLowerCase() !== `bearer ${ctx.apiKey}`.toLowerCase()) {
      return emptyReply(401);
    }
    let body: Json = {};
    if (req.method === "POST") {
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
        return textReply(415, "Expected request with `Content-Type: application/json`");
      try {
        body = JSON.parse(req.raw) as Json;
      } catch {
        return textReply(400, `Failed to parse the request body as JSON: expected value at line 1 column 1`);
      }
    }
    const out = route.run(req.raw, body);
    return out === null ? { status: 200, body: "", contentType: "text/plain; charset=utf-8" } : jsonReply(200, out);
  };
}
