// Engine-faithful test servers (tests only, never product code): each imitates the HTTP surface of a serving
// engine researchers run — vLLM, llama.cpp's llama-server, Ollama's /v1 layer, Hugging Face TGI, a hosted legacy
// OpenAI completions model — with the response shapes, refusals and status codes read from the engine's own source
// (see tests/server/engines/*.ts and the "Engine servers" section of tests/server/README.md). Generation, scoring
// and embeddings come from tests/server/language-model.ts, so expected values can be computed in tests:
//   scoreTokens(srv.model, prompt, startToken.length, START_TOKEN_KEY, false)  — a prompt after a start token.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { defaultModels, type ModelConfig } from "./language-model";
import { EngineReplyError, type EngineContext, type EngineReply, type EngineRequest } from "./engines/common";
import { vllmHandler } from "./engines/vllm";
import { llamacppHandler } from "./engines/llamacpp";
import { ollamaHandler } from "./engines/ollama";
import { tgiHandler } from "./engines/tgi";
import { openAiLegacyHandler } from "./engines/openai-legacy";

export { START_TOKEN_KEY, tokenId } from "./engines/common";

export type EngineName = "vllm" | "vllm-old-errors" | "llamacpp" | "ollama" | "tgi" | "openai-legacy";

export interface EngineServerOptions {
  engine: EngineName;
  /**
   * The start (BOS) token the engine's tokenizer adds: "<s>" (Llama 2, Mistral), "<|begin_of_text|>" (Llama 3),
   * "<bos>" (Gemma); null for none (GPT-2, Qwen, OpenAI's tokenizers). Default "<s>" for vllm / llamacpp / tgi /
   * ollama; always null for openai-legacy. Only vLLM echoes it; the others only count it in usage.prompt_tokens.
   */
  startToken?: string | null;
  /**
   * vllm: an embedding model (--runner pooling) — /v1/embeddings served, no completion routes.
   * llamacpp: started with --embeddings. ollama: an embedding model is installed next to the chat model.
   * openai-legacy: an embedding model is listed. tgi: not available (throws).
   */
  embeddings?: boolean;
  /**
   * The served name: vLLM --served-model-name, llama.cpp --alias (none by default: the GGUF file name is listed),
   * Ollama model name, TGI --model-id (the Hub repo id), the OpenAI model.
   */
  modelId?: string;
  /** Which tiny model profile answers (default tiny-llama). */
  profile?: string;
  latencyMs?: number;
  /** vllm / llamacpp / tgi: --api-key; openai-legacy: the account key. Ollama has none (ignored). */
  apiKey?: string;
  /** Tokenizer option: with echo and generation, a prompt's trailing whitespace is merged into the first generated token. */
  mergeTrailingSpace?: boolean;
  port?: number;
  host?: string;
  // ---- per engine
  /** vllm: `root` in /v1/models (the path given to vllm serve); default the model id. */
  modelRoot?: string;
  /** vllm: --max-model-len (default 4096). */
  maxModelLen?: number;
  /** vllm: --max-logprobs (default 20). */
  maxLogprobs?: number;
  /** llamacpp: -m (default /models/tiny-llama-7b.Q8_0.gguf). */
  modelPath?: string;
  /** llamacpp: -np, the most completions a request may ask for (default 4). */
  slots?: number;
  /** llamacpp: imitate the older examples/server builds (n refused with 500, /v1/models id = -m path). */
  legacy?: boolean;
  /** ollama / openai-legacy: the embedding model's name. */
  embeddingModel?: string;
  /** tgi: its version (system_fingerprint "<version>-native"). */
  version?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON (undefined when empty). */
  body: unknown;
  status: number;
}

