import { NextResponse } from "next/server";
import { z } from "zod";
import { absentMembers } from "@/lib/compare/lineage";
import { compareQuerySchema, lineageContextOf, metricIdSchema, significanceSchema } from "@/lib/compare/params";
import { describeSignificance } from "@/lib/compare/verdicts";
import { sideBySide } from "@/lib/compare/samples";
import { runLabel } from "@/lib/export/table-model";
import { toCsv, type CsvValue } from "@/lib/export/csv";
import { buildComparison } from "@/lib/compare/table";
import { csvTable } from "@/lib/export/csv";
import { latexTable } from "@/lib/export/latex";
import { exportTableOf } from "@/lib/export/table-model";
import { getDatabase } from "@/lib/db/client";
import { codeVersion } from "@/lib/runs/version";

// The comparison table as a file: LaTeX (booktabs), CSV (formula-safe), JSON; and the manifest of an export.
// "samples-csv" / "samples-json": the side-by-side samples (prompt, each run's output and value, difference),
// sorted like the page, up to SAMPLES_EXPORT_MAX rows.
const schema = compareQuerySchema.extend(significanceSchema.shape).extend({
  format: z.enum(["latex", "csv", "json", "manifest", "samples-csv", "samples-json"]),
  metric: metricIdSchema.optional(),
  diff: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  dir: z.enum(["asc", "desc", "item"]).optional(),
});
const SAMPLES_EXPORT_MAX = 10_000;

export async function GET(req: Request) {
  const parsed = schema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return NextResponse.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const { runs, ref, format, alpha, correction } = parsed.data;
  const db = await getDatabase();
  const samplesExport = format === "samples-csv" || format === "samples-json";
  const significance = { alpha, correction };
  const cmp = await buildComparison(db, { runIds: runs, refId: ref, paired: format === "manifest" || samplesExport ? "none" : "all", significance });
  if (cmp.runs.length < 2) return NextResponse.json({ error: `need two existing runs; unknown: ${cmp.missing.join(", ") || "none"}` }, { status: 404 });
  const lineage = lineageContextOf(parsed.data);
  const absent = lineage ? await absentMembers(db, lineage, cmp.runs) : [];
  const table = exportTableOf(cmp, absent);
  const attach = (body: string, type: string, file: string) =>
    new NextResponse(body, { headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${file}"`, "Cache-Control": "no-store" } });
  if (samplesExport) {
    const metric = parsed.data.metric ?? "length_words";
    const page = await sideBySide(db, {
      runIds: cmp.runs.map((r) => r.id),
      refId: cmp.refId,
      metric,
      diffRunId: parsed.data.diff,
      dir: parsed.data.dir,
      page: 1,
      pageSize: SAMPLES_EXPORT_MAX,
    });
    const label = (id: string) => runLabel(cmp.runs.find((r) => r.id === id)!);
    if (format === "samples-json") return attach(JSON.stringify({ ...page, runLabels: page.runIds.map(label) }, null, 2), "application/json", "samples.json");
    const header: CsvValue[] = [
      "benchmark",
      "item_key",
      "sample_index",
      "prompt",
      ...page.runIds.flatMap((id) => [`${label(id)}: output`, `${label(id)}: ${metric}`]),
      `difference (${page.diffRunId ? label(page.diffRunId) : "?"} − ${label(page.refId)})`,
    ];
    const rows: CsvValue[][] = [
      header,
      ...page.rows.map((r) => [r.benchmark, r.itemKey, r.sampleIndex, r.prompt, ...r.outputs.flatMap((o, j) => [o, r.values[j]]), r.diff]),
    ];
    return attach(toCsv(rows), "text/csv; charset=utf-8", "samples.csv");
  }
  switch (format) {
    case "latex":
      return attach(latexTable(table), "application/x-tex; charset=utf-8", "comparison.tex");
    case "csv":
      return attach(csvTable(table), "text/csv; charset=utf-8", "comparison.csv");
    case "json":
      return attach(JSON.stringify({ ...cmp, runs: cmp.runs, absent }, null, 2), "application/json", "comparison.json");
    case "manifest":
      return attach(
        JSON.stringify(
          {
            generatedBy: "Lineage",
            generatedAt: new Date().toISOString(),
            codeVersion: codeVersion(),
            reference: cmp.refId,
            runs: cmp.runs.map((r) => ({
              id: r.id,
              name: r.name,
              model: r.modelName,
              status: r.status,
              state: r.state,
              problems: r.problems || null,
              source: r.source,
              createdAt: r.createdAt,
              finishedAt: r.finishedAt,
              codeVersion: r.codeVersion,
              seed: r.seed,
              suite: r.suite,
            })),
            absent,
            statistics: {
              values: "stored run aggregates: mean with a 95 % percentile-bootstrap CI",
              percentChange: "100·(value − reference)/|reference|",
              paired:
                "items paired by (benchmark, item key, sample index). Per-sample metrics: paired-bootstrap CI of the mean difference and two-sided sign-flip permutation p-value. Benchmark-level metrics: the statistic recomputed for both runs on items resampled together (paired bootstrap CI of the difference) and a two-sided swap-permutation p-value. Seeded by (reference, run, metric) for per-sample metrics and by (reference, run, benchmark, slice) for benchmark-level ones",
              verdicts: `a difference is better or worse only where its paired test is significant after the correction across the table (${describeSignificance(significance, null)}); otherwise no significant difference, or no test; equal values or distances to a target within a relative 1e-9 are ties`,
              significance,
            },
          },
          null,
          2,
        ),
        "application/json",
        "manifest.json",
      );
  }
}
