// The HTTP side of the one error shape: each kind's status in one table, `{ error }` bodies, bugs thrown on.
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { badInput, conflict, ERROR_KINDS, LineageError, notFound } from "@/lib/errors";
import { apiRoute, errorResponse, HTTP_STATUS, parseOrRefuse } from "@/lib/http";
import { LlmError } from "@/lib/llm/errors";
import { RunStateError } from "@/lib/runs/runs";

// The access check has its own test (tests/access/roles-table.test.ts): here every caller is the local user.
vi.mock("@/lib/access/roles", () => ({ enforce: async () => ({ userId: null, name: "local user", role: "admin", via: "local" }) }));

describe("API routes", () => {
  it("map every kind to one status", async () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_KINDS].sort());
    const cases: [Error, number][] = [
      [badInput("bad"), 400],
      [notFound("no such run"), 404],
      [new RunStateError("completed runs cannot be paused"), 409],
      [conflict("c"), 409],
      [new LineageError("x", { kind: "forbidden" }), 403],
      [new LlmError("refused", { kind: "auth", retryable: false }), 502],
      [new LineageError("db", { kind: "environment" }), 503],
    ];
    for (const [err, status] of cases) {
      const res = errorResponse(err);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: err.message });
    }
    expect(() => errorResponse(new TypeError("bug"))).toThrow("bug");
    expect(() => errorResponse(new LineageError("bug", { kind: "internal" }))).toThrow("bug");
  });

  it("apiRoute answers a thrown LineageError and passes the handler's response through", async () => {
    const route = apiRoute<{ params: Promise<{ id: string }> }>(
      async (_req, { params }) => {
        const { id } = await params;
        if (id === "missing") throw notFound("no such run");
        return Response.json({ id });
      },
      { requires: "viewer" },
    );
    const ask = (id: string) => route(new Request("http://localhost/api/runs/" + id), { params: Promise.resolve({ id }) });
    expect(await (await ask("r1")).json()).toEqual({ id: "r1" });
    const missing = await ask("missing");
    expect([missing.status, await missing.json()]).toEqual([404, { error: "no such run" }]);
  });

  it("parseOrRefuse is a bad_input error with the issues' messages or a sentence", () => {
    const schema = z.object({ n: z.coerce.number().int("n is a whole number") });
    expect(parseOrRefuse(schema, { n: "3" })).toEqual({ n: 3 });
    expect(() => parseOrRefuse(schema, { n: "1.5" })).toThrow("n is a whole number");
    expect(() => parseOrRefuse(schema, {}, () => "bad request: n")).toThrow("bad request: n");
  });
});