export interface EngineServer {
  url: string;
  /** `${url}/v1` */
  baseUrl: string;
  port: number;
  engine: EngineName;
  /** The tiny model behind the served name (its id is the served name): score with it to get expected values. */
  model: ModelConfig;
  startToken: string | null;
  /** Every request received, in order. */
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const DEFAULT_MODEL_ID: Record<EngineName, string> = {
  vllm: "meta-llama/Llama-2-7b-hf",
  "vllm-old-errors": "meta-llama/Llama-2-7b-hf",
  llamacpp: "tiny-llama-7b.Q8_0.gguf",
  ollama: "llama3.2:latest",
  tgi: "mistralai/Mistral-7B-v0.1",
  "openai-legacy": "davinci-002",
};

export async function startEngineServer(opts: EngineServerOptions): Promise<EngineServer> {
  const engine = opts.engine;
  if (engine === "tgi" && opts.embeddings) throw new Error("TGI serves no embeddings (that is text-embeddings-inference, a separate server)");
  const base = defaultModels()[opts.profile ?? "tiny-llama"];
  if (!base) throw new Error(`unknown profile ${opts.profile}`);
  const modelPath = opts.modelPath ?? `/models/${DEFAULT_MODEL_ID.llamacpp}`;
  // the served name: llama.cpp lists its --alias, else the file name (legacy builds: the -m path)
  const modelId =
    engine === "llamacpp" ? (opts.modelId ?? (opts.legacy ? modelPath : modelPath.split("/").pop()!)) : (opts.modelId ?? DEFAULT_MODEL_ID[engine]);
  const model: ModelConfig = { ...base, id: modelId, flags: { ...base.flags, logprobGaps: false } };
  const startToken = engine === "openai-legacy" ? null : opts.startToken === undefined ? "<s>" : opts.startToken;
  let idCounter = 0;
  const ctx: EngineContext = {
    model,
    startToken,
    mergeTrailingSpace: opts.mergeTrailingSpace ?? false,
    embeddings: opts.embeddings ?? false,
    apiKey: engine === "ollama" ? undefined : opts.apiKey,
    requestCounts: new Map(),
    nextId: () => ++idCounter,
  };

  let handler: (req: EngineRequest) => EngineReply;
  switch (engine) {
    case "vllm":
    case "vllm-old-errors":
      handler = vllmHandler(ctx, {
        oldErrors: engine === "vllm-old-errors",
        modelRoot: opts.modelRoot ?? modelId,
        maxModelLen: opts.maxModelLen ?? 4096,
        maxLogprobs: opts.maxLogprobs ?? 20,
      });
      break;
    case "llamacpp":
      handler = llamacppHandler(ctx, { legacy: opts.legacy ?? false, modelPath, alias: opts.modelId, slots: opts.slots ?? 4, buildInfo: "b6500-8a1d6e4b" });
      break;
    case "ollama":
      handler = ollamaHandler(ctx, { embeddingModel: opts.embeddingModel ?? "nomic-embed-text:latest" });
      break;
    case "tgi":
      handler = tgiHandler(ctx, { version: opts.version ?? "3.3.6", maxClientBatchSize: 4, maxStopSequences: 4, maxTopNTokens: 5 });
      break;
    case "openai-legacy":
      handler = openAiLegacyHandler(ctx, { instructModel: "gpt-3.5-turbo-instruct", embeddingModel: opts.embeddingModel ?? "text-embedding-3-small" });
      break;
    default:
      throw new Error(`unknown engine ${engine as string}`);
  }

  const requests: LoggedRequest[] = [];
  const latencyMs = opts.latencyMs ?? 0;

  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://localhost");
      const method = req.method ?? "GET";
      let reply: EngineReply;
      try {
        reply = handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, raw });
      } catch (err) {
        reply =
          err instanceof EngineReplyError
            ? err.reply
            : { status: 500, body: `test server bug: ${(err as Error)?.stack ?? err}`, contentType: "text/plain; charset=utf-8" };
      }
      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      requests.push({ method, path: url.pathname, headers: req.headers, body, status: reply.status });
      const send = () => {
        if (res.destroyed) return;
        const text = reply.body === null ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        const headers: Record<string, string | number> = { "content-length": Buffer.byteLength(text), ...(reply.headers ?? {}) };
        if (reply.body !== null && reply.contentType) headers["content-type"] = reply.contentType;
        res.writeHead(reply.status, headers);
        res.end(method === "HEAD" ? undefined : text);
      };
      const rest = latencyMs - (performance.now() - arrived);
      if (rest > 0) setTimeout(send, rest);
      else send();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    port: address.port,
    engine,
    model,
    startToken,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
