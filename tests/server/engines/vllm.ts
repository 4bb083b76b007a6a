// vLLM's OpenAI server (`vllm serve`), reproduced from its source (tests only):
//   vllm/entrypoints/openai/completion/serving.py (older trees: serving_completion.py),
//   vllm/entrypoints/openai/completion/protocol.py, vllm/entrypoints/openai/engine/serving.py (older: serving_engine.py),
//   vllm/sampling_params.py, vllm/frontend/entrypoints/serve/exception_handling/handlers/{http,validation}.py.
// "vllm-old-errors" answers with the pre-ErrorInfo error body {"object":"error","message",…} of older releases.

import {
  continuationTokens,
  countPromptTokens,
  embedding,
  EngineReplyError,
  generate,
  jsonReply,
  nowSeconds,
  promptTokens,
  pyFloat,
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

export interface VllmOptions {
  oldErrors: boolean;
  /** `root` in /v1/models: the model path given to `vllm serve` (the id is the served model name). */
  modelRoot: string;
  maxModelLen: number;
  /** --max-logprobs (default 20). */
  maxLogprobs: number;
}

export function vllmHandler(ctx: EngineContext, o: VllmOptions): (req: EngineRequest) => EngineReply {
  const served = ctx.model.id;
  const generateRunner = !ctx.embeddings; // --runner pooling (an embedding model) serves no generate routes

  // vllm/entrypoints/openai/engine/serving.py create_error_response: ErrorResponse(error=ErrorInfo(message, type,
  // param, code=status)); older releases: ErrorResponse(object="error", message, type, param, code).
  const fail = (status: number, message: string, type = "BadRequestError", param: string | null = null): never => {
    const body = o.oldErrors ? { object: "error", message, type, param, code: status } : { error: { message, type, param, code: status } };
    throw new EngineReplyError(jsonReply(status, body));
  };
  // vllm/exceptions.py VLLMValidationError: str() appends "(parameter=…, value=…)"; create_error_response takes its
  // `parameter` as param. Older releases raised a plain ValueError: the bare message, param null.
  const invalid = (message: string, param?: string, value?: string): never =>
    param !== undefined && !o.oldErrors ? fail(400, `${message} (parameter=${param}, value=${value})`, "BadRequestError", param) : fail(400, message);
  // handlers/validation.py validation_exception_handler: a pydantic model_validator error becomes 400 "Bad Request"
  // with "N validation error(s):" and the error dicts (abbreviated here: the real dicts also carry 'input'/'ctx').
  const pydantic = (msg: string, param: string | null): never =>
    o.oldErrors
      ? fail(400, `1 validation error for CompletionRequest\n  Value error, ${msg}`)
      : fail(400, `1 validation error:\n  {'type': 'value_error', 'loc': ('body',), 'msg': 'Value error, ${msg}'}`, "Bad Request", param);

  const checkModel = (body: Json) => {
    // engine/serving.py _check_model: the model may be omitted; any other name than the served one is a 404.
    if (body.model === undefined || body.model === null || body.model === served) return;
    fail(404, `The model \`${body.model}\` does not exist.`, "NotFoundError", o.oldErrors ? null : "model");
  };

  /** vllm/sampling_params.py SamplingParams._verify_args / _verify_greedy_sampling, then the engine's logprob cap. */
  const sampling = (body: Json, maxTokens: number | undefined, logprobs: number | null, promptLogprobs: number | null) => {
    const n = typeof body.n === "number" ? body.n : 1;
    const temperature = typeof body.temperature === "number" ? body.temperature : 1.0;
    const topP = typeof body.top_p === "number" ? body.top_p : 1.0;
    if (temperature < 0) invalid(`temperature must be non-negative, got ${pyFloat(temperature)}.`, "temperature", pyFloat(temperature));
    if (temperature > 2) invalid(`temperature must be in [0, 2], got ${pyFloat(temperature)}.`, "temperature", pyFloat(temperature));
    if (!(topP > 0 && topP <= 1)) invalid(`top_p must be in (0, 1], got ${pyFloat(topP)}.`, "top_p", pyFloat(topP));
    if (maxTokens !== undefined && maxTokens < 1) invalid(`max_tokens must be at least 1, got ${maxTokens}.`, "max_tokens", String(maxTokens));
    if (temperature === 0 && n > 1) invalid(`n must be 1 when using greedy sampling, got ${n}.`);
    // SamplingParams._validate_logprobs (older: vllm/v1/engine/processor.py): -1 means the whole vocabulary.
    const cap = (k: number | null, what: string, param: string) => {
      const asked = k === -1 ? 32000 : k; // the tiny vocabulary is taken as 32000 ids
      if (asked !== null && asked > o.maxLogprobs)
        invalid(`Requested ${what} logprobs of ${asked}, which is greater than max allowed: ${o.maxLogprobs}`, param, String(asked));
    };
    cap(logprobs, "sample", "logprobs");
    cap(promptLogprobs, "prompt", "prompt_logprobs"); // its wording was seen in the source; its `parameter` was not
    const stop = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? (body.stop as string[]) : [];
    return { n, temperature, topP, seed: typeof body.seed === "number" ? body.seed : undefined, stop };
  };

  /** completion/protocol.py check_logprobs (mode="before", so a pydantic validation error). */
  const checkLogprobFields = (body: Json) => {
    for (const f of ["prompt_logprobs", "logprobs"]) {
      if (body[f] !== undefined && body[f] !== null && typeof body[f] !== "number") pydantic(`\`${f}\` must be an integer.`, f);
    }
    const pl = body.prompt_logprobs as number | null | undefined;
    if (pl !== undefined && pl !== null) {
      if (body.stream && (pl > 0 || pl === -1)) pydantic("`prompt_logprobs` are not available when `stream=True`.", "prompt_logprobs");
      if (pl < 0 && pl !== -1) pydantic("`prompt_logprobs` must be a positive value or -1.", "prompt_logprobs");
    }
    const lp = body.logprobs as number | null | undefined;
    if (lp !== undefined && lp !== null && lp < 0 && lp !== -1) pydantic("`logprobs` must be a positive value or -1.", "logprobs");
  };

  /** engine/serving.py _validate_input: the context-length checks of completion-like requests. */
  const checkLength = (tokens: number, maxTokens: number | undefined) => {
    const L = o.maxModelLen;
    if (tokens >= L)
      invalid(
        `This model's maximum context length is ${L} tokens. However, your request has ${tokens} input tokens. Please reduce the length of the input messages.`,
        "input_tokens",
        String(tokens),
      );
    if (maxTokens !== undefined && tokens + maxTokens > L) {
      invalid(
        `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${L} tokens and your request has ${tokens} input tokens (${maxTokens} > ${L} - ${tokens}).`,
        "max_tokens",
        String(maxTokens),
      );
    }
  };

  // completion/serving.py _create_completion_logprobs: one entry per token id; a position without log-probs (the
  // first prompt token: the start token when the tokenizer adds one) gets null logprob and null top_logprobs;
  // top_logprobs hold the actual token first, then the top-k (a dict, so duplicates collapse), clamped at -9999;
  // text_offset is the running sum of the decoded tokens' lengths from 0 — the start token's text included.
  function completionLogprobs(s: ScoredTokens, k: number) {
    const text_offset: number[] = [];
    let pos = 0;
    const top_logprobs = s.tokens.map((tok, i) => {
      text_offset.push(pos);
      pos += tok.length;
      const lp = s.logprobs[i];
      if (lp === null) return null;
      const entries: Record<string, number> = { [tok]: Math.max(lp, -9999) };
      const alt = s.alternatives[i];
      if (alt && k >= 1 && !(alt.token in entries)) entries[alt.token] = Math.max(alt.logprob, -9999);
      return entries;
    });
    return { text_offset, token_logprobs: s.logprobs.map((x) => (x === null ? null : Math.max(x, -9999))), tokens: s.tokens, top_logprobs };
  }

  // The vLLM extension `prompt_logprobs` (CompletionResponseChoice.prompt_logprobs = RequestOutput.prompt_logprobs):
  // per prompt position null (the first) or {token_id: {logprob, rank, decoded_token}} with the actual token and
  // the top-k. The tiny model knows one alternative per position, so a dict holds at most two entries.
  function promptLogprobsField(s: ScoredTokens, k: number) {
    return s.tokens.map((tok, i) => {
      const lp = s.logprobs[i];
      if (lp === null) return null;
      const alt = s.alternatives[i];
      const out: Record<string, unknown> = { [String(tokenId(tok))]: { logprob: lp, rank: alt ? 2 : 1, decoded_token: tok } };
      if (alt && k >= 1) out[String(tokenId(alt.token))] = { logprob: alt.logprob, rank: 1, decoded_token: alt.token };
      return out;
    });
  }

  const concat = (a: ScoredTokens, b: ScoredTokens): ScoredTokens => ({
    tokens: [...a.tokens, ...b.tokens],
    logprobs: [...a.logprobs, ...b.logprobs],
    alternatives: [...a.alternatives, ...b.alternatives],
  });

  function completions(body: Json): unknown {
    // CompletionRequest validators run while the body is parsed, before the handler checks the model
    const prompt = body.prompt;
    if (prompt === undefined || prompt === null || prompt === "") pydantic("Either prompt or prompt_embeds must be provided and non-empty.", "prompt");
    checkLogprobFields(body);
    if (body.stream_options && !body.stream) pydantic("Stream options can only be defined when `stream=True`.", "stream_options");
    checkModel(body);
    if (!(typeof prompt === "string" || (Array.isArray(prompt) && prompt.every((p) => typeof p === "string")))) {
      fail(400, "token-id prompts are not reproduced by this test server (vLLM accepts them)"); // a test-server limit
    }
    const prompts = typeof prompt === "string" ? [prompt] : (prompt as string[]);
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : 16; // normalize_null_max_tokens: null → 16
    const echo = body.echo === true;
    const logprobs = typeof body.logprobs === "number" ? body.logprobs : null;
    // protocol.py to_sampling_params: prompt_logprobs defaults to logprobs when echo is set; echo with max_tokens=0
    // runs the engine with max_tokens=1 ("echo_without_generation") and the generated token is dropped.
    const promptLogprobs = typeof body.prompt_logprobs === "number" ? body.prompt_logprobs : echo ? logprobs : null;
    const echoOnly = echo && maxTokens === 0;
    const merge = ctx.mergeTrailingSpace && echo && !echoOnly;
    for (const p of prompts) checkLength(countPromptTokens(ctx, p), maxTokens);
    const s = sampling(body, echoOnly ? 1 : maxTokens, logprobs, promptLogprobs);

    const choices: unknown[] = [];
    let promptCount = 0;
    let completionCount = 0;
    prompts.forEach((p) => {
      const trailing = merge ? (p.match(/\s+$/)?.[0] ?? "") : "";
      const pt = promptTokens(ctx, p, trailing !== "");
      promptCount += pt.tokens.length;
      for (let j = 0; j < s.n; j++) {
        const gen = generate(ctx, p, p, { ...s, maxTokens: echoOnly ? 1 : maxTokens }, j, true);
        const gs = continuationTokens(ctx, p.slice(0, p.length - trailing.length), trailing + gen.text);
        // request_output_to_completion_response: echo prepends the prompt tokens (and prompt_logprobs) to the
        // output; with max_tokens=0 only the prompt is returned, but the dropped token still counts in usage
        const all = echoOnly ? pt : echo ? concat(pt, gs) : gs;
        completionCount += echoOnly ? 1 : gs.tokens.length;
        choices.push({
          index: choices.length,
          text: echoOnly ? p : echo ? p + gen.text : gen.text,
          logprobs: logprobs === null ? null : completionLogprobs(all, logprobs),
          finish_reason: echoOnly ? "length" : gen.finish === "eos" ? "stop" : gen.finish,
          stop_reason: gen.stopMatched,
          token_ids: null,
          prompt_logprobs: promptLogprobs === null ? null : promptLogprobsField(pt, promptLogprobs),
          prompt_token_ids: null,
        });
      }
    });
    return {
      id: `cmpl-${randomHex(ctx)}`,
      object: "text_completion",
      created: nowSeconds(),
      model: served,
      choices,
      service_tier: null,
      system_fingerprint: null,
      usage: { prompt_tokens: promptCount, total_tokens: promptCount + completionCount, completion_tokens: completionCount, prompt_tokens_details: null },
      kv_transfer_params: null,
    };
  }

  // chat_completion/serving.py: the same sampling checks; logprobs=true with top_logprobs=k gives
  // {"content": [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]} for the generated tokens.
  function chat(body: Json): unknown {
    if (!Array.isArray(body.messages)) pydantic("Field required: messages", "messages");
    checkModel(body);
    const messages = (body.messages as Json[]).map((m) => ({ role: String(m?.role ?? ""), content: contentText(m?.content) }));
    const { prompt, lastUser } = renderChat(messages);
    const maxTokens =
      typeof body.max_completion_tokens === "number" ? body.max_completion_tokens : typeof body.max_tokens === "number" ? body.max_tokens : undefined;
    const topK = body.logprobs === true ? (typeof body.top_logprobs === "number" ? body.top_logprobs : 0) : null;
    const promptCount = countPromptTokens(ctx, prompt);
    checkLength(promptCount, maxTokens);
    const s = sampling(body, maxTokens, topK, null);
    let completionCount = 0;
    const choices = Array.from({ length: s.n }, (_, index) => {
      const gen = generate(ctx, lastUser, prompt, { ...s, maxTokens }, index, false);
      const gs = continuationTokens(ctx, "", gen.text);
      completionCount += gs.tokens.length;
      const logprobs =
        topK === null
          ? null
          : {
              content: gs.tokens.map((token, i) => {
                const cands = [{ token, logprob: gs.logprobs[i] ?? -9999 }, ...(gs.alternatives[i] ? [gs.alternatives[i]!] : [])]
                  .sort((a, b) => b.logprob - a.logprob)
                  .slice(0, topK);
                return {
                  token,
                  logprob: Math.max(gs.logprobs[i] ?? -9999, -9999),
                  bytes: utf8Bytes(token),
                  top_logprobs: cands.map((c) => ({ ...c, bytes: utf8Bytes(c.token) })),
                };
              }),
            };
      return {
        index,
        message: {
          role: "assistant",
          content: gen.text,
          refusal: null,
          annotations: null,
          audio: null,
          function_call: null,
          tool_calls: [],
          reasoning_content: null,
        },
        logprobs,
        finish_reason: gen.finish === "eos" ? "stop" : gen.finish,
        stop_reason: gen.stopMatched,
      };
    });
    return {
      id: `chatcmpl-${randomHex(ctx)}`,
      object: "chat.completion",
      created: nowSeconds(),
      model: served,
      choices,
      service_tier: null,
      system_fingerprint: null,
      usage: { prompt_tokens: promptCount, total_tokens: promptCount + completionCount, completion_tokens: completionCount, prompt_tokens_details: null },
      prompt_logprobs: null,
      kv_transfer_params: null,
    };
  }

  // vllm/entrypoints/pooling/embed/serving.py (served only by --runner pooling / an embedding model)
  function embeddings(body: Json): unknown {
    checkModel(body);
    const inputs = typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? (body.input as string[]) : null;
    if (!inputs) pydantic("input must be a string or a list of strings", "input");
    const base64 = body.encoding_format === "base64";
    const tokens = inputs!.reduce((n, t) => n + countPromptTokens(ctx, t), 0);
    return {
      id: `embd-${randomHex(ctx)}`,
      object: "list",
      created: nowSeconds(),
      model: served,
      data: inputs!.map((t, index) => ({ index, object: "embedding", embedding: embedding(ctx, t, base64) })),
      usage: { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0, prompt_tokens_details: null },
    };
  }

  // vllm/entrypoints/openai/models/serving.py show_available_models: ModelCard(id=served name, root=model path,
  // owned_by="vllm", max_model_len, permission=[ModelPermission()])
  function models(): unknown {
    const created = nowSeconds();
    const permission = {
      id: `modelperm-${randomHex(ctx)}`,
      object: "model_permission",
      created,
      allow_create_engine: false,
      allow_sampling: true,
      allow_logprobs: true,
      allow_search_indices: false,
      allow_view: true,
      allow_fine_tuning: false,
      organization: "*",
      group: null,
      is_blocking: false,
    };
    return {
      object: "list",
      data: [
        { id: served, object: "model", created, owned_by: "vllm", root: o.modelRoot, parent: null, max_model_len: o.maxModelLen, permission: [permission] },
      ],
    };
  }

  const routes: Record<string, { method: string; run: (body: Json) => unknown }> = {
    "/v1/models": { method: "GET", run: models },
  };
  if (generateRunner) {
    // api_server build_app: the generate routers are registered only when "generate" is a supported task
    routes["/v1/completions"] = { method: "POST", run: completions };
    routes["/v1/chat/completions"] = { method: "POST", run: chat };
  } else {
    routes["/v1/embeddings"] = { method: "POST", run: embeddings };
  }
  if (o.oldErrors) {
    // older api_server.py: every route existed and a missing handler answered 400 "The model does not support … API"
    const refuse = (api: string) => () => fail(400, `The model does not support ${api} API`);
    routes["/v1/completions"] ??= { method: "POST", run: refuse("Completions") };
    routes["/v1/chat/completions"] ??= { method: "POST", run: refuse("Chat Completions") };
    routes["/v1/embeddings"] ??= { method: "POST", run: refuse("Embeddings") };
  }

  return (req) => {
    // serve/middleware/authenticate.py: with --api-key every /v1 path needs "Authorization: Bearer <key>"
    if (ctx.apiKey !== undefined && req.path.startsWith("/v1") && req.method !== "OPTIONS" && req.headers.authorization !== `Bearer ${ctx.apiKey}`) {
      return jsonReply(401, { error: "Unauthorized" });
    }
    if (req.path === "/health" && req.method === "GET") return { status: 200, body: "", contentType: "application/json" };
    const route = routes[req.path];
    // FastAPI's own handlers (vLLM's handler is registered for fastapi.HTTPException, which the router's
    // starlette 404/405 is not): {"detail": "Not Found"} / {"detail": "Method Not Allowed"}
    if (!route) return jsonReply(404, { detail: "Not Found" });
    if (route.method !== req.method) return jsonReply(405, { detail: "Method Not Allowed" });
    let body: Json = {};
    if (req.method === "POST") {
      try {
        body = JSON.parse(req.raw) as Json;
      } catch {
        pydantic("JSON decode error", "body");
      }
    }
    return jsonReply(200, route.run(body));
  };
}
