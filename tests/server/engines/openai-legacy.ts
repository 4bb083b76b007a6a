// A hosted legacy OpenAI completions model (davinci-002 / babbage-002, and gpt-3.5-turbo-instruct), tests only.
// There is no server source to read: the behaviour follows OpenAI's API reference for the legacy Completions
// endpoint (echo, logprobs ≤ 5, text_offset into the echoed text, the first token's log-prob null) and publicly
// reported error bodies. Each message below says where it comes from; wordings marked "unconfirmed" were not
// seen anywhere and are placeholders.

import {
  continuationTokens,
  countPromptTokens,
  embedding,
  EngineReplyError,
  generate,
  jsonReply,
  nowSeconds,
  promptTokens,
  randomHex,
  type EngineContext,
  type EngineReply,
  type EngineRequest,
  type Json,
  type ScoredTokens,
} from "./common";

export interface OpenAiLegacyOptions {
  /** Served next to the main model: echo + logprobs refused (gpt-3.5-turbo-instruct). */
  instructModel: string;
  /** Served when `embeddings` is on. */
  embeddingModel: string;
}

export function openAiLegacyHandler(ctx: EngineContext, o: OpenAiLegacyOptions): (req: EngineRequest) => EngineReply {
  const main = ctx.model.id;
  const completionModels = main === o.instructModel ? [main] : [main, o.instructModel];
  const all = ctx.embeddings ? [...completionModels, o.embeddingModel] : completionModels;

  const fail = (status: number, message: string, param: string | null = null, code: string | null = null, type = "invalid_request_error"): never => {
    throw new EngineReplyError(jsonReply(status, { error: { message, type, param, code } }));
  };
  const known = (model: unknown): string => {
    if (typeof model !== "string" || model === "") fail(400, "you must provide a model parameter"); // reported wording
    if (!all.includes(model as string)) fail(404, `The model \`${model}\` does not exist or you do not have access to it.`, null, "model_not_found");
    return model as string;
  };

  // The legacy logprobs object: tokens, token_logprobs, top_logprobs (up to `logprobs` alternatives), text_offset
  // (character offsets into the returned text). No start token: with echo the first prompt token has null.
  function legacyLogprobs(s: ScoredTokens, k: number) {
    const text_offset: number[] = [];
    let pos = 0;
    const top_logprobs = s.tokens.map((tok, i) => {
      text_offset.push(pos);
      pos += tok.length;
      if (s.logprobs[i] === null) return null;
      const alt = s.alternatives[i];
      const entries: Record<string, number> = alt ? { [alt.token]: alt.logprob, [tok]: s.logprobs[i]! } : { [tok]: s.logprobs[i]! };
      return Object.fromEntries(
        Object.entries(entries)
          .sort((a, b) => b[1] - a[1])
          .slice(0, Math.max(k, 1)),
      );
    });
    return { tokens: s.tokens, token_logprobs: s.logprobs, top_logprobs, text_offset };
  }

  function completions(body: Json): unknown {
    const model = known(body.model);
    if (model === o.embeddingModel) fail(404, "This is not a completions model.", "model"); // unconfirmed wording
    const echo = body.echo === true;
    const k = typeof body.logprobs === "number" ? body.logprobs : null;
    // reported by users of gpt-3.5-turbo-instruct since 2023-10 (e.g. fastai/lm-hackers#7, dust-tt/dust#2169);
    // param and code unconfirmed
    if (model === o.instructModel && echo && k !== null) fail(400, "Setting 'echo' and 'logprobs' at the same time is not supported for this model.");
    if (k !== null && (k < 0 || k > 5)) fail(400, "logprobs must be an integer between 0 and 5", "logprobs"); // unconfirmed wording
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : 16;
    const n = typeof body.n === "number" ? body.n : 1;
    const prompts = typeof body.prompt === "string" ? [body.prompt] : Array.isArray(body.prompt) ? (body.prompt as string[]) : [""];
    const stop = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? (body.stop as string[]) : [];
    const params = {
      temperature: typeof body.temperature === "number" ? body.temperature : 1,
      topP: typeof body.top_p === "number" ? body.top_p : 1,
      seed: typeof body.seed === "number" ? body.seed : undefined,
      maxTokens,
      stop,
    };
    const choices: unknown[] = [];
    let promptCount = 0;
    let completionCount = 0;
    prompts.forEach((prompt, i) => {
      const trailing = ctx.mergeTrailingSpace && echo && maxTokens > 0 ? (prompt.match(/\s+$/)?.[0] ?? "") : "";
      const pt = promptTokens(ctx, prompt, trailing !== "");
      promptCount += countPromptTokens(ctx, prompt);
      for (let j = 0; j < n; j++) {
        // echo with max_tokens 0 returns the prompt alone (how lm-evaluation-harness scored these models)
        const gen = maxTokens === 0 ? { text: "", finish: "length" as const } : generate(ctx, prompt, prompt, params, j, true);
        const gs = continuationTokens(ctx, prompt.slice(0, prompt.length - trailing.length), trailing + gen.text);
        completionCount += maxTokens === 0 ? 0 : gs.tokens.length;
        const scored: ScoredTokens = echo
          ? { tokens: [...pt.tokens, ...gs.tokens], logprobs: [...pt.logprobs, ...gs.logprobs], alternatives: [...pt.alternatives, ...gs.alternatives] }
          : gs;
        choices.push({
          text: echo ? prompt + gen.text : gen.text,
          index: i * n + j,
          logprobs: k === null ? null : legacyLogprobs(scored, k),
          finish_reason: gen.finish === "length" ? "length" : "stop",
        });
      }
    });
    return {
      id: `cmpl-${randomHex(ctx, 29)}`,
      object: "text_completion",
      created: nowSeconds(),
      model,
      choices,
      usage: { prompt_tokens: promptCount, completion_tokens: completionCount, total_tokens: promptCount + completionCount },
    };
  }

  function chat(body: Json): unknown {
    const model = known(body.model);
    // widely reported 404 for completions-only models on the chat endpoint
    fail(404, "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?", "model");
    return model;
  }

  function embeddings(body: Json): unknown {
    const model = known(body.model);
    if (model !== o.embeddingModel) fail(400, `The model \`${model}\` does not support embeddings.`, "model"); // unconfirmed wording
    const inputs = typeof body.input === "string" ? [body.input] : (body.input as string[]);
    const base64 = body.encoding_format === "base64";
    const n = inputs.reduce((s, t) => s + countPromptTokens(ctx, t), 0);
    return {
      object: "list",
      data: inputs.map((t, index) => ({ object: "embedding", index, embedding: embedding(ctx, t, base64) })),
      model,
      usage: { prompt_tokens: n, total_tokens: n },
    };
  }

  const models = () => ({ object: "list", data: all.map((id) => ({ id, object: "model", created: 1_692_634_615, owned_by: "system" })) });

  const routes: Record<string, { method: string; run: (body: Json) => unknown }> = {
    "/v1/models": { method: "GET", run: models },
    "/v1/completions": { method: "POST", run: completions },
    "/v1/chat/completions": { method: "POST", run: chat },
    "/v1/embeddings": { method: "POST", run: embeddings },
  };

  return (req) => {
    if (ctx.apiKey !== undefined) {
      const header = String(req.headers.authorization ?? "");
      const given = header.replace(/^Bearer\s+/i, "");
      if (!header) {
        // the well-known missing-key message
        return jsonReply(401, {
          error: {
            message:
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
            type: "invalid_request_error",
            param: null,
            code: null,
          },
        });
      }
      if (given !== ctx.apiKey) {
        // OpenAI masks the key it echoes (the exact masking is unconfirmed)
        const masked = given.length > 8 ? `${given.slice(0, 3)}${"*".repeat(given.length - 7)}${given.slice(-4)}` : "****";
        return jsonReply(401, {
          error: {
            message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            type: "invalid_request_error",
            param: null,
            code: "invalid_api_key",
          },
        });
      }
    }
    const route = routes[req.path];
    if (!route || route.method !== req.method) {
      return jsonReply(404, { error: { message: `Invalid URL (${req.method} ${req.path})`, type: "invalid_request_error", param: null, code: null } });
    }
    let body: Json = {};
    if (req.method === "POST") {
      try {
        body = JSON.parse(req.raw) as Json;
      } catch {
        return jsonReply(400, {
          error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error", param: null, code: null },
        });
      }
    }
    return jsonReply(200, route.run(body));
  };
}
