// One logical request to an endpoint: queued on the endpoint's limiter, one attempt per slot (the slot is
// released during backoff), a timeout per attempt, retries by the policy in retry.ts, failures as LlmError.

import type OpenAI from "openai";
import { clientFor } from "./client";
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type Endpoint } from "./endpoint";
import { LlmError } from "./errors";
import { limiterFor } from "./limiter";
import { abortError, classifyError, withRetry, type OnAttempt, type RetryPolicy } from "./retry";

export interface CallOptions {
  signal?: AbortSignal;
  /** Every failed attempt, retried or not. */
  onAttempt?: OnAttempt;
  retry?: Partial<RetryPolicy>;
}

export interface AttemptContext {
  client: OpenAI;
  /** Pass as the openai request options: the attempt's abort signal and timeout, no package retries. */
  requestOptions: { signal: AbortSignal; timeout: number; maxRetries: 0 };
}

export async function callEndpoint<T>(
  endpoint: Endpoint,
  operation: string,
  fn: (ctx: AttemptContext) => Promise<T>,
  opts: CallOptions = {},
): Promise<{ value: T; attempts: number }> {
  const client = clientFor(endpoint);
  const limiter = limiterFor(endpoint);
  const timeoutMs = endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const errorCtx = { baseUrl: endpoint.baseUrl, modelId: endpoint.modelId, apiKey: endpoint.apiKey, timeoutMs, operation };
  const timeoutError = () =>
    new LlmError(
      `${operation}: no response from ${endpoint.baseUrl} within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}: the server may be overloaded; raise the endpoint's timeout or lower its concurrency`,
      { kind: "timeout", retryable: true },
    );

  return withRetry(
    () =>
      limiter.run(async () => {
        if (opts.signal?.aborted) throw abortError(opts.signal);
        const controller = new AbortController();
        let timedOut = false;
        // Our own timer covers the whole attempt, body included (the package's covers the headers only).
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);
        const onAbort = () => controller.abort(opts.signal?.reason);
        opts.signal?.addEventListener("abort", onAbort, { once: true });
        try {
          return await fn({ client, requestOptions: { signal: controller.signal, timeout: Math.ceil(timeoutMs) + 1000, maxRetries: 0 } });
        } catch (err) {
          if (timedOut) throw timeoutError();
          throw err;
        } finally {
          clearTimeout(timer);
          opts.signal?.removeEventListener("abort", onAbort);
        }
      }),
    {
      policy: { maxRetries: endpoint.maxRetries ?? DEFAULT_MAX_RETRIES, ...(opts.retry ?? {}) },
      onAttempt: opts.onAttempt,
      signal: opts.signal,
      classify: (err) => classifyError(err, errorCtx),
      onRetryAfter: (ms) => limiter.pauseUntil(Date.now() + ms),
    },
  );
}

/** A response that parsed but lacks what the protocol promises: retryable, like a truncated body. */
export function malformed(operation: string, endpoint: Endpoint, what: string): LlmError {
  return new LlmError(`${operation}: ${endpoint.baseUrl} returned an unexpected response (${what})`, { kind: "malformed_response", retryable: true });
}
