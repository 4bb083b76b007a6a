// The model client: generation, log-likelihood of given text, embeddings, capability probing.
export * from "./endpoint";
export * from "./errors";
export { ConcurrencyLimiter, limiterFor } from "./limiter";
export { DEFAULT_RETRY_POLICY, backoffDelayMs, classifyError, parseRetryAfter, withRetry, type AttemptReport, type OnAttempt, type RetryPolicy } from "./retry";
export { generate, isMultipleChoiceRefusal, type GenerateOptions, type GenerateOutput, type GenerateRequest, type GenerateResult } from "./generate";
export {
  continuationLogprobs,
  sentenceLogprobs,
  type ContinuationLogprobs,
  type ContinuationPair,
  type LoglikelihoodOptions,
  type SentenceLogprobs,
} from "./loglikelihood";
export { embed, type EmbedOptions } from "./embeddings";
export { listModels, probeCapabilities, type Cap, type Capabilities } from "./probe";
export type { CallOptions } from "./request";
