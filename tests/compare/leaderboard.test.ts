// The leaderboard: each model's latest completed result per metric, sorted in the metric's better direction,
// the best value of each column marked, filtered by lineage; CSV guarded against formulas; LaTeX escaped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import {
  LEADERBOARD_PAGE_SIZE,
  type Leaderboard,
  type LeaderboardRow,
  leaderboard,
  leaderboardCsv,
  leaderboardLatex,
  leaderboardPage,
  leaderboardParams,
} from "@/lib/leaderboard";
import { backends } from "../support/databases";

process.env.LINEAGE_SECRET_KEY = "test-key-for-leaderboard";

let seq = 0;
async function model(db: Database, name: string): Promise<string> {
  return (await db.prisma.model.create({ data: { name, baseUrl: "http://127.0.0.1:9/v1", servedModelId: "m" } })).id;
}
/** A run of `modelId` with the given aggregates, finished `ageMin` minutes ago. */
async function run(db: Database, modelId: string, status: "completed" | "failed", ageMin: number, values: Record<string, number | null>): Promise<string> {
  const finishedAt = new Date(Date.now() - ageMin * 60_000);
  const r = await db.prisma.run.create({ data: { modelId, status, suite: {}, name: `r${++seq}`, finishedAt, createdAt: finishedAt } });
  await db.prisma.runBenchmark.create({ data: { runId: r.id, benchmark: "textual", status: status === "completed" ? "completed" : "failed", total: 100 } });
  for (const [metric, value] of Object.entries(values))
    await db.prisma.aggregate.create({
      data: { runId: r.id, metric, benchmark: "textual", value, ciLow: value === null ? null : value - 1, ciHigh: value === null ? null : value + 1, n: 100 },
    });
  return r.id;
}

