// Reviewer links on both databases: only the token's SHA-256 is stored, a link opens until it expires or is
// revoked, only its maker or an admin may revoke it, and everything read through it comes from its own runs — a
// link for runs A and B never reveals run C, whatever the request asks for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { LineageError } from "@/lib/errors";
import { createDerivation } from "@/lib/models/lineage";
import { importGenerations, parseGenerations } from "@/lib/runs/import-generations";
import { activeLink, sharedExport, sharedPaired, visitorOf } from "@/lib/share/access";
import { hashToken } from "@/lib/access/secret-token";
import { createShareLink, listActiveShareLinks, mayRevoke, resolveShareToken, revokeShareLink, TOKEN_PATTERN } from "@/lib/share/links";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-share-tests";

const gens = (outputs: string[]) =>
  parseGenerations(outputs.map((output, i) => JSON.stringify({ id: `p${i + 1}`, prompt: `prompt ${i + 1}`, output })).join("\n"));
const DAY = 86_400_000;
const editor = { userId: "u-ed", name: "ed@example.org" };

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`reviewer links on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let a: string;
    let b: string;
    let c: string;
    let mC: string;
    let derivationId: string;
    beforeAll(async () => {
      db = await backend.open();
      const mA = await addTestModel(db, { baseUrl: "http://127.0.0.1:9/v1" }, "share-base");
      const mB = await addTestModel(db, { baseUrl: "http://127.0.0.1:9/v1" }, "share-student");
      mC = await addTestModel(db, { baseUrl: "http://127.0.0.1:9/v1" }, "share-teacher");
      a = await importGenerations(db, mA, gens(["one two", "three four"]), { name: "run-A", file: "a.jsonl" });
      b = await importGenerations(db, mB, gens(["one two three four", "five six seven eight"]), { name: "run-B", file: "b.jsonl" });
      c = await importGenerations(db, mC, gens(["SECRET-C-OUTPUT words here", "more C words"]), { name: "run-C", file: "c.jsonl" });
      const d = await createDerivation(db, { studentId: mB, baseModelId: mA, teacherIds: [mC], method: "passive" });
      if (!d.ok) throw new Error(JSON.stringify(d));
      derivationId = d.data.id;
    });
    afterAll(async () => {
      await db?.close();
    });
    const make = (expiresAt = new Date(Date.now() + 7 * DAY), label = "review") =>
      createShareLink(db, { runIds: [b, a], refId: a, significance: { alpha: 0.05, correction: "holm" }, lineage: null, label, expiresAt }, editor);

    it("stores only the token's SHA-256 and opens the link with the token alone", async () => {
      const { token, link } = await make();
      expect(token).toMatch(TOKEN_PATTERN);
      expect(link.runIds).toEqual([a, b]); // reference first
      const { rows } = await db.sql.query<{ tokenHash: string }>(`SELECT "tokenHash" FROM "ShareLink" WHERE id = $1`, [link.id]);
      expect(rows[0].tokenHash).toBe(hashToken(token));
      expect(rows[0].tokenHash).not.toContain(token);
      const dump = JSON.stringify((await db.sql.query(`SELECT * FROM "ShareLink"`)).rows);
      expect(dump).not.toContain(token);
      expect(await resolveShareToken(db, token)).toMatchObject({
        state: "active",
        link: { id: link.id, createdByName: "ed@example.org", createdById: "u-ed" },
      });
      expect((await activeLink(db, token)).id).toBe(link.id);
    });

    it("refuses a wrong, altered or malformed token as unknown (404)", async () => {
      const { token } = await make();
      const altered = (token[0] === "A" ? "B" : "A") + token.slice(1);
      expect((await resolveShareToken(db, altered)).state).toBe("unknown");
      expect((await resolveShareToken(db, `${token}x`)).state).toBe("unknown");
      expect((await resolveShareToken(db, "../../api/runs")).state).toBe("unknown");
      expect((await resolveShareToken(db, hashToken(token))).state).toBe("unknown"); // the stored hash opens nothing
      const err = await activeLink(db, altered).catch((e) => e);
      expect(err).toBeInstanceOf(LineageError);
      expect(err.category).toBe("not_found");
    });

    it("stops at its expiry (410) and is no longer listed", async () => {
      const soon = new Date(Date.now() + DAY);
      const { token, link } = await make(soon, "expiring");
      expect((await resolveShareToken(db, token, new Date(soon.getTime() - 1000))).state).toBe("active");
      expect((await resolveShareToken(db, token, soon)).state).toBe("expired");
      const err = await activeLink(db, token, new Date(soon.getTime() + 1)).catch((e) => e);
      expect(err.category).toBe("gone");
      expect(err.userMessage).toMatch(/expired on/);
      expect((await listActiveShareLinks(db, new Date(soon.getTime() + 1))).map((l) => l.id)).not.toContain(link.id);
      expect((await listActiveShareLinks(db)).map((l) => l.id)).toContain(link.id);
    });

    it("stops when revoked; only its maker or an admin may revoke", async () => {
      const { token, link } = await make();
      expect(mayRevoke(link, { ...editor, role: "editor" })).toBe(true);
      expect(mayRevoke(link, { userId: "u-other", name: "other@example.org", role: "editor" })).toBe(false);
      expect(mayRevoke(link, { userId: "u-admin", name: "admin@example.org", role: "admin" })).toBe(true);
      expect(await revokeShareLink(db, link.id, { userId: "u-admin", name: "admin@example.org" })).toBe(true);
      const found = await resolveShareToken(db, token);
      expect(found).toMatchObject({ state: "revoked", link: { revokedByName: "admin@example.org" } });
      expect((await activeLink(db, token).catch((e) => e)).category).toBe("gone");
      expect((await listActiveShareLinks(db)).map((l) => l.id)).not.toContain(link.id);
      // Revoking again keeps the first revocation; an unknown id is false.
      expect(await revokeShareLink(db, link.id, editor)).toBe(true);
      expect(await resolveShareToken(db, token)).toMatchObject({ state: "revoked", link: { revokedByName: "admin@example.org" } });
      expect(await revokeShareLink(db, "no-such-link", editor)).toBe(false);
    });

    it("needs two existing runs", async () => {
      const base = { refId: a, significance: { alpha: 0.05, correction: "holm" as const }, lineage: null, label: "", expiresAt: new Date(Date.now() + DAY) };
      await expect(createShareLink(db, { ...base, runIds: [a] }, editor)).rejects.toThrow(/at least two runs/);
      await expect(createShareLink(db, { ...base, runIds: [a, "nope"] }, editor)).rejects.toThrow(/Unknown run: nope/);
    });

    it("reads only the link's runs: exports and paired statistics ignore any other run asked for", async () => {
      const { token } = await make();
      const link = await activeLink(db, token);
      // A runs= or ref= in the query is not one of the link's choices: it is dropped, not obeyed.
      const json = await sharedExport(db, link, { format: "json", runs: `${a},${c}`, ref: c });
      const table = JSON.parse(json.body) as { runs: { id: string }[]; refId: string };
      expect(table.runs.map((r) => r.id).sort()).toEqual([a, b].sort());
      expect(table.refId).toBe(a);
      expect(json.body).not.toContain(c);
      const samples = await sharedExport(db, link, { format: "samples-csv", diff: c, runs: c });
      expect(samples.body).toContain("one two three four");
      expect(samples.body).not.toContain("SECRET-C-OUTPUT");
      expect(samples.body).not.toContain(c);
      const csv = await sharedExport(db, link, { format: "csv" });
      expect(csv.body).toContain("run-A");
      expect(csv.body).not.toContain("run-C");
      const paired = await sharedPaired(db, link, { metrics: "length_words", runs: `${a},${c}` });
      expect(Object.keys((paired as Record<string, Record<string, unknown>>).length_words)).toEqual([b]);
      // length: 2 → 4 words on both prompts, +2 each.
      expect((paired as Record<string, Record<string, { mean: number; n: number }>>).length_words[b]).toMatchObject({ n: 2 });
      await expect(sharedExport(db, link, { format: "html" })).rejects.toThrow();
      // Shared from a lineage, the teacher without a column is named with its role, but neither it nor its run by id.
      const fromLineage = await createShareLink(
        db,
        {
          runIds: [a, b],
          refId: a,
          significance: { alpha: 0.05, correction: "holm" },
          lineage: { derivationId },
          label: "",
          expiresAt: new Date(Date.now() + DAY),
        },
        editor,
      );
      for (const format of ["json", "manifest"]) {
        const file = await sharedExport(db, await activeLink(db, fromLineage.token), { format });
        expect(file.body).toContain("share-teacher");
        expect(file.body).not.toContain(c);
        expect(file.body).not.toContain(mC);
      }
      expect(visitorOf(link)).toMatchObject({ via: "link", userId: null, name: 'reviewer link "review" (by ed@example.org)' });
    });
  });
}
