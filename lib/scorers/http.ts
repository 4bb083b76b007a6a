// One JSON POST with a timeout, retried with exponential backoff on 429, 5xx, timeouts and connection errors.
// Errors never contain the API key (it is scrubbed from every message).
import { sleep } from "@/lib/llm/retry";
import { scrubSecrets } from "@/lib/llm/errors";
import { backOff, waitForSlot } from "./rate";
import { ScorerError } from "./types";

export interface PostOptions {
  /** Pacing key and rate (requests per second). */
  rateKey: string;
  qps: number;
  headers?: Record<string, string>;
  secret?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** What the service is, for messages ("Perspective API at https://…"). */
  what: string;
}

export async function postJson(url: string, body: unknown, opts: PostOptions): Promise<unknown> {
  const maxRetries = opts.maxRetries ?? 6;
  const scrub = (s: string) => scrubSecrets(s, opts.secret);
  let last: ScorerError | null = null;
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    if (attempt > 0) await sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)), opts.signal);
    await waitForSlot(opts.rateKey, opts.qps, opts.signal);
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...opts.headers }, body: JSON.stringify(body), signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const timedOut = timeout.aborted;
      last = new ScorerError(
        scrub(`${opts.what}: ${timedOut ? "no answer within the timeout" : `cannot connect (${(err as Error).message})`}`),
        timedOut ? "timeout" : "connection",
        true,
      );
      continue;
    }
    const text = await res.text().catch(() => "");
    if (res.ok) {
      try {
        return JSON.parse(text);
      } catch {
        last = new ScorerError(scrub(`${opts.what}: the answer is not JSON`), "malformed_response", true, res.status);
        continue;
      }
    }
    const detail = scrub(text.slice(0, 300));
    if (res.status === 429) {
      backOff(opts.rateKey, 1000);
      last = new ScorerError(`${opts.what}: rate limited (429): ${detail}`, "rate_limited", true, 429);
      continue;
    }
    if (res.status >= 500) {
      last = new ScorerError(`${opts.what}: server error ${res.status}: ${detail}`, "server", true, res.status);
      continue;
    }
    const keyProblem = res.status === 401 || res.status === 403 || /api key/i.test(text);
    throw new ScorerError(
      `${opts.what}: ${keyProblem ? "the API key was refused" : "the request was refused"} (${res.status}): ${detail}`,
      keyProblem ? "auth" : "bad_request",
      false,
      res.status,
    );
  }
  throw last ?? new ScorerError(`${opts.what}: failed`, "server", true);
}
