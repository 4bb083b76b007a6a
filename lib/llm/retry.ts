// The retry policy of the model client (the openai package's own retries are off): exponential backoff
// with full jitter, Retry-After honoured, and a classification of every failure into an LlmError that says
// whether retrying can help and what to fix.

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { LlmError, scrubSecrets, type LlmErrorKind } from "./errors";
import { ResponseTooLargeError } from "./node-fetch";

export { LlmError, isLlmError, scrubSecrets, type LlmErrorKind } from "./errors";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff cap of retry i is min(maxDelayMs, baseDelayMs·2^i); the wait is uniform in [0, cap] (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error surfaces as rate_limited. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 120_000 };

/** One failed attempt, as reported to `onAttempt` (to be recorded on the item). */
export interface AttemptReport {
  /** 1-based. */
  attempt: number;
  error: LlmError;
  /** Milliseconds the attempt took. */
  durationMs: number;
  willRetry: boolean;
  /** The wait before the next attempt (0 when not retrying). */
  delayMs: number;
}

export type OnAttempt = (report: AttemptReport) => void;

export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * cap);
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;

function header(h: HeaderSource, name: string): string | null {
  if (!h) return null;
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name);
  const rec = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** Milliseconds to wait from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date; null if absent. */
export function parseRetryAfter(headers: HeaderSource, now: number = Date.now()): number | null {
  const ms = header(headers, "retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = header(headers, "retry-after");
  if (ra === null || ra.trim() === "") return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

export interface ErrorContext {
  baseUrl: string;
  modelId: string;
  apiKey?: string;
  timeoutMs?: number;
  /** What was being done, e.g. "chat completion" (goes into messages). */
  operation?: string;
}

function make(
  kind: LlmErrorKind,
  retryable: boolean,
  message: string,
  ctx: ErrorContext,
  extra: { status?: number; retryAfterMs?: number; detail?: string } = {},
): LlmError {
  return new LlmError(scrubSecrets(message, ctx.apiKey), {
    kind,
    retryable,
    status: extra.status,
    retryAfterMs: extra.retryAfterMs,
    detail: extra.detail === undefined ? undefined : scrubSecrets(extra.detail, ctx.apiKey),
  });
}

/** The error codes in an error's cause chain (undici nests them, sometimes in an AggregateError). */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== "object" || seen.has(e) || depth > 6) return;
    seen.add(e);
    const o = e as { code?: unknown; cause?: unknown; errors?: unknown; message?: unknown };
    if (typeof o.code === "string") codes.push(o.code);
    if (typeof o.message === "string") {
      if (/other side closed|socket hang up|terminated/i.test(o.message)) codes.push("SOCKET_CLOSED");
    }
    if (Array.isArray(o.errors)) o.errors.forEach((x) => visit(x, depth + 1));
    visit(o.cause, depth + 1);
  };
  visit(err, 0);
  return codes;
}

