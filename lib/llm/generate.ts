// Text generation through chat completions or completions, with n samples per prompt.
// Servers that refuse n > 1 (llama.cpp with a 500 "Only one completion choice is allowed", vLLM with greedy
// sampling, TGI) or silently return fewer choices (Ollama) get n separate requests instead, remembered per endpoint
// and per greedy/sampled (and stored on the model through `onSingleChoice`, so a restart does not ask again).
// With a seed, request i uses seed + i, so the first sample equals what a single seeded request returns and the
// others are distinct and reproducible; without a seed the server's own sampling varies them. Parameters at their
// neutral value (top_p 1, n 1) are not sent: TGI refuses top_p = 1 (validation.rs: "top_p must be > 0.0 and < 1.0").

import { endpointKey, type ChoiceMode, type Endpoint } from "./endpoint";
import { LlmError } from "./errors";
import { callEndpoint, malformed, type CallOptions } from "./request";

export interface GenerateRequest {
  mode: "chat" | "completion";
  prompt: string;
  /** Chat only: an optional system message before the prompt. */
  system?: string;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string | string[];
  /** Samples for this prompt (default 1). */
  n?: number;
}

export interface GenerateOutput {
  text: string;
  /** "stop" | "length" | … as the server says; null when it does not. */
  finishReason: string | null;
}

export interface GenerateResult {
  outputs: GenerateOutput[];
  /** Summed over the requests made; null when the server reports no usage. */
  usage: { promptTokens: number; completionTokens: number } | null;
  latencyMs: number;
  /** HTTP attempts made in total (retries and n fallback requests included). */
  attempts: number;
}

export type GenerateOptions = CallOptions;

/** Endpoints (and greedy/sampled) known to serve only one choice per request. */
const noMultiChoice = new Set<string>();

export function choiceMode(temperature: number | undefined): ChoiceMode {
  return temperature === 0 ? "greedy" : "sampled";
}

function singleChoiceKey(endpoint: Endpoint, mode: ChoiceMode): string {
  return `${endpointKey(endpoint)}\u0000${mode}`;
}

export function supportsMultipleChoices(endpoint: Endpoint, mode: ChoiceMode = "sampled"): boolean | undefined {
  return endpoint.singleChoice?.[mode] || noMultiChoice.has(singleChoiceKey(endpoint, mode)) ? false : undefined;
}

/** Record that the endpoint serves one choice per request (found by a probe or a refusal), and tell its owner. */
export function rememberNoMultipleChoices(endpoint: Endpoint, mode: ChoiceMode = "sampled"): void {
  const key = singleChoiceKey(endpoint, mode);
  if (noMultiChoice.has(key)) return;
  noMultiChoice.add(key);
  endpoint.onSingleChoice?.(mode);
}

interface OneResult {
  outputs: GenerateOutput[];
  usage: { promptTokens: number; completionTokens: number } | null;
  attempts: number;
}

/** A refusal about n / best_of, whatever its status code (llama.cpp: 500): the server wants one choice per request. */
export function isMultipleChoiceRefusal(err: unknown): boolean {
  if (!(err instanceof LlmError) || !["bad_request", "unsupported", "server"].includes(err.kind)) return false;
  const text = err.detail ?? err.message;
  return /\bn\b|best_of|\bn\s*[=>]|one (completion )?choice|n must be|n_cmpl|multiple choices|num_return_sequences/i.test(text);
}

export async function generate(endpoint: Endpoint, req: GenerateRequest, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const started = performance.now();
  const n = req.n ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer (got ${n})`);
  let attempts = 0;
  let outputs: GenerateOutput[] = [];
  const usages: OneResult["usage"][] = [];
  const mode = choiceMode(req.temperature);

  if (n === 1 || supportsMultipleChoices(endpoint, mode) !== false) {
    try {
      const r = await requestOnce(endpoint, req, n, req.seed, opts);
      attempts += r.attempts;
      outputs = r.outputs;
      usages.push(r.usage);
      if (n > 1 && outputs.length < n) rememberNoMultipleChoices(endpoint, mode); // silently ignored n (e.g. Ollama)
    } catch (err) {
      if (n > 1 && isMultipleChoiceRefusal(err)) {
        rememberNoMultipleChoices(endpoint, mode);
        attempts += 1;
      } else {
        throw err;
      }
    }
  }

  if (outputs.length < n) {
    // One request per missing sample, in parallel (the limiter bounds them).
    const have = outputs.length;
    const rest = await Promise.all(
      Array.from({ length: n - have }, (_, i) => requestOnce(endpoint, req, 1, req.seed === undefined ? undefined : req.seed + have + i, opts)),
    );
    for (const r of rest) {
      attempts += r.attempts;
      outputs.push(...r.outputs.slice(0, 1));
      usages.push(r.usage);
    }
  }

  const usage = usages.every((u) => u !== null)
    ? usages.reduce((acc, u) => ({ promptTokens: acc.promptTokens + u!.promptTokens, completionTokens: acc.completionTokens + u!.completionTokens }), {
        promptTokens: 0,
        completionTokens: 0,
      })
    : null;
  return { outputs: outputs.slice(0, n), usage, latencyMs: performance.now() - started, attempts };
}

async function requestOnce(endpoint: Endpoint, req: GenerateRequest, n: number, seed: number | undefined, opts: GenerateOptions): Promise<OneResult> {
  const common = {
    model: endpoint.modelId,
    ...(req.temperature !== undefined && { temperature: req.temperature }),
    ...(req.top_p !== undefined && req.top_p < 1 && { top_p: req.top_p }),
    ...(req.max_tokens !== undefined && { max_tokens: req.max_tokens }),
    ...(seed !== undefined && { seed }),
    // An array even for one sequence: TGI's JSON parser refuses a string `stop` (422).
    ...(req.stop !== undefined && { stop: Array.isArray(req.stop) ? req.stop : [req.stop] }),
    ...(n !== 1 && { n }),
  };
  if (req.mode === "chat") {
    const op = "chat completion";
    const messages = [...(req.system !== undefined ? [{ role: "system" as const, content: req.system }] : []), { role: "user" as const, content: req.prompt }];
    const { value, attempts } = await callEndpoint(
      endpoint,
      op,
      async ({ client, requestOptions }) => {
        const res = await client.chat.completions.create({ ...common, messages, stream: false }, requestOptions);
        if (!res || !Array.isArray(res.choices) || res.choices.length === 0) throw malformed(op, endpoint, "no choices");
        return res;
      },
      opts,
    );
    const choices = [...value.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return {
      outputs: choices.map((c) => ({ text: c.message?.content ?? "", finishReason: c.finish_reason ?? null })),
      usage: toUsage(value.usage),
      attempts,
    };
  }
  const op = "completion";
  const { value, attempts } = await callEndpoint(
    endpoint,
    op,
    async ({ client, requestOptions }) => {
      const res = await client.completions.create({ ...common, prompt: req.prompt, stream: false }, requestOptions);
      if (!res || !Array.isArray(res.choices) || res.choices.length === 0) throw malformed(op, endpoint, "no choices");
      return res;
    },
    opts,
  );
  const choices = [...value.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return {
    outputs: choices.map((c) => ({ text: c.text ?? "", finishReason: c.finish_reason ?? null })),
    usage: toUsage(value.usage),
    attempts,
  };
}

function toUsage(u: { prompt_tokens?: number; completion_tokens?: number } | undefined | null): OneResult["usage"] {
  if (!u || typeof u.prompt_tokens !== "number" || typeof u.completion_tokens !== "number") return null;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
}
