// The comparison layer on both databases, with runs stored through the real import path and statistics that can
// be worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { alignedValues } from "@/lib/compare/aligned";
import { histogram } from "@/lib/compare/distribution";
import { lineageLayout, rolesOf } from "@/lib/compare/lineage";
import { modelProfile } from "@/lib/compare/profile";
import { sideBySide } from "@/lib/compare/samples";
import { pairedEffort, pairedStats } from "@/lib/compare/stats";
import { buildComparison } from "@/lib/compare/table";
import { exportTableOf } from "@/lib/export/table-model";
import { latexTable } from "@/lib/export/latex";
import { createDerivation } from "@/lib/models/lineage";
import { pairedBootstrapDiffCI } from "@/lib/metrics/statistics";
import { importGenerations } from "@/lib/runs/import-generations";
import { backends } from "../support/databases";

describe("paired statistics on hand-computable data", () => {
  it("mean difference, exact sign-flip p-value and the bootstrap of lib/metrics", () => {
    // differences 2, 0, 2: mean 4/3; non-zero differences (2, 2): sign vectors give sums 4, 0, 0, −4 → p = 2/4.
    const s = pairedStats([2, 3, 1], [4, 3, 3], "seed");
    expect(s.n).toBe(3);
    expect(s.meanDiff).toBeCloseTo(4 / 3, 12);
    expect(s.pValue).toBe(0.5);
    expect(s.method).toBe("exact");
    const direct = pairedBootstrapDiffCI([2, 3, 1], [4, 3, 3], { seed: "seed:bootstrap", resamples: 2000 });
    expect([s.lo, s.hi]).toEqual([direct.lo, direct.hi]);
    expect(s.lo).toBeGreaterThanOrEqual(0);
    expect(s.hi).toBeLessThanOrEqual(2);
    // A missing side drops the pair.
    expect(pairedStats([1, null, 3], [2, 5, 3], "s").n).toBe(2);
    // Four equal positive differences: only the identity and its mirror reach |S| → p = 2/16.
    expect(pairedStats([0, 0, 0, 0], [1, 1, 1, 1], "s").pValue).toBe(0.125);
  });

  it("keeps the library defaults on ordinary runs and scales the effort down only on very large ones", () => {
    expect(pairedEffort(200)).toEqual({ resamples: 2000, permutations: 10_000 });
    expect(pairedEffort(100_000)).toEqual({ resamples: 400, permutations: 1000 });
    expect(pairedEffort(20_000)).toEqual({ resamples: 1000, permutations: 1000 });
  });
});

const XSS = "<script>window.__pwned = 1</script>";

