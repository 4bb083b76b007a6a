// The one error type the model client throws: what went wrong, whether retrying can help, and what to fix.
// Messages never contain the credential (see scrubSecrets).
import { LineageError } from "@/lib/errors";

export type LlmErrorKind =
  | "bad_request"
  | "auth"
  | "not_found"
  | "rate_limited"
  | "server"
  | "timeout"
  | "connection"
  | "malformed_response"
  /** The response was larger than its cap (lib/llm/node-fetch.ts): not retried, the same request gets the same. */
  | "too_large"
  | "unsupported"
  /** Echoed tokens that cannot be matched to the text sent: that item is not scored (METRICS.md §2). */
  | "unaligned";

export interface LlmErrorInit {
  kind: LlmErrorKind;
  retryable: boolean;
  status?: number;
  /** How long the server asked us to wait (Retry-After / retry-after-ms), when it did. */
  retryAfterMs?: number;
  /** The server's own error text (scrubbed), for display next to the message. */
  detail?: string;
}

/** Every kind is a failure of the endpoint Lineage calls: `unavailable` to the boundaries (lib/errors.ts). */
export class LlmError extends LineageError<LlmErrorKind> {
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly detail?: string;

  constructor(message: string, init: LlmErrorInit) {
    super(message, { kind: init.kind, category: "unavailable" });
    this.name = "LlmError";
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.detail !== undefined) this.detail = init.detail;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, retryable: this.retryable, status: this.status, message: this.message, detail: this.detail };
  }
}

export function isLlmError(e: unknown): e is LlmError {
  return e instanceof LlmError;
}

/**
 * Removes a credential from text: the key itself, bearer tokens, and the "Incorrect API key provided: …"
 * echo some servers put in their 401 body (sometimes only partly masked).
 */
export function scrubSecrets(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join("[redacted]");
  out = out.replace(/(Bearer\s+)[^\s"',;]+/gi, "$1[redacted]");
  out = out.replace(/(API key provided:?\s*)[^\s"',;]+/gi, "$1[redacted]");
  out = out.replace(/([?&](?:key|api_key|apikey|access_token)=)[^&\s"']+/gi, "$1[redacted]");
  out = out.replace(/\bsk-[A-Za-z0-9_\-*]{8,}/g, "[redacted]");
  return out;
}
