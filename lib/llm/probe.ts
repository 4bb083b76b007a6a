// What an endpoint can do, each capability checked with one tiny real request, and the "test connection"
// action. A benchmark whose capability is missing is marked "not supported" with the reason shown here.

import { DEFAULT_TIMEOUT_MS, type Endpoint } from "./endpoint";
import { LlmError } from "./errors";
import { embed } from "./embeddings";
import { rememberNoMultipleChoices } from "./generate";
import { continuationLogprobs } from "./loglikelihood";
import { callEndpoint, malformed, type CallOptions } from "./request";

export interface Cap {
  supported: boolean;
  reason?: string;
}

export interface Capabilities {
  /** Served model ids, or null when /models failed (see modelsError). */
  models: string[] | null;
  modelsError?: string;
  chat: Cap;
  completions: Cap;
  echoLogprobs: Cap;
  embeddings: Cap;
  n: Cap;
}

/** Probes fail fast: one retry for a transient failure, short timeout. */
const PROBE: CallOptions = { retry: { maxRetries: 1, baseDelayMs: 200, maxRetryAfterMs: 5_000 } };

function probeEndpoint(endpoint: Endpoint): Endpoint {
  return { ...endpoint, timeoutMs: Math.min(endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS, 20_000) };
}

function why(err: unknown): string {
  if (err instanceof LlmError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export interface ServedModel {
  id: string;
  /** "llamacpp" for llama.cpp's server, the repo id itself for TGI, "vllm", an Ollama namespace… */
  ownedBy: string | null;
}

/** The served models (GET /models). Throws an LlmError that says what to fix; no retries (it is interactive). */
export async function listServedModels(endpoint: Endpoint, opts: CallOptions = {}): Promise<ServedModel[]> {
  const e = { ...endpoint, timeoutMs: Math.min(endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS, 10_000) };
  const op = "list models";
  const { value } = await callEndpoint(
    e,
    op,
    async ({ client, requestOptions }) => {
      const out: ServedModel[] = [];
      const page = await client.models.list(requestOptions);
      if (!page || !Array.isArray(page.data)) throw malformed(op, e, "no data array");
      for (const m of page.data) if (m && typeof m.id === "string") out.push({ id: m.id, ownedBy: typeof m.owned_by === "string" ? m.owned_by : null });
      return out;
    },
    { retry: { maxRetries: 0 }, ...opts },
  );
  return value;
}

/** The served model ids (GET /models). */
export async function listModels(endpoint: Endpoint, opts: CallOptions = {}): Promise<string[]> {
  return (await listServedModels(endpoint, opts)).map((m) => m.id);
}

/**
 * Servers that serve one model and ignore the request's `model` (llama.cpp lists its file name or --alias; TGI its
 * repo id): the engine's name, or null.
 */
export function singleModelEngine(served: ServedModel[]): "llama.cpp" | "TGI" | null {
  if (served.length !== 1) return null;
  if (served[0].ownedBy === "llamacpp") return "llama.cpp";
  if (served[0].ownedBy === served[0].id && served[0].id.includes("/")) return "TGI";
  return null;
}

export async function probeCapabilities(endpoint: Endpoint, opts: CallOptions = {}): Promise<Capabilities> {
  const e = probeEndpoint(endpoint);
  const o: CallOptions = { ...PROBE, ...opts };
  const cap = async (check: () => Promise<string | null>): Promise<Cap> => {
    try {
      const reason = await check();
      return reason === null ? { supported: true } : { supported: false, reason };
    } catch (err) {
      return { supported: false, reason: why(err) };
    }
  };

  const modelsP = listModels(e, opts).then(
    (ids) => ({ models: ids as string[] | null, modelsError: undefined as string | undefined }),
    (err) => ({ models: null, modelsError: why(err) }),
  );
  const chatP = cap(async () => {
    const { value } = await callEndpoint(
      e,
      "chat completion",
      ({ client, requestOptions }) =>
        client.chat.completions.create(
          { model: e.modelId, messages: [{ role: "user", content: "Say hello." }], max_tokens: 1, temperature: 0 },
          requestOptions,
        ),
      o,
    );
    return Array.isArray(value?.choices) && value.choices.length > 0 ? null : "chat completions returned no choices";
  });
  const completionsP = cap(async () => {
    const { value } = await callEndpoint(
      e,
      "completion",
      ({ client, requestOptions }) => client.completions.create({ model: e.modelId, prompt: "Hello", max_tokens: 1, temperature: 0 }, requestOptions),
      o,
    );
    return Array.isArray(value?.choices) && value.choices.length > 0 ? null : "completions returned no choices";
  });
  const echoP = cap(async () => {
    const [r] = await continuationLogprobs(e, [{ context: "The cat sat on", continuation: " the mat" }], o);
    return r.logprobs.length > 0 ? null : "completions with echo returned no log-probs for the continuation";
  });
  const embeddingsP = cap(async () => {
    const [v] = await embed(e, ["hello world"], o);
    return v.length > 0 ? null : "embeddings returned an empty vector";
  }).then((c) =>
    c.supported || e.embeddings
      ? c
      : { ...c, reason: `${c.reason} — vLLM, Ollama and OpenAI embed with a separate model: name it as this model's embeddings model (docs/engines.md)` },
  );
  const [chat, completions] = await Promise.all([chatP, completionsP]);
  const nP = cap(async () => {
    if (!chat.supported && !completions.supported) return "no generation endpoint (chat or completions) works";
    const choices = chat.supported
      ? (
          await callEndpoint(
            e,
            "chat completion (n=2)",
            ({ client, requestOptions }) =>
              client.chat.completions.create(
                { model: e.modelId, messages: [{ role: "user", content: "Say hello." }], max_tokens: 1, temperature: 1, n: 2 },
                requestOptions,
              ),
            o,
          )
        ).value.choices
      : (
          await callEndpoint(
            e,
            "completion (n=2)",
            ({ client, requestOptions }) =>
              client.completions.create({ model: e.modelId, prompt: "Hello", max_tokens: 1, temperature: 1, n: 2 }, requestOptions),
            o,
          )
        ).value.choices;
    return (choices?.length ?? 0) >= 2 ? null : `asked for n=2, got ${choices?.length ?? 0} choice(s): samples will be requested one at a time`;
  });
  const [models, echoLogprobs, embeddings, n] = await Promise.all([modelsP, echoP, embeddingsP, nP]);
  if (!n.supported && (chat.supported || completions.supported)) rememberNoMultipleChoices(endpoint, "sampled");
  return {
    models: models.models,
    ...(models.modelsError !== undefined && { modelsError: models.modelsError }),
    chat,
    completions,
    echoLogprobs,
    embeddings,
    n,
  };
}