for (const backend of backends()) {
  describe.skipIf(backend.skip !== null)(`comparison on the ${backend.name} database`, () => {
    let db: Database;
    let base: string, student: string, teacher: string;
    let refRun: string, studentRun: string, teacherRun: string;

    beforeAll(async () => {
      db = await backend.open();
      const mk = (name: string) => db.prisma.model.create({ data: { name } }).then((m) => m.id);
      [base, student, teacher] = [await mk("Base-7B"), await mk("Student-7B"), await mk("Teacher-13B")];
      const ok = await createDerivation(db, { studentId: student, baseModelId: base, teacherIds: [teacher], method: "passive" });
      expect(ok.ok).toBe(true);
      refRun = await importGenerations(
        db,
        base,
        [
          { key: "q1", sampleIndex: 0, prompt: "P1", output: "one two", completionTokens: null },
          { key: "q2", sampleIndex: 0, prompt: "P2", output: "a b c", completionTokens: null },
          { key: "q3", sampleIndex: 0, prompt: "P3", output: "x", completionTokens: null },
        ],
        { name: "base run" },
      );
      // Another order and an extra prompt: alignment is by (benchmark, item key, sample index), not by position.
      studentRun = await importGenerations(
        db,
        student,
        [
          { key: "q3", sampleIndex: 0, prompt: "P3", output: "x y z", completionTokens: null },
          { key: "q4", sampleIndex: 0, prompt: "P4", output: "only here", completionTokens: null },
          { key: "q1", sampleIndex: 0, prompt: "P1", output: "one two three four", completionTokens: null },
          { key: "q2", sampleIndex: 0, prompt: "P2", output: XSS, completionTokens: null },
        ],
        { name: "student run" },
      );
      teacherRun = await importGenerations(
        db,
        teacher,
        [
          { key: "q1", sampleIndex: 0, prompt: "P1", output: "t t t t t t", completionTokens: null },
          { key: "q2", sampleIndex: 0, prompt: "P2", output: "t", completionTokens: null },
          { key: "q3", sampleIndex: 0, prompt: "P3", output: "t", completionTokens: null },
        ],
        { name: "teacher run" },
      );
    });
    afterAll(async () => db?.close());

    it("aligns per-sample values of several runs in one query", async () => {
      const a = await alignedValues(db, [refRun, studentRun], "length_words");
      expect(a.count).toBe(4);
      // keys in order q1, q2, q3, q4; the <script> output counts two words ("scriptwindow__pwned", "1script")
      expect(a.values[0]).toEqual([2, 3, 1, null]);
      expect(a.values[1]).toEqual([4, 2, 3, 2]);
    });

    it("builds the table: values from aggregates, difference, % change, verdict, paired statistics", async () => {
      const cmp = await buildComparison(db, { runIds: [refRun, studentRun, teacherRun], refId: refRun, paired: "all" });
      expect(cmp.runs.map((r) => r.modelName)).toEqual(["Base-7B", "Student-7B", "Teacher-13B"]);
      const words = cmp.rows.find((r) => r.metric === "length_words")!;
      expect(words.cells[0]!.value).toBeCloseTo(2, 12);
      expect(words.cells[1]!.value).toBeCloseTo(11 / 4, 12);
      const d = words.deltas.find((x) => x.runId === studentRun)!;
      expect(d.diff).toBeCloseTo(0.75, 12);
      expect(d.pct).toBeCloseTo(37.5, 10);
      expect(d.direction).toBe("neutral");
      // Paired on the three shared prompts: differences 2, −1, 2 → mean 1; of the 8 sign vectors, |S*| ≥ 3 for
      // (2,−1,2), (2,1,2), (−2,−1,−2), (−2,1,−2): p = 4/8.
      expect(d.paired!.n).toBe(3);
      expect(d.paired!.meanDiff).toBeCloseTo(1, 12);
      expect(d.paired!.pValue).toBe(0.5);
      // p = 0.5: whatever the correction, no significant difference.
      expect(d.verdict).toBe("not_significant");
      expect(words.bestRunId).toBeNull();
      const ttr = cmp.rows.find((r) => r.metric === "ttr")!;
      const t = ttr.deltas.find((x) => x.runId === teacherRun)!;
      // The teacher repeats one word: lower TTR, and TTR is "higher is better" — but three pairs cannot make that
      // significant (the smallest exact sign-flip p-value of 3 pairs is 2/8), so no verdict and no bold.
      expect(t.direction).toBe("worse");
      expect(t.paired!.pValue).toBeGreaterThanOrEqual(0.25);
      expect(t.verdict).toBe("not_significant");
      expect(ttr.bestRunId).toBeNull();
      expect(cmp.significance).toMatchObject({ alpha: 0.05, correction: "holm" });
      expect(cmp.significance.tests).toBe(cmp.rows.flatMap((r) => r.deltas).filter((x) => x.paired?.pValue !== null && x.paired?.pValue !== undefined).length);
      const tex = latexTable(exportTableOf(cmp));
      expect(tex).toContain("Type--token ratio $\\uparrow$");
      expect(tex).not.toContain("\\textbf");
    });

    it("another reference: the exports put it first and measure changes against it", async () => {
      const cmp = await buildComparison(db, { runIds: [refRun, studentRun], refId: studentRun });
      const t = exportTableOf(cmp);
      expect(t.runIds).toEqual([studentRun, refRun]);
      const words = t.rows.find((r) => r.metric === "length_words")!;
      expect(words.values[0]!.value).toBeCloseTo(2.75, 12);
      // 2.75 → 2: −27.27 %
      expect(words.changes[0]!.pct).toBeCloseTo((100 * (2 - 2.75)) / 2.75, 10);
    });

    it("side-by-side samples sorted by the per-sample difference, outputs stored as given", async () => {
      const page = await sideBySide(db, { runIds: [refRun, studentRun], refId: refRun, metric: "length_words", dir: "desc", page: 1, pageSize: 2 });
      expect(page.total).toBe(3);
      expect(page.rows.map((r) => r.diff)).toEqual([2, 2]);
      expect(page.rows.map((r) => r.itemKey)).toEqual(["q1", "q3"]);
      const next = await sideBySide(db, { runIds: [refRun, studentRun], refId: refRun, metric: "length_words", dir: "desc", page: 2, pageSize: 2 });
      expect(next.rows.map((r) => [r.itemKey, r.diff])).toEqual([["q2", -1]]);
      expect(next.rows[0].outputs).toEqual(["a b c", XSS]);
      // Item order (the default view): keys in code-point order, differences still reported.
      const byItem = await sideBySide(db, { runIds: [refRun, studentRun], refId: refRun, metric: "length_words", page: 1, pageSize: 5 });
      expect(byItem.rows.map((r) => [r.itemKey, r.diff])).toEqual([
        ["q1", 2],
        ["q2", -1],
        ["q3", 2],
      ]);
      const asc = await sideBySide(db, { runIds: [refRun, studentRun], refId: refRun, metric: "length_words", dir: "asc", page: 1, pageSize: 5, q: "p3" });
      expect(asc.total).toBe(1);
      expect(asc.rows[0].outputs).toEqual(["x", "x y z"]);
    });

    it("side-by-side samples open on the first benchmark whose items have values of the metric", async () => {
      // A run whose first benchmark in item order (bbq) has no word counts: the default skips it.
      const m = await db.prisma.model.create({ data: { name: "Two-benchmarks" } });
      const run = await importGenerations(db, m.id, [{ key: "t1", sampleIndex: 0, prompt: "T1", output: "one two three", completionTokens: null }], {
        name: "two benchmarks",
      });
      await db.prisma.item.create({
        data: { runId: run, benchmark: "bbq", itemKey: "b1", status: "done", prompt: "B1", output: "A", scores: { bbq_correct: 1 } },
      });
      const first = await sideBySide(db, { runIds: [run], refId: run, metric: "length_words", page: 1, pageSize: 10 });
      expect(first.benchmark).toBe("textual");
      expect(first.benchmarks).toEqual([
        { benchmark: "bbq", items: 1, withValues: 0 },
        { benchmark: "textual", items: 1, withValues: 1 },
      ]);
      expect(first.total).toBe(1);
      expect(first.rows.map((r) => [r.itemKey, r.values[0]])).toEqual([["t1", 3]]);
      // Chosen: that benchmark, or all of them.
      const bbq = await sideBySide(db, { runIds: [run], refId: run, metric: "length_words", page: 1, pageSize: 10, benchmark: "bbq" });
      expect(bbq.rows.map((r) => [r.itemKey, r.values[0]])).toEqual([["b1", null]]);
      const all = await sideBySide(db, { runIds: [run], refId: run, metric: "length_words", page: 1, pageSize: 10, benchmark: "all" });
      expect(all.benchmark).toBeNull();
      expect(all.total).toBe(2);
      expect(all.rows.map((r) => r.itemKey)).toEqual(["b1", "t1"]);
      // A metric no benchmark has: every benchmark, as before.
      expect((await sideBySide(db, { runIds: [run], refId: run, metric: "mtld_missing", page: 1, pageSize: 10 })).benchmark).toBeNull();
      await db.prisma.model.delete({ where: { id: m.id } });
    });

    it("bins a per-sample metric per run in the database", async () => {
      const h = await histogram(db, [refRun, studentRun], "length_words", 5);
      expect(h.lo).toBe(1);
      expect(h.hi).toBe(4);
      expect(h.counts[0].reduce((a, b) => a + b, 0)).toBe(3);
      expect(h.counts[1].reduce((a, b) => a + b, 0)).toBe(4);
      expect(h.counts[0][0]).toBe(1); // the one-word output
      expect(h.counts[1][4]).toBe(1); // the maximum lands in the last bin
    });

    it("lays out base, student and teacher from the derivation; roles from the runs alone", async () => {
      const layout = await lineageLayout(db, { baseModelId: base });
      expect(layout!.runIds).toEqual([refRun, studentRun, teacherRun]);
      expect(layout!.refId).toBe(refRun);
      expect(layout!.roles).toEqual({ [refRun]: "base", [studentRun]: "student", [teacherRun]: "teacher" });
      const roles = await rolesOf(db, [
        { id: teacherRun, modelId: teacher },
        { id: studentRun, modelId: student },
      ]);
      expect(roles).toEqual({ [teacherRun]: "teacher", [studentRun]: "student" });
    });

    it("profiles a model from its latest completed run", async () => {
      const p = await modelProfile(db, student);
      expect(p.run).toBeNull();
      expect(p.sources.map((s) => [s.benchmark, s.runId])).toEqual([["textual", studentRun]]);
      expect(p.groups[0].category).toBe("textual");
      expect(p.groups[0].metrics.find((m) => m.metric === "length_words")!.n).toBe(4);
      expect(p.runs).toHaveLength(1);
      expect(p.runs[0].values.length_words.value).toBeCloseTo(2.75, 12);
    });
  });
}
