// Responses of model endpoints and scorers are capped in size: an endpoint answering 40 MiB (or without end) is
// refused with a clear error instead of filling the server's memory, and the request is not repeated. The model
// list (Test connection) has a smaller cap than generations.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Model } from "@/lib/generated/prisma/client";
import { generate, LlmError, listModels, type Endpoint } from "@/lib/llm";
import { testConnection } from "@/lib/models/connection";
import { createScorer } from "@/lib/scorers/config";
import { ScorerError } from "@/lib/scorers/types";

const MiB = 1024 * 1024;

/** Sizes of the bodies the server answers, per route; a size with `chunked` is sent without Content-Length. */
const plan: Record<string, { bytes: number; chunked: boolean }> = {};
const hits: Record<string, number> = {};
let server: http.Server;
let base: string;

/** Writes `bytes` of JSON-looking filler, 1 MiB at a time, stopping when the client goes away. */
function stream(res: http.ServerResponse, bytes: number, chunked: boolean) {
  res.writeHead(200, { "content-type": "application/json", ...(chunked ? {} : { "content-length": String(bytes) }) });
  const chunk = Buffer.alloc(MiB, 0x20);
  let sent = 0;
  const more = () => {
    while (sent < bytes && !res.destroyed) {
      const n = Math.min(MiB, bytes - sent);
      sent += n;
      if (!res.write(n === MiB ? chunk : chunk.subarray(0, n))) return res.once("drain", more);
    }
    if (!res.destroyed) res.end();
  };
  res.on("error", () => undefined);
  more();
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const route = `${req.method} ${req.url}`;
    hits[route] = (hits[route] ?? 0) + 1;
    req.resume();
    req.on("end", () => {
      const p = plan[route];
      if (p) return stream(res, p.bytes, p.chunked);
      if (route === "GET /small/v1/models") {
        res.setHeader("content-type", "application/json");
        return res.end(JSON.stringify({ object: "list", data: [{ id: "tiny", object: "model", owned_by: "x" }] }));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  for (const k of Object.keys(hits)) delete hits[k];
  for (const k of Object.keys(plan)) delete plan[k];
  delete process.env.LINEAGE_MAX_RESPONSE_MIB;
});

const endpoint = (path: string): Endpoint => ({ baseUrl: `${base}${path}/v1`, modelId: "tiny", concurrency: 2, maxRetries: 4, timeoutMs: 30_000 });

describe("response size caps", () => {
  it("a 40 MiB generation is refused at 32 MiB, as too_large, and not retried", async () => {
    plan["POST /big/v1/chat/completions"] = { bytes: 40 * MiB, chunked: true };
    const err = await generate(endpoint("/big"), { mode: "chat", prompt: "hi", max_tokens: 4 }).catch((e) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe("too_large");
    expect((err as LlmError).retryable).toBe(false);
    expect((err as LlmError).message).toMatch(/the endpoint's response exceeded 32 MiB/);
    expect((err as LlmError).message).toMatch(/LINEAGE_MAX_RESPONSE_MIB/);
    expect(hits["POST /big/v1/chat/completions"]).toBe(1);
  });

  it("a declared Content-Length over the cap is refused before the body is read; LINEAGE_MAX_RESPONSE_MIB sets the cap", async () => {
    process.env.LINEAGE_MAX_RESPONSE_MIB = "1";
    plan["POST /declared/v1/completions"] = { bytes: 2 * MiB, chunked: false };
    const err = await generate(endpoint("/declared"), { mode: "completion", prompt: "hi", max_tokens: 4 }).catch((e) => e);
    expect((err as LlmError).kind).toBe("too_large");
    expect((err as LlmError).message).toMatch(/exceeded 1 MiB/);
    expect(hits["POST /declared/v1/completions"]).toBe(1);
  });

  it("the model list is capped at 4 MiB: Test connection says so, once", async () => {
    plan["GET /list/v1/models"] = { bytes: 5 * MiB, chunked: true };
    const err = await listModels(endpoint("/list")).catch((e) => e);
    expect((err as LlmError).kind).toBe("too_large");
    expect((err as LlmError).message).toMatch(/list models: the endpoint's response exceeded 4 MiB/);
    expect((err as LlmError).message).not.toMatch(/LINEAGE_MAX_RESPONSE_MIB/);

    const model = {
      name: "m",
      baseUrl: `${base}/list/v1`,
      servedModelId: "tiny",
      apiKeyEnv: null,
      apiKeyCipher: null,
      concurrency: 2,
      probe: null,
    } as unknown as Model;
    const report = await testConnection(model);
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/exceeded 4 MiB/);
    expect(hits["GET /list/v1/models"]).toBe(2);

    // A model list of normal size is read as before.
    expect(await listModels(endpoint("/small"))).toEqual(["tiny"]);
  });

  it("a scorer's answer is capped too, and not retried", async () => {
    plan["POST /classify"] = { bytes: 6 * MiB, chunked: true };
    const scorer = createScorer({
      kind: "http",
      name: "c",
      url: `${base}/classify`,
      qps: 100,
      apiKeyEnv: null,
      scorerId: null,
      model: null,
      label: "toxic",
      attributes: [],
    });
    const err = await scorer.score("some text").catch((e) => e);
    expect(err).toBeInstanceOf(ScorerError);
    expect((err as ScorerError).kind).toBe("too_large");
    expect((err as ScorerError).retryable).toBe(false);
    expect((err as Error).message).toBe(`classifier at ${base}/classify: the endpoint's response exceeded 4 MiB`);
    expect(hits["POST /classify"]).toBe(1);

    plan["POST /classify-declared"] = { bytes: 5 * MiB, chunked: false };
    const declared = createScorer({
      kind: "http",
      name: "c",
      url: `${base}/classify-declared`,
      qps: 100,
      apiKeyEnv: null,
      scorerId: null,
      model: null,
      label: "toxic",
      attributes: [],
    });
    expect(((await declared.score("x").catch((e) => e)) as ScorerError).kind).toBe("too_large");
  });
});
