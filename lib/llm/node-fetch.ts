// A minimal fetch on node:http(s) with keep-alive agents, given to the openai client. Node's global fetch
// (undici) and its web-stream Response cost about 1 ms of CPU per request here, several times node:http's; at
// 32 requests in flight that CPU, not the server, bounded throughput. Bodies are small JSON, so the response is
// buffered whole and returned as a light Response look-alike (what the openai package reads: status, ok,
// headers, text(), json()): a connection dropped mid-body rejects the fetch itself (a retryable connection
// error). Anything unusual (streaming, form data, other protocols) goes to the global fetch.
// Bodies are capped (ResponseTooLargeError, not retried): an endpoint answering without end would otherwise fill
// the server's memory. The model list (GET …/models, Test connection) has a much smaller cap than the answers.

import http from "node:http";
import https from "node:https";
import { errorOfKind } from "@/lib/errors";

const MiB = 1024 * 1024;
/** Cap of a model endpoint's answer: LINEAGE_MAX_RESPONSE_MIB, default 32 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * MiB;
/** Cap of a model list (GET …/models): a few thousand ids at most. */
export const MODEL_LIST_MAX_RESPONSE_BYTES = 4 * MiB;

/** Thrown (as the fetch's rejection) when a response is larger than its cap. */
export class ResponseTooLargeError extends errorOfKind("unavailable") {
  readonly code = "LINEAGE_RESPONSE_TOO_LARGE";
  constructor(
    readonly limitBytes: number,
    /** Whether LINEAGE_MAX_RESPONSE_MIB sets this cap (the model list's is fixed). */
    readonly adjustable: boolean,
  ) {
    super(`the endpoint's response exceeded ${+(limitBytes / MiB).toFixed(2)} MiB`);
    this.name = "ResponseTooLargeError";
  }
}

/** The cap of one response, and whether LINEAGE_MAX_RESPONSE_MIB sets it. */
export function responseCap(method: string, url: URL, env: Record<string, string | undefined> = process.env): { bytes: number; adjustable: boolean } {
  if (method.toUpperCase() === "GET" && /\/models\/?$/.test(url.pathname)) return { bytes: MODEL_LIST_MAX_RESPONSE_BYTES, adjustable: false };
  const mib = Number(env.LINEAGE_MAX_RESPONSE_MIB);
  return { bytes: mib > 0 ? Math.floor(mib * MiB) : DEFAULT_MAX_RESPONSE_BYTES, adjustable: true };
}

const agentOptions = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: "lifo" as const };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

function toHeaderRecord(h: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) {
    h.forEach((v, k) => (out[k] = v));
  } else if (Array.isArray(h)) {
    for (const [k, v] of h) out[k.toLowerCase()] = v;
  } else {
    for (const [k, v] of Object.entries(h)) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  }
  return out;
}

function abortReason(signal: AbortSignal): Error {
  const r = signal.reason;
  if (r instanceof Error && r.name === "AbortError") return r;
  return new DOMException("The operation was aborted.", "AbortError");
}

export async function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  if (
    input instanceof Request ||
    (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array)) ||
    (typeof body === "string" && body.includes('"stream":true'))
  ) {
    return fetch(input, init);
  }
  const url = input instanceof URL ? input : new URL(input);
  const isHttps = url.protocol === "https:";
  if (!isHttps && url.protocol !== "http:") return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortReason(signal);

  const method = init.method ?? "GET";
  const { bytes: limit, adjustable } = responseCap(method, url);

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(err);
    };
    const onAbort = () => {
      req.destroy();
      fail(abortReason(signal!));
    };
    const req = (isHttps ? https : http).request(url, { method, headers: toHeaderRecord(init.headers), agent: isHttps ? httpsAgent : httpAgent }, (res) => {
      const tooLarge = () => {
        // The socket is not reused: the rest of the body is never read.
        fail(new ResponseTooLargeError(limit, adjustable));
        req.destroy();
      };
      if (Number(res.headers["content-length"]) > limit) return tooLarge();
      const chunks: Buffer[] = [];
      let received = 0;
      res.on("data", (c: Buffer) => {
        received += c.length;
        if (received > limit) return tooLarge();
        chunks.push(c);
      });
      res.on("error", (e) => fail(e));
      res.on("close", () => {
        if (settled) return;
        if (!res.complete) {
          fail(Object.assign(new Error("the connection was closed mid-response"), { code: "ECONNRESET" }));
          return;
        }
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        resolve(
          new BufferedResponse(
            res.statusCode ?? 502,
            res.statusMessage ?? "",
            url.toString(),
            new LightHeaders(res.headers),
            Buffer.concat(chunks),
          ) as unknown as Response,
        );
      });
    });
    req.on("error", (e) => fail(e));
    signal?.addEventListener("abort", onAbort, { once: true });
    req.end(body ?? undefined);
  });
}

/** Read-only response headers (lower-case names), the part of the Headers API the openai package uses. */
class LightHeaders {
  private readonly map = new Map<string, string>();
  constructor(raw: http.IncomingHttpHeaders) {
    for (const [k, v] of Object.entries(raw)) if (v !== undefined) this.map.set(k, Array.isArray(v) ? v.join(", ") : v);
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  forEach(fn: (value: string, key: string, parent: LightHeaders) => void): void {
    this.map.forEach((v, k) => fn(v, k, this));
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** A fully buffered response: no stream machinery (body is null, as after consumption). */
class BufferedResponse {
  readonly ok: boolean;
  readonly body = null;
  readonly redirected = false;
  readonly type = "basic";
  private used = false;
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
    readonly headers: LightHeaders,
    private readonly buf: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  get bodyUsed(): boolean {
    return this.used;
  }
  private consume(): Buffer {
    if (this.used) throw new TypeError("Body is unusable: Body has already been read");
    this.used = true;
    return this.buf;
  }
  async text(): Promise<string> {
    return this.consume().toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.consume().toString("utf8"));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.consume();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  clone(): BufferedResponse {
    return new BufferedResponse(this.status, this.statusText, this.url, this.headers, this.buf);
  }
}
