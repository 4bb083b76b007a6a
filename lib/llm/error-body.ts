// Serving engines answer errors in different shapes; the openai package reads only `{"error": {"message"}}` and
// loses the server's message otherwise. Error bodies are rewritten into that shape before the package sees them:
//   {"error": {"message", "type", "param", "code"}}  OpenAI, current vLLM, llama.cpp, Ollama
//   {"error": "text", "error_type": "validation"}     TGI (router/src/lib.rs ErrorResponse)
//   {"object": "error", "message", "type", "code"}   older vLLM (entrypoints/openai/protocol.py ErrorResponse)
//   {"detail": "text" | [{loc, msg}]}                FastAPI (a route a vLLM version lacks, request validation)
//   plain text                                       proxies, llama.cpp's "File Not Found", HTML error pages

export interface ServerError {
  message: string;
  type?: string;
  code?: string | number | null;
  param?: string | null;
}

const MAX_MESSAGE = 2_000;

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** The server's own error, whatever shape it came in; null for an empty body. */
export function parseErrorBody(text: string): ServerError | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // Not JSON: an HTML page gets its title or text, without markup.
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    const plain = (title ?? trimmed.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();
    return { message: plain.slice(0, MAX_MESSAGE) };
  }
  if (!json || typeof json !== "object") return { message: String(json).slice(0, MAX_MESSAGE) };
  const o = json as Record<string, unknown>;
  const err = o.error;
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    const message = str(e.message) ?? JSON.stringify(e.message ?? e);
    return {
      message: message.slice(0, MAX_MESSAGE),
      type: str(e.type),
      code: (e.code as string | number | null | undefined) ?? null,
      param: str(e.param) ?? null,
    };
  }
  if (typeof err === "string") return { message: err.slice(0, MAX_MESSAGE), type: str(o.error_type) ?? str(o.type) };
  if (typeof o.message === "string")
    return {
      message: o.message.slice(0, MAX_MESSAGE),
      type: str(o.type),
      code: (o.code as string | number | null | undefined) ?? null,
      param: str(o.param) ?? null,
    };
  if (typeof o.detail === "string") return { message: o.detail.slice(0, MAX_MESSAGE) };
  if (Array.isArray(o.detail)) {
    const parts = o.detail.map((d) => {
      const x = d as { loc?: unknown[]; msg?: unknown };
      return `${Array.isArray(x.loc) ? x.loc.join(".") + ": " : ""}${str(x.msg) ?? JSON.stringify(d)}`;
    });
    return { message: parts.join("; ").slice(0, MAX_MESSAGE), type: "validation" };
  }
  return { message: trimmed.slice(0, MAX_MESSAGE) };
}

/**
 * A fetch whose error responses carry `{"error": {...}}`, so that the openai package keeps the server's message.
 * Successful responses pass through untouched.
 */
export function withOpenAiErrorShape(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.ok) return res;
    const parsed = parseErrorBody(await res.text());
    const body = JSON.stringify({ error: parsed ?? { message: `HTTP ${res.status} with an empty body` } });
    const headers = new Headers(res.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
