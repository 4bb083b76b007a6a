// The one server-action shape: a schema refusal comes back field by field with the submitted values (secrets
// dropped), the handler gets typed input, a LineageError becomes the form's result, and anything else is thrown on.
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { formAction, onField, queryAction, reportAction } from "@/lib/actions";
import { badInput, conflict, LineageError, notFound } from "@/lib/errors";
import { formList, formNumber, formText, MAX_UPLOAD_BYTES, postedFile, recordId } from "@/lib/forms";

// The access check has its own test (tests/access/roles-table.test.ts): here every caller is the local user.
vi.mock("@/lib/access/roles", () => ({ enforce: async () => ({ userId: null, name: "local user", role: "admin", via: "local" }) }));

const form = (fields: Record<string, string | string[] | File>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};

const schema = z.object({
  name: formText(20).pipe(z.string().min(1, "Give it a name.")),
  count: formNumber(3).pipe(z.number().int("A whole number.").min(1, "At least 1.")),
  tags: formList(z.enum(["a", "b"])),
});

describe("formAction", () => {
  it("refuses field by field (top-level field names) and sends the values back without secrets", async () => {
    const action = formAction(schema, async () => ({ ok: true, data: null }), { requires: "editor" });
    const r = await action(null, form({ name: "", count: "1.5", tags: ["a", "zz"], apiKeySecret: "sk-1", password: "p" }));
    expect(r).toEqual({
      ok: false,
      fieldErrors: { name: "Give it a name.", count: "A whole number.", tags: expect.any(String) },
      formError: undefined,
      values: { name: "", count: "1.5", tags: ["a", "zz"] },
    });
  });

  it("gives the handler typed input with the defaults of empty fields", async () => {
    let seen: unknown;
    const action = formAction(schema, async (v) => ((seen = v), { ok: true, data: v.count * 2, message: "Saved." }), { requires: "editor" });
    expect(await action(null, form({ name: "  x  ", count: "" }))).toEqual({ ok: true, data: 6, message: "Saved." });
    expect(seen).toEqual({ name: "x", count: 3, tags: [] });
  });

  it("maps a LineageError to the field it names, else to the top of the form; refusals keep the values", async () => {
    const field = formAction(
      schema,
      async () => {
        throw notFound('No scorer named "x".', "scorer");
      },
      { requires: "editor" },
    );
    expect(await field(null, form({ name: "n" }))).toMatchObject({ ok: false, fieldErrors: { scorer: 'No scorer named "x".' }, values: { name: "n" } });
    const top = formAction(
      schema,
      async () => {
        throw conflict("Re-selection needs a completed dataset.");
      },
      { requires: "editor" },
    );
    expect(await top(null, form({ name: "n" }))).toMatchObject({ ok: false, fieldErrors: {}, formError: "Re-selection needs a completed dataset." });
    const refused = formAction(schema, async (_v, { refuse }) => refuse({ name: "Taken." }), { requires: "editor" });
    expect(await refused(null, form({ name: "n" }))).toMatchObject({ ok: false, fieldErrors: { name: "Taken." }, values: { name: "n" } });
    const lib = formAction(schema, async () => ({ ok: false as const, fieldErrors: { name: "Exists." } }), { requires: "editor" });
    expect(await lib(null, form({ name: "n" }))).toMatchObject({ ok: false, fieldErrors: { name: "Exists." }, values: { name: "n" } });
  });

  it("throws on bugs and on Next's redirect", async () => {
    const bug = formAction(
      schema,
      async () => {
        throw new TypeError("x is undefined");
      },
      { requires: "editor" },
    );
    await expect(bug(null, form({ name: "n" }))).rejects.toThrow("x is undefined");
    const internal = formAction(
      schema,
      async () => {
        throw new LineageError("row without id", { kind: "internal" });
      },
      { requires: "editor" },
    );
    await expect(internal(null, form({ name: "n" }))).rejects.toThrow("row without id");
    const redirect = formAction(
      schema,
      async () => {
        throw Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;/x" });
      },
      { requires: "editor" },
    );
    await expect(redirect(null, form({ name: "n" }))).rejects.toThrow("NEXT_REDIRECT");
  });

  it("says one sentence for a form of hidden fields", async () => {
    const action = formAction(z.object({ datasetId: recordId }), async () => ({ ok: true, data: null }), { requires: "editor", invalid: "Reload the page." });
    expect(await action(null, form({ datasetId: "../etc" }))).toMatchObject({ ok: false, fieldErrors: {}, formError: "Reload the page." });
  });

  it("reads uploaded files with their limits as field errors", async () => {
    const action = formAction(z.object({}), async (_v, { form: f }) => ({ ok: true, data: postedFile(f, "file", "Choose a file.").name }), {
      requires: "editor",
    });
    expect(await action(null, form({}))).toMatchObject({ ok: false, fieldErrors: { file: "Choose a file." } });
    expect(await action(null, form({ file: new File(["x"], "a.txt") }))).toMatchObject({ ok: true, data: "a.txt" });
    const big = Object.defineProperty(new File(["x"], "big.txt"), "size", { value: MAX_UPLOAD_BYTES + 1 });
    expect(() => postedFile({ get: () => big } as unknown as FormData, "file", "Choose a file.")).toThrow(
      /^The file is larger than 50 MB, the most the dashboard takes\. For bigger files use the command line.*lineage import generations/,
    );
  });
});

describe("onField", () => {
  it("puts a LineageError without a field on the given one, and leaves other errors alone", async () => {
    const e = await onField("promptFile", () => {
      throw badInput("p.jsonl line 2: expected a non-empty prompt");
    }).catch((x) => x);
    expect([e.field, e.category, e.message]).toEqual(["promptFile", "bad_input", "p.jsonl line 2: expected a non-empty prompt"]);
    const kept = await onField("a", () => {
      throw badInput("m", "b");
    }).catch((x) => x);
    expect(kept.field).toBe("b");
    await expect(
      onField("a", () => {
        throw new RangeError("r");
      }),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await onField("a", async () => 7)).toBe(7);
  });
});

describe("reportAction and queryAction", () => {
  it("a one-button form says its refusal as a message", async () => {
    const action = reportAction(
      z.object({ id: recordId }),
      async ({ id }) => {
        if (id === "busy") throw conflict("Stop the run first.");
        return { ok: true, message: `Deleted ${id}.` };
      },
      { requires: "admin", invalid: "Unknown run." },
    );
    expect(await action(null, form({ id: "r1" }))).toEqual({ ok: true, message: "Deleted r1." });
    expect(await action(null, form({ id: "busy" }))).toEqual({ ok: false, message: "Stop the run first." });
    expect(await action(null, form({}))).toEqual({ ok: false, message: "Unknown run." });
  });

  it("a server function parses its argument", async () => {
    const q = queryAction(z.number().int().positive(), async (n) => n + 1, { requires: "viewer" });
    expect(await q(1)).toBe(2);
    await expect(q(-1)).rejects.toThrow();
  });
});
