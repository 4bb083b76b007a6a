// What a reviewer reads off a comparison: roles from the derivation being compared, members without a run shown,
// verdicts only where the paired test is significant after the correction across the table (ties are ties), runs
// that are not fully completed marked, and a model profile that merges the latest result of each benchmark.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { chooserRuns } from "@/lib/compare/chooser";
import { absentMembers, lineageLayout, lineageRoles, rolesOf } from "@/lib/compare/lineage";
import { compareQuery, parseSignificance } from "@/lib/compare/params";
import { modelProfile } from "@/lib/compare/profile";
import { buildComparison } from "@/lib/compare/table";
import { directionOf, significantBest, tableVerdicts } from "@/lib/compare/verdicts";
import { csvTable } from "@/lib/export/csv";
import { latexTable } from "@/lib/export/latex";
import { exportTableOf } from "@/lib/export/table-model";
import { createDerivation } from "@/lib/models/lineage";
import { importGenerations, type Generation } from "@/lib/runs/import-generations";
import { backends } from "../support/databases";

describe("verdicts of a table (pure)", () => {
  it("a significant difference whose distances to the target are equal within 1e-9 is a tie, never better", () => {
    // 200/3 and 100/3 as stored aggregates: 16.66666666666667 and 16.666666666666664 away from 50.
    const direction = directionOf("stereoset_ss", 66.66666666666667, 33.333333333333336);
    expect(direction).toBe("same");
    const { verdicts } = tableVerdicts([{ metric: "stereoset_ss", direction, pValue: 0.0001 }], { alpha: 0.05, correction: "holm" });
    expect(verdicts[0].verdict).toBe("tie");
  });

  it("a difference in the right direction but not significant has no verdict; no test reads as no test", () => {
    // The TTR +0.8 %, p = 0.875.
    const { verdicts, tests } = tableVerdicts(
      [
        { metric: "ttr", direction: directionOf("ttr", 0.5, 0.504), pValue: 0.875 },
        { metric: "stereoset_ss", direction: "better", pValue: null },
        { metric: "mtld", direction: null, pValue: null },
      ],
      { alpha: 0.05, correction: "holm" },
    );
    expect(verdicts.map((v) => v.verdict)).toEqual(["not_significant", "no_test", null]);
    expect(tests).toBe(1);
  });

  it("applies Holm across the table: p = 0.02 is significant alone, not among three tests", () => {
    const cells = [
      { metric: "ttr", direction: "better" as const, pValue: 0.02 },
      { metric: "mtld", direction: "worse" as const, pValue: 0.3 },
      { metric: "length_words", direction: "neutral" as const, pValue: 0.001 },
    ];
    // Holm: 0.001 × 3 = 0.003; 0.02 × 2 = 0.04; 0.3 × 1 → max(0.3, 0.04) = 0.3.
    const holm = tableVerdicts(cells, { alpha: 0.05, correction: "holm" });
    expect(holm.verdicts.map((v) => v.verdict)).toEqual(["better", "not_significant", "different"]);
    expect(holm.verdicts[0].pAdjusted).toBeCloseTo(0.04, 12);
    expect(holm.verdicts[2].pAdjusted).toBeCloseTo(0.003, 12);
    // At α = 0.03 Holm drops the TTR verdict that no correction keeps.
    expect(tableVerdicts(cells, { alpha: 0.03, correction: "holm" }).verdicts[0].verdict).toBe("not_significant");
    expect(tableVerdicts(cells, { alpha: 0.03, correction: "none" }).verdicts[0].verdict).toBe("better");
    // Benjamini–Hochberg: 0.001·3/1 = 0.003, 0.02·3/2 = 0.03, 0.3.
    expect(tableVerdicts(cells, { alpha: 0.05, correction: "bh" }).verdicts.map((v) => v.pAdjusted)).toEqual([0.03, 0.3, 0.003]);
  });

  it("bolds the best value only where the tests back it", () => {
    const entries = [
      { runId: "ref", value: 50 },
      { runId: "a", value: 60 },
      { runId: "b", value: 40 },
    ];
    expect(significantBest("mtld", "ref", entries, (id) => (id === "a" ? "better" : "worse"))).toBe("a");
    expect(significantBest("mtld", "ref", entries, (id) => (id === "a" ? "not_significant" : "worse"))).toBeNull();
    const refBest = [{ runId: "ref", value: 70 }, ...entries.slice(1)];
    expect(significantBest("mtld", "ref", refBest, () => "worse")).toBe("ref");
    expect(significantBest("mtld", "ref", refBest, (id) => (id === "a" ? "not_significant" : "worse"))).toBeNull();
  });

  it("reads α and the correction from the URL with zod, defaults and errors included", () => {
    expect(parseSignificance({})).toEqual({ significance: { alpha: 0.05, correction: "holm" }, error: null });
    expect(parseSignificance({ alpha: "0.01", correction: "bh" }).significance).toEqual({ alpha: 0.01, correction: "bh" });
    expect(parseSignificance({ alpha: "0", correction: "holm" }).error).toMatch(/alpha/);
    expect(parseSignificance({ alpha: "abc" }).error).toMatch(/alpha/);
    expect(parseSignificance({ correction: "bonferroni" }).error).toMatch(/correction/);
    expect(compareQuery(["a", "b"], "a", { significance: { alpha: 0.01, correction: "none" }, lineage: { derivationId: "d1" } })).toBe(
      "runs=a,b&ref=a&lineage=d1&alpha=0.01&correction=none",
    );
    expect(compareQuery(["a", "b"], "a", { significance: { alpha: 0.05, correction: "holm" } })).toBe("runs=a,b&ref=a");
  });
});

