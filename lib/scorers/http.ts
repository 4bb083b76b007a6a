// One JSON POST with a timeout, retried with exponential backoff on 429, 5xx, timeouts and connection errors.
// Errors never contain the API key (it is scrubbed from every message). Answers are read up to a size cap: a scorer
// answers a few hundred bytes, and an endpoint that streams without end must not fill the server's memory.
import { sleep } from "@/lib/llm/retry";
import { scrubSecrets } from "@/lib/llm/errors";
import { backOff, waitForSlot } from "./rate";
import { ScorerError } from "./types";

/** Largest scorer answer read (bytes). */
export const SCORER_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

class TooLarge extends Error {}

/** The body as text, refusing (and cancelling) one larger than maxBytes, by its Content-Length or as it arrives. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new TooLarge();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface PostOptions {
  /** Pacing key and rate (requests per second). */
  rateKey: string;
  qps: number;
  headers?: Record<string, string>;
  secret?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** Largest answer read; default SCORER_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
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
    const maxBytes = opts.maxResponseBytes ?? SCORER_MAX_RESPONSE_BYTES;
    let text: string;
    try {
      text = await readCapped(res, maxBytes);
    } catch (err) {
      // Not retried: the same request gets the same oversized answer.
      if (err instanceof TooLarge)
        throw new ScorerError(`${opts.what}: the endpoint's response exceeded ${formatMiB(maxBytes)} MiB`, "too_large", false, res.status);
      text = "";
    }
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

function formatMiB(bytes: number): string {
  return String(+(bytes / (1024 * 1024)).toFixed(2));
}