function findCause<T>(err: unknown, test: (e: unknown) => e is T): T | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    if (test(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** A server message saying it cannot do what was asked at all (llama.cpp and TGI answer some with 500/501). */
export const UNSUPPORTED_MESSAGE =
  /not supported|unsupported|not implemented|does not support|doesn't support|only one completion choice|only no echo|not enabled|start it with `?--embeddings|embeddings? (are|is) (not|disabled)|echo is not|logprobs? (is|are) not/i;

/** What a 404 means, from the server's message: no such model, a model the route does not serve, or no such route. */
function notFound(op: string, where: string, ctx: ErrorContext, detail: string | undefined, tail: string, status: number): LlmError {
  const d = detail ?? "";
  if (/chat model|not a chat model|not supported in the v1\/|did you mean to use|does not support (the )?(chat|completions?)/i.test(d)) {
    return make(
      "unsupported",
      false,
      `${op}: the endpoint does not serve this model on this route (404)${tail}: choose the other request mode (chat or completion), or see docs/engines.md`,
      ctx,
      { status, detail },
    );
  }
  if ((ctx.modelId && d.includes(ctx.modelId)) || /\bmodel\b.*(not found|does not exist|no such|unknown|not loaded|try pulling)/i.test(d)) {
    return make(
      "not_found",
      false,
      `model id "${ctx.modelId}" not found at ${where}: check the served model id (vLLM --served-model-name, llama.cpp --alias, the Ollama tag)${tail}`,
      ctx,
      { status, detail },
    );
  }
  return make(
    "unsupported",
    false,
    `${op}: ${where} has no such route (404)${tail}: this server does not offer ${op}; check that the base URL ends with /v1, and see docs/engines.md for what each engine serves`,
    ctx,
    { status, detail },
  );
}

function serverDetail(err: APIError): string | undefined {
  const body = err.error as { message?: unknown } | undefined;
  if (body && typeof body.message === "string") return body.message;
  return err.message?.replace(/^\d{3}\s*/, "") || undefined;
}

/** Maps any failure of a request to an LlmError; returns null for errors that are not about the request (bugs). */
export function classifyError(err: unknown, ctx: ErrorContext): LlmError | null {
  if (err instanceof LlmError) return err;
  const where = ctx.baseUrl;
  const op = ctx.operation ?? "request";
  if (err instanceof APIConnectionTimeoutError) {
    return make(
      "timeout",
      true,
      `${op}: no response from ${where} within ${fmtMs(ctx.timeoutMs)}: the server may be overloaded; raise the endpoint's timeout or lower its concurrency`,
      ctx,
    );
  }
  if (err instanceof APIError && !(err instanceof APIConnectionError) && !(err instanceof APIUserAbortError) && err.status !== undefined) {
    const status = err.status;
    const detail = serverDetail(err);
    const tail = detail ? ` (server said: ${detail})` : "";
    switch (true) {
      case status === 401:
        return make("auth", false, `the endpoint refused the credential: check the model's API key (HTTP 401)${tail}`, ctx, { status, detail });
      case status === 403:
        return make("auth", false, `the endpoint denied access (403) to model "${ctx.modelId}": check that the API key may use this model${tail}`, ctx, {
          status,
          detail,
        });
      case status === 404:
        return notFound(op, where, ctx, detail, tail, status);
      case status === 408:
        return make("timeout", true, `${op}: the server timed out the request (408)${tail}`, ctx, { status, detail });
      case status === 409:
        return make("server", true, `${op}: conflict at the server (409), retrying${tail}`, ctx, { status, detail });
      case status === 429: {
        const retryAfterMs = parseRetryAfter(err.headers) ?? undefined;
        return make(
          "rate_limited",
          true,
          `${op}: rate limited by ${where} (429)${retryAfterMs !== undefined ? `, asked to wait ${fmtMs(retryAfterMs)}` : ""}: lower the endpoint's concurrency if this persists${tail}`,
          ctx,
          { status, detail, retryAfterMs },
        );
      }
      case status === 501 || (status >= 500 && !!detail && UNSUPPORTED_MESSAGE.test(detail)):
        // Retrying cannot help: the server says it cannot do this (llama.cpp refuses n > 1 with a 500).
        return make("unsupported", false, `${op}: ${where} cannot do this (${status})${tail}`, ctx, { status, detail });
      case status >= 500:
        return make("server", true, `${op}: server error ${status} at ${where}${tail}`, ctx, {
          status,
          detail,
          retryAfterMs: parseRetryAfter(err.headers) ?? undefined,
        });
      default:
        return make(
          "bad_request",
          false,
          `${op}: the endpoint rejected the request (${status})${tail}: check the decoding parameters this server accepts`,
          ctx,
          { status, detail },
        );
    }
  }
  // The openai package wraps the fetch's rejection in an APIConnectionError: found in the cause chain.
  const tooLarge = findCause(err, (e): e is ResponseTooLargeError => e instanceof ResponseTooLargeError);
  if (tooLarge)
    return make(
      "too_large",
      false,
      `${op}: ${tooLarge.message} (${where}), not retried: check the base URL${tooLarge.adjustable ? ", or raise LINEAGE_MAX_RESPONSE_MIB if answers this large are expected" : ""}`,
      ctx,
    );
  if (err instanceof SyntaxError) {
    return make("malformed_response", true, `${op}: ${where} returned a response that is not valid JSON (${err.message})`, ctx);
  }
  if (err instanceof APIConnectionError || (err instanceof TypeError && /fetch failed|terminated|network/i.test(err.message))) {
    const codes = causeCodes(err);
    const has = (...c: string[]) => codes.some((x) => c.includes(x));
    if (has("ENOTFOUND")) return make("connection", false, `cannot resolve the host of ${where} (DNS): check the base URL`, ctx);
    if (has("EAI_AGAIN")) return make("connection", true, `temporary DNS failure resolving ${where}`, ctx);
    if (has("ECONNREFUSED")) return make("connection", true, `connection refused at ${where}: is the server running, and is the port right?`, ctx);
    if (codes.some((c) => /^(CERT_|ERR_TLS|ERR_SSL|UNABLE_TO_VERIFY|DEPTH_ZERO|SELF_SIGNED|EPROTO)/.test(c))) {
      return make(
        "connection",
        false,
        `TLS handshake with ${where} failed (${codes.find((c) => /CERT|TLS|SSL|VERIFY|SIGNED|EPROTO/.test(c))}): check http vs https and the server's certificate`,
        ctx,
      );
    }
    if (has("ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT")) {
      return make("timeout", true, `${op}: timed out talking to ${where}`, ctx);
    }
    if (has("EHOSTUNREACH", "ENETUNREACH")) return make("connection", true, `host of ${where} unreachable: check the network and the base URL`, ctx);
    const what = has("ECONNRESET", "UND_ERR_SOCKET", "SOCKET_CLOSED", "EPIPE") ? "the connection was reset or closed mid-response" : "connection failed";
    return make("connection", true, `${op}: ${what} (${where})${codes.length ? ` [${[...new Set(codes)].join(", ")}]` : ""}`, ctx);
  }
  return null;
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return "the timeout";
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  onAttempt?: OnAttempt;
  signal?: AbortSignal;
  /** Turns a thrown error into an LlmError (null: rethrow unchanged). */
  classify: (err: unknown) => LlmError | null;
  /** Called before waiting on a Retry-After (the endpoint-wide pause). */
  onRetryAfter?: (ms: number) => void;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, a failure is not retryable, or the retries are spent. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, opts: RetryOptions): Promise<{ value: T; attempts: number }> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...(opts.policy ?? {}) };
  for (let n = 1; ; n++) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    const started = Date.now();
    try {
      return { value: await attempt(n), attempts: n };
    } catch (raw) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      const error = opts.classify(raw);
      if (!error) throw raw;
      let willRetry = error.retryable && n <= policy.maxRetries;
      let delayMs = 0;
      if (willRetry) {
        if (error.retryAfterMs !== undefined) {
          if (error.retryAfterMs > policy.maxRetryAfterMs) willRetry = false;
          else delayMs = error.retryAfterMs;
        } else {
          delayMs = backoffDelayMs(n - 1, policy, opts.random);
        }
      }
      opts.onAttempt?.({ attempt: n, error, durationMs: Date.now() - started, willRetry, delayMs });
      if (!willRetry) throw error;
      if (error.retryAfterMs !== undefined) opts.onRetryAfter?.(delayMs);
      await sleep(delayMs, opts.signal);
    }
  }
}
