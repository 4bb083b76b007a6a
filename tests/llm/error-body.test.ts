// Engines' error bodies reach the user as the server's own message, and a status means what the message says.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, LlmError, type Endpoint } from "@/lib/llm";
import { parseErrorBody } from "@/lib/llm/error-body";

describe("parseErrorBody", () => {
  it("reads every shape engines use", () => {
    expect(parseErrorBody('{"error":{"message":"bad n","type":"invalid_request_error","param":"n","code":null}}')).toMatchObject({
      message: "bad n",
      param: "n",
    });
    expect(parseErrorBody('{"error":"Input validation error: `top_p` must be > 0.0 and < 1.0","error_type":"validation"}')).toEqual({
      message: "Input validation error: `top_p` must be > 0.0 and < 1.0",
      type: "validation",
    });
    expect(parseErrorBody('{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}')).toMatchObject({
      message: "The model `x` does not exist.",
      code: 404,
    });
    expect(parseErrorBody('{"detail":"Not Found"}')).toEqual({ message: "Not Found" });
    expect(parseErrorBody('{"detail":[{"loc":["body","n"],"msg":"Input should be a valid integer"}]}')).toMatchObject({
      message: "body.n: Input should be a valid integer",
    });
    expect(parseErrorBody("File Not Found")).toEqual({ message: "File Not Found" });
    expect(parseErrorBody("<html><head><title>502 Bad Gateway</title></head></html>")).toEqual({ message: "502 Bad Gateway" });
    expect(parseErrorBody("  ")).toBeNull();
  });
});

describe("errors from engines through the client", () => {
  let server: http.Server;
  let base: string;
  const answers: { status: number; body: string; type?: string }[] = [];
  let requests = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        requests++;
        const a = answers.shift() ?? { status: 500, body: "no answer queued" };
        res.writeHead(a.status, { "content-type": a.type ?? "application/json" }).end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const ep = (): Endpoint => ({ baseUrl: base, modelId: "m", concurrency: 1, maxRetries: 2 });
  const fail = async (...queue: { status: number; body: string; type?: string }[]) => {
    answers.splice(0, answers.length, ...queue);
    requests = 0;
    const err = await generate(ep(), { mode: "completion", prompt: "hi", max_tokens: 1 }, { retry: { baseDelayMs: 1 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LlmError);
    return err as LlmError;
  };

  it("TGI's and old vLLM's messages are shown, not 'status code (no body)'", async () => {
    const tgi = await fail({ status: 422, body: '{"error":"Input validation error: `top_p` must be > 0.0 and < 1.0","error_type":"validation"}' });
    expect(tgi.kind).toBe("bad_request");
    expect(tgi.message).toContain("`top_p` must be > 0.0 and < 1.0");
    const old = await fail({
      status: 400,
      body: '{"object":"error","message":"max_tokens must be at least 1","type":"BadRequestError","param":null,"code":400}',
    });
    expect(old.message).toContain("max_tokens must be at least 1");
  });

  it("a 404 is told apart: no such model, wrong route for this model, no such route", async () => {
    const model = await fail({
      status: 404,
      body: '{"object":"error","message":"The model `m` does not exist.","type":"NotFoundError","param":null,"code":404}',
    });
    expect(model.kind).toBe("not_found");
    expect(model.message).toMatch(/model id "m" not found/);
    const chat = await fail({
      status: 404,
      body: '{"error":{"message":"This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?","type":"invalid_request_error","param":"model","code":null}}',
    });
    expect(chat.kind).toBe("unsupported");
    expect(chat.message).toMatch(/other request mode/);
    const route = await fail({ status: 404, body: "File Not Found", type: "text/plain" });
    expect(route.kind).toBe("unsupported");
    expect(route.message).toMatch(/no such route/);
    expect(route.message).not.toMatch(/model id/);
  });

  it("a 500 or 501 that says the feature is unsupported is not retried", async () => {
    const e = await fail({
      status: 501,
      body: '{"error":{"code":501,"message":"This server does not support embeddings. Start it with `--embeddings`","type":"not_supported_error"}}',
    });
    expect(e.kind).toBe("unsupported");
    expect(requests).toBe(1);
    const transient = await fail({ status: 500, body: '{"error":{"message":"CUDA out of memory"}}' }, { status: 500, body: "{}" }, { status: 500, body: "{}" });
    expect(transient.kind).toBe("server");
    expect(requests).toBe(3);
  });
});