describe("leaderboard pages", () => {
  const rows: LeaderboardRow[] = Array.from({ length: 2 * LEADERBOARD_PAGE_SIZE + 3 }, (_, i) => ({
    model: { id: `m${i}`, name: `model ${i}`, family: "", size: "" },
    cells: {},
  }));
  const board = (page: unknown): Leaderboard => ({
    params: leaderboardParams.parse({ page }),
    metrics: [],
    rows,
    best: {},
    lineageName: null,
    customMetrics: [],
  });

  it("slices the sorted rows, the last page holding the rest; a page past the end shows the last", () => {
    expect(leaderboardPage(board(undefined))).toMatchObject({ page: 1, pages: 3, first: 1 });
    expect(leaderboardPage(board("1")).rows.map((r) => r.model.id)).toEqual(rows.slice(0, LEADERBOARD_PAGE_SIZE).map((r) => r.model.id));
    const last = leaderboardPage(board("3"));
    expect(last).toMatchObject({ page: 3, pages: 3, first: 2 * LEADERBOARD_PAGE_SIZE + 1 });
    expect(last.rows.map((r) => r.model.id)).toEqual([0, 1, 2].map((k) => `m${2 * LEADERBOARD_PAGE_SIZE + k}`));
    expect(leaderboardPage(board("99")).page).toBe(3);
    expect(leaderboardParams.parse({ page: "-2" }).page).toBe(1);
    expect(leaderboardParams.parse({ page: "x" }).page).toBe(1);
  });

  it("one page when the rows fit", () => {
    expect(leaderboardPage({ ...board("2"), rows: rows.slice(0, 3) })).toMatchObject({ page: 1, pages: 1, first: 1 });
  });
});

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`leaderboard on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      db = await backend.open();
      for (const name of ["alpha", "beta", '=HYPERLINK("x")', "delta"]) ids[name] = await model(db, name);
      await run(db, ids.alpha, "completed", 60, { mtld: 70, length_words: 100 });
      await run(db, ids.alpha, "completed", 5, { mtld: 80, length_words: 120 }); // newer: its results win
      await run(db, ids.beta, "completed", 10, { mtld: 90, length_words: 50 });
      await run(db, ids.beta, "failed", 1, { mtld: 10 }); // not completed: ignored
      await run(db, ids['=HYPERLINK("x")'], "completed", 10, { mtld: 60 });
      // delta has no completed result
      await run(db, ids.delta, "failed", 1, { mtld: 99 });
      const d = await db.prisma.derivation.create({ data: { studentId: ids.beta, baseModelId: ids.alpha, method: "passive" } });
      ids.derivation = d.id;
    });
    afterAll(async () => {
      await db?.close();
    });

    it("latest completed result per model and metric, best first in the metric's direction", async () => {
      const b = await leaderboard(db, leaderboardParams.parse({ category: "textual", sort: "mtld" }));
      expect(b.rows.map((r) => r.model.name)).toEqual(["beta", "alpha", '=HYPERLINK("x")']);
      expect(b.rows.find((r) => r.model.name === "alpha")!.cells.mtld?.value).toBe(80);
      expect(b.rows.find((r) => r.model.name === "alpha")!.cells.length_words?.value).toBe(120);
      expect(b.rows.find((r) => r.model.name === "alpha")!.cells.mtld?.runId).toBe(b.rows.find((r) => r.model.name === "alpha")!.cells.length_words?.runId);
      expect(b.best.mtld).toEqual([ids.beta]);
      // length_words has no better direction: nothing is marked
      expect(b.best.length_words).toEqual([]);
      const worst = await leaderboard(db, leaderboardParams.parse({ category: "textual", sort: "mtld", dir: "worst" }));
      expect(worst.rows[0].model.name).toBe('=HYPERLINK("x")');
    });

    it("shows what changed since the last view: a newer run, a deleted run, a renamed model", async () => {
      const view = async () => (await leaderboard(db, leaderboardParams.parse({ category: "textual", sort: "mtld" }))).rows;
      const cell = (rows: Awaited<ReturnType<typeof view>>, name: string) => rows.find((r) => r.model.name === name)?.cells.mtld?.value;
      expect(cell(await view(), "beta")).toBe(90);
      const newer = await run(db, ids.beta, "completed", 0, { mtld: 95 });
      expect(cell(await view(), "beta")).toBe(95);
      await db.prisma.run.delete({ where: { id: newer } });
      expect(cell(await view(), "beta")).toBe(90);
      await db.prisma.model.update({ where: { id: ids.beta }, data: { name: "beta renamed" } });
      expect(cell(await view(), "beta renamed")).toBe(90);
      await db.prisma.model.update({ where: { id: ids.beta }, data: { name: "beta" } });
      // A completed run sent back to the queue (its failed items retried) leaves the board until it completes again.
      const alphaRun = (await leaderboard(db, leaderboardParams.parse({ category: "textual" }))).rows.find((r) => r.model.name === "alpha")!.cells.mtld!.runId;
      await db.prisma.run.update({ where: { id: alphaRun }, data: { status: "queued" } });
      expect(cell(await view(), "alpha")).toBe(70);
      await db.prisma.run.update({ where: { id: alphaRun }, data: { status: "completed" } });
      expect(cell(await view(), "alpha")).toBe(80);
    });

    it("filters by lineage and refuses nonsense parameters quietly", async () => {
      const b = await leaderboard(db, leaderboardParams.parse({ category: "textual", lineage: ids.derivation }));
      expect(b.rows.map((r) => r.model.name).sort()).toEqual(["alpha", "beta"]);
      expect(b.lineageName).toBe("beta");
      const odd = leaderboardParams.parse({ category: "<script>", dir: "sideways", lineage: "x'; drop" });
      expect(odd).toMatchObject({ category: "textual", dir: "best", lineage: undefined });
    });

    it("CSV cells a spreadsheet would run are guarded; LaTeX is escaped with the best in bold", async () => {
      const b = await leaderboard(db, leaderboardParams.parse({ category: "textual", sort: "mtld" }));
      const csv = leaderboardCsv(b);
      expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
      expect(csv.split("\n")[0]).toMatch(/^model,length_words,length_words_ci_low,.*,mtld,mtld_ci_low,/);
      const tex = leaderboardLatex(b);
      expect(tex).toContain("\\textbf{90.00 $\\pm$ 1.00}");
      expect(tex).toMatch(/\\\\begin\{tabular\}|\\begin\{tabular\}/);
    });
  });
}