const gens = (outputs: string[], file?: string): Generation[] =>
  outputs.map((output, i) => ({ key: `q${i + 1}`, sampleIndex: 0, prompt: `Prompt ${i + 1}${file ?? ""}`, output, completionTokens: null }));

for (const backend of backends()) {
  describe.skipIf(backend.skip !== null)(`reviewer-facing comparison on the ${backend.name} database`, () => {
    let db: Database;
    const model: Record<string, string> = {};
    const run: Record<string, string> = {};
    let d1: string;

    beforeAll(async () => {
      db = await backend.open();
      for (const name of ["M", "A", "B", "S", "P"]) model[name] = (await db.prisma.model.create({ data: { name: `Model-${name}` } })).id;
      // D1: S ← base M, teachers A and B (S has no run). D2: B ← base A, teacher M — B is a student elsewhere.
      const r1 = await createDerivation(db, { studentId: model.S, baseModelId: model.M, teacherIds: [model.A, model.B], method: "passive" });
      const r2 = await createDerivation(db, { studentId: model.B, baseModelId: model.A, teacherIds: [model.M], method: "passive" });
      if (!r1.ok || !r2.ok) throw new Error("derivations refused");
      d1 = r1.data.id;
      // Twelve prompts: the base answers "a a" (2 words, TTR 0.5), A four distinct words (TTR 1), B three.
      run.M = await importGenerations(db, model.M, gens(Array(12).fill("a a")), { name: "M run" });
      run.A = await importGenerations(db, model.A, gens(Array.from({ length: 12 }, (_, i) => `w${i} x${i} y${i} z${i}`)), { name: "A run" });
      run.B = await importGenerations(db, model.B, gens(Array.from({ length: 12 }, (_, i) => `u${i} v${i} t${i}`)), { name: "B run" });
    });
    afterAll(async () => db?.close());

    it("lineage roles come from the derivation compared: a teacher that is a student elsewhere stays a teacher, a student without runs is shown", async () => {
      const layout = await lineageLayout(db, { derivationId: d1 });
      expect(layout!.runIds).toEqual([run.M, run.A, run.B]);
      expect(layout!.refId).toBe(run.M);
      expect(layout!.roles).toEqual({ [run.M]: "base", [run.A]: "teacher", [run.B]: "teacher" });
      expect(layout!.members.map((m) => [m.name, m.role, m.runId])).toEqual([
        ["Model-M", "base", run.M],
        ["Model-S", "student", null],
        ["Model-A", "teacher", run.A],
        ["Model-B", "teacher", run.B],
      ]);
      expect(layout!.withoutRuns).toEqual(["Model-S"]);
      // What the page shows once redirected to runs=…&lineage=d1: roles from D1, S as a column of its own.
      const runs = [run.M, run.A, run.B].map((id, i) => ({ id, modelId: [model.M, model.A, model.B][i] }));
      expect((await lineageRoles(db, { derivationId: d1 }, runs))!.roles).toEqual({ [run.M]: "base", [run.A]: "teacher", [run.B]: "teacher" });
      expect(await absentMembers(db, { derivationId: d1 }, runs)).toEqual([
        { modelId: model.S, name: "Model-S", role: "student", reason: "no completed run", runnable: false, latestRunId: null },
      ]);
      // ?base=M: the derivations from M only (D1), so the same roles; ?base=A: D2, where B is the student.
      expect((await lineageLayout(db, { baseModelId: model.M }))!.roles).toEqual({ [run.M]: "base", [run.A]: "teacher", [run.B]: "teacher" });
      expect((await lineageLayout(db, { baseModelId: model.A }))!.roles).toEqual({ [run.A]: "base", [run.B]: "student", [run.M]: "teacher" });
      // Without a lineage, only a single derivation relating the runs gives roles (here D2: S has no run).
      expect(await rolesOf(db, runs)).toEqual({ [run.M]: "teacher", [run.A]: "base", [run.B]: "student" });
      // The exports name the missing member.
      const cmp = await buildComparison(db, { runIds: layout!.runIds, refId: layout!.refId!, paired: "none" });
      const tex = latexTable(exportTableOf(cmp, await absentMembers(db, { derivationId: d1 }, runs)));
      expect(tex).toContain("Not in the table: Model-S (student): no completed run.");
    });

    it("verdicts only where significant after Holm across the table; the exports carry α, the correction and the adjusted p", async () => {
      const cmp = await buildComparison(db, { runIds: [run.M, run.A], refId: run.M, paired: "all" });
      const m = cmp.significance.tests!;
      expect(m).toBeGreaterThan(3);
      const row = (metric: string) => cmp.rows.find((r) => r.metric === metric)!;
      const ttr = row("ttr").deltas[0];
      // Twelve differences of +0.5: the exact sign-flip p-value is 2/4096, the smallest of the table, so Holm
      // multiplies it by the number of tests.
      expect(ttr.paired!.pValue).toBe(2 / 4096);
      expect(ttr.pAdjusted).toBeCloseTo(Math.min(1, (m * 2) / 4096), 12);
      expect(ttr.verdict).toBe("better");
      expect(row("ttr").bestRunId).toBe(run.A);
      expect(row("length_words").deltas[0].verdict).toBe("different"); // significant, no direction
      // At α = 0.001, the raw p-value passes but Holm's does not.
      const strict = await buildComparison(db, { runIds: [run.M, run.A], refId: run.M, paired: "all", significance: { alpha: 0.001, correction: "holm" } });
      expect(strict.rows.find((r) => r.metric === "ttr")!.deltas[0].verdict).toBe("not_significant");
      expect(strict.rows.find((r) => r.metric === "ttr")!.bestRunId).toBeNull();
      const none = await buildComparison(db, { runIds: [run.M, run.A], refId: run.M, paired: "all", significance: { alpha: 0.001, correction: "none" } });
      expect(none.rows.find((r) => r.metric === "ttr")!.deltas[0].verdict).toBe("better");
      const tex = latexTable(exportTableOf(strict));
      expect(tex).toContain(`$\\alpha$ = 0.001, two-sided, Holm correction over the ${m} paired tests of the table`);
      expect(tex).toContain("$p_{\\mathrm{Holm}}$");
      expect(tex).not.toContain("\\textbf");
      expect(latexTable(exportTableOf(cmp))).toMatch(/Type--token ratio \$\\uparrow\$ & 0\.500 \$\\pm\$ 0\.000 & \\textbf\{1\.00 /);
      const csv = csvTable(exportTableOf(strict)).split("\r\n");
      expect(csv[0]).toMatch(/: p_adjusted,Model-A \(A run\): verdict,alpha,correction,tests$/);
      const ttrLine = csv.find((l) => l.startsWith("ttr,"))!;
      expect(ttrLine.endsWith(`,not_significant,0.001,holm,${m}`)).toBe(true);
    });

    it("marks runs that are not fully completed in the table and the exports; the chooser does not offer failed runs", async () => {
      const partial = await importGenerations(db, model.P, gens(["one two", "three four"]), { name: "partial run" });
      await db.sql.query(
        `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", status, error, "errorKind") VALUES ($1, 'textual', 'q9', 0, 'failed', 'connection refused', 'connection')`,
        [partial],
      );
      const cmp = await buildComparison(db, { runIds: [run.M, partial], refId: run.M, paired: "all" });
      expect(cmp.runs.map((r) => r.state)).toEqual(["completed", "completed_with_failures"]);
      expect(cmp.runs[1].problems).toBe("textual: 1 item(s) failed");
      const t = exportTableOf(cmp);
      const tex = latexTable(t);
      expect(tex).toContain("Model-P (partial run)$^{\\mathrm{a}}$");
      expect(tex).toContain("$^{\\mathrm{a}}$ Model-P (partial run): completed with failures (textual: 1 item(s) failed); its values may be partial.");
      const csv = csvTable(t).split("\r\n");
      expect(csv[0]).toContain("Model-P (partial run): run_state");
      expect(csv[1]).toMatch(/,completed_with_failures,/);

      const failed = await importGenerations(db, model.P, gens(["x"]), { name: "dead run" });
      await db.sql.query(`UPDATE "Run" SET status = 'failed', error = 'endpoint unreachable' WHERE id = $1`, [failed]);
      const listed = await chooserRuns(db);
      const dead = listed.find((r) => r.id === failed)!;
      expect(dead.offered).toBe(false);
      expect(dead.reason).toBe("failed: endpoint unreachable");
      const withFailures = listed.find((r) => r.id === partial)!;
      expect(withFailures).toMatchObject({ offered: true, state: "completed_with_failures", stateLabel: "completed with failures" });
      await db.prisma.run.deleteMany({ where: { id: { in: [partial, failed] } } });
    });

    it("the profile shows each benchmark's latest completed result across runs, and runs over time only of one suite and item set", async () => {
      // An older bias run (stored as the executor stores one), then textual runs: two on 3 prompts, one on 4.
      const bias = "bias-run-" + backend.name;
      await db.sql.query(
        `INSERT INTO "Run" (id, "modelId", name, status, suite, source, "createdAt", "finishedAt") VALUES ($1, $2, 'bias', 'completed', $3::jsonb, 'profile', now() - interval '2 days', now() - interval '2 days')`,
        [
          bias,
          model.P,
          JSON.stringify({ name: "quick", benchmarks: [{ benchmark: "stereoset", limit: 2, dataset: { name: "StereoSet", count: 2, sha256: "abc" } }] }),
        ],
      );
      await db.sql.query(
        `INSERT INTO "RunBenchmark" ("runId", benchmark, status, total, "finishedAt") VALUES ($1, 'stereoset', 'completed', 2, now() - interval '2 days')`,
        [bias],
      );
      await db.sql.query(
        `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n) VALUES ($1, 'stereoset_ss', 'stereoset', 60, 55, 65, 2)`,
        [bias],
      );
      const t1 = await importGenerations(db, model.P, gens(["a b", "c d", "e f"]), { name: "t1" });
      const t2 = await importGenerations(db, model.P, gens(["a b c", "c d e", "e f g"]), { name: "t2" });
      const t3 = await importGenerations(db, model.P, gens(["a", "b", "c", "d"]), { name: "t3" });

      const p = await modelProfile(db, model.P);
      expect(p.run).toBeNull();
      expect(p.sources.map((s) => [s.benchmark, s.runId])).toEqual([
        ["textual", t3],
        ["stereoset", bias],
      ]);
      const metric = (id: string) => p.groups.flatMap((g) => g.metrics).find((m) => m.metric === id)!;
      expect(metric("stereoset_ss").value).toBe(60);
      expect(metric("stereoset_ss").source.runName).toBe("bias");
      expect(metric("length_words").value).toBe(1);
      expect(metric("length_words").source.runId).toBe(t3);
      // Runs over time: t3's series alone (4 prompts); t1 and t2 (3 prompts) form another, the bias run a third.
      expect(p.series.map((s) => s.runIds)).toEqual([[t3], [t1, t2], [bias]]);
      expect(p.seriesKey).toBe(p.series[0].key);
      expect(p.series[0].label).toBe("textual (generations.jsonl, 4 items)");
      const other = await modelProfile(db, model.P, { series: p.series[1].key });
      expect(other.runs.filter((r) => r.series === other.seriesKey).map((r) => r.id)).toEqual([t1, t2]);
      // One chosen run: its results alone.
      const one = await modelProfile(db, model.P, { runId: bias });
      expect(one.run!.id).toBe(bias);
      expect(one.groups.flatMap((g) => g.metrics).map((m) => m.metric)).toEqual(["stereoset_ss"]);
    });
  });
}
