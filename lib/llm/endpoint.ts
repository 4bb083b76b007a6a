// What the model client needs to reach one served model. The credential is resolved by the caller
// (model registry: env var or encrypted secret); this module never logs it.

export interface Endpoint {
  /** OpenAI-compatible base URL, usually ending in /v1 (e.g. http://localhost:8000/v1). */
  baseUrl: string;
  /** The served model id (vLLM --served-model-name, Ollama tag, hosted model name). */
  modelId: string;
  apiKey?: string;
  /** Requests in flight at once for this (baseUrl, modelId), across the whole process. */
  concurrency: number;
  /** Per attempt, from the moment the request leaves the queue. Default 60 s. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures. Default 4. */
  maxRetries?: number;
  /** What is already known (stored on the model) about requests for several choices (n > 1) being refused. */
  singleChoice?: Partial<Record<ChoiceMode, boolean>>;
  /** Told when the endpoint is found to refuse n > 1 (or to return fewer choices), so that it can be stored. */
  onSingleChoice?: (mode: ChoiceMode) => void;
  /** Where embeddings come from when not this model (vLLM, Ollama and OpenAI embed with a separate model). */
  embeddings?: Endpoint;
}

/** Greedy and sampled requests are told apart: some servers refuse n > 1 only at temperature 0. */
export type ChoiceMode = "greedy" | "sampled";

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 4;

/** Identity of an endpoint for shared state (limiter, capability memory): base URL + model id. */
export function endpointKey(e: Pick<Endpoint, "baseUrl" | "modelId">): string {
  return `${normalizeBaseUrl(e.baseUrl)}\u0000${e.modelId}`;
}

export function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, "");
}
