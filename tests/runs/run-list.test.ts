// The runs list's query: search, filters (model, suite, honest state, dates, tag), sort and server-side pages, on
// both databases; tags and comment saved on a run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { itemBenchmarks, itemScoreKeys, listItems } from "@/lib/runs/items";
import { listRuns, parseRunListParams, parseTags, runListFacets, saveRunAnnotations } from "@/lib/runs/run-list";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`runs list on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let alpha: string;
    let beta: string;
    beforeAll(async () => {
      db = await backend.open();
      alpha = await addTestModel(db, { baseUrl: "http://127.0.0.1:9/v1" }, "list-alpha", "a");
      beta = await addTestModel(db, { baseUrl: "http://127.0.0.1:9/v1" }, "list-beta", "b");
      const run = async (id: string, model: string, name: string, suite: string, status: string, day: string) => {
        await db.sql.query(
          `INSERT INTO "Run" (id, "modelId", name, status, suite, "createdAt") VALUES ($1, $2, $3, $4::"RunStatus", $5::jsonb, $6::timestamptz)`,
          [id, model, name, status, JSON.stringify({ name: suite, benchmarks: [] }), `${day}T12:00:00Z`],
        );
        await db.sql.query(`INSERT INTO "RunBenchmark" ("runId", benchmark, status, total) VALUES ($1, 'textual', 'completed', 2)`, [id]);
        await db.sql.query(
          `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", prompt, status) VALUES ($1, 'textual', 'p1', 0, 'x', 'done'), ($1, 'textual', 'p2', 0, 'y', $2::"ItemStatus")`,
          [id, name.includes("flaky") ? "failed" : "done"],
        );
      };
      await run("rl1", alpha, "alpha clean", "quick", "completed", "2026-11-01");
      await run("rl2", alpha, "alpha flaky", "quick", "completed", "2026-11-10");
      await run("rl3", beta, "beta paper", "paper", "failed", "2026-11-20");
      await saveRunAnnotations(db, "rl3", parseTags(" baseline , ablation,baseline "), "first try");
    });
    afterAll(async () => {
      await db?.close();
    });
    const ids = async (sp: Record<string, string>, pageSize?: number) => (await listRuns(db, parseRunListParams(sp, pageSize))).rows.map((r) => r.id);

    it("searches, filters and sorts in the database", async () => {
      expect(await ids({})).toEqual(["rl3", "rl2", "rl1"]);
      expect(await ids({ q: "FLAKY" })).toEqual(["rl2"]);
      expect(await ids({ q: "list-beta" })).toEqual(["rl3"]);
      expect(await ids({ model: alpha })).toEqual(["rl2", "rl1"]);
      expect(await ids({ suite: "paper" })).toEqual(["rl3"]);
      expect(await ids({ state: "completed" })).toEqual(["rl1"]);
      expect(await ids({ state: "completed_with_failures" })).toEqual(["rl2"]);
      expect(await ids({ state: "failed" })).toEqual(["rl3"]);
      expect(await ids({ from: "2026-11-05", to: "2026-11-10" })).toEqual(["rl2"]);
      expect(await ids({ tag: "ablation" })).toEqual(["rl3"]);
      expect(await ids({ sort: "created", dir: "asc" })).toEqual(["rl1", "rl2", "rl3"]);
      expect(await ids({ sort: "model", dir: "desc" })).toEqual(["rl3", "rl2", "rl1"]);
      expect(await ids({ sort: "status", dir: "asc" })).toEqual(["rl2", "rl1", "rl3"]);
      expect(await ids({ from: "not a date", state: "bogus", sort: "nope" })).toEqual(["rl3", "rl2", "rl1"]);
    });

    it("pages on the server with the total, and shows suite, item counts, tags, comment and state", async () => {
      const page2 = await listRuns(db, parseRunListParams({ page: "2" }, 2));
      expect(page2.total).toBe(3);
      expect(page2.rows.map((r) => r.id)).toEqual(["rl1"]);
      const [r3, r2] = (await listRuns(db, parseRunListParams({}))).rows;
      expect(r3).toMatchObject({ suite: "paper", tags: ["baseline", "ablation"], comment: "first try", items: { total: 2, done: 2, failed: 0 } });
      expect(r2.health?.state).toBe("completed_with_failures");
      expect(r2.items).toEqual({ total: 2, done: 1, failed: 1 });
      expect(await runListFacets(db)).toEqual({ suites: ["paper", "quick"], tags: ["ablation", "baseline"] });
      expect(await saveRunAnnotations(db, "no-such-run", [], "")).toBe(false);
    });

    it("lists a run's items by benchmark, sorted by one of the benchmark's own fields, with their records", async () => {
      await db.sql.query(
        `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", prompt, status, data, scores) VALUES
           ('rl1', 'seat', 's1', 0, 's1', 'done', '{"test":"s1","effectSize":0.2}', '{"seat_effect_size":0.2}'),
           ('rl1', 'seat', 's2', 0, 's2', 'done', '{"test":"s2","effectSize":0.9}', '{"seat_effect_size":0.9}'),
           ('rl1', 'seat', 's3', 0, 's3', 'done', '{"test":"s3","effectSize":null}', '{}')`,
      );
      expect(await itemBenchmarks(db, "rl1")).toEqual([
        { benchmark: "seat", n: 3 },
        { benchmark: "textual", n: 2 },
      ]);
      expect(await itemScoreKeys(db, "rl1", "seat")).toEqual(["seat_effect_size"]);
      const desc = await listItems(db, "rl1", { page: 1, pageSize: 10, benchmark: "seat", sortField: "effect_size", dir: "desc" });
      expect(desc.total).toBe(3);
      expect(desc.rows.map((r) => r.itemKey)).toEqual(["s2", "s1", "s3"]); // no value last
      expect(desc.rows[0].data).toMatchObject({ test: "s2", effectSize: 0.9 });
      const asc = await listItems(db, "rl1", { page: 1, pageSize: 10, benchmark: "seat", sortField: "effect_size", dir: "asc" });
      expect(asc.rows.map((r) => r.itemKey)).toEqual(["s1", "s2", "s3"]);
    });
  });
}
