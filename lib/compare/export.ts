// A comparison as a file: the table as LaTeX (booktabs), CSV (formula-safe) or JSON, the manifest of an export, and
// the side-by-side samples ("samples-csv" / "samples-json": prompt, each run's output and value, difference, sorted
// like the page, up to SAMPLES_EXPORT_MAX rows). Served by /api/export/compare and, for a reviewer link's runs
// only, by /api/share/<token>/export.
import { z } from "zod";
import { absentMembers, withoutIds } from "@/lib/compare/lineage";
import { metricIdSchema, significanceSchema, type LineageContext } from "@/lib/compare/params";
import { describeSignificance, type Significance } from "@/lib/compare/verdicts";
import { sideBySide } from "@/lib/compare/samples";
import { buildComparison } from "@/lib/compare/table";
import type { Database } from "@/lib/db/client";
import { csvTable, toCsv, type CsvValue } from "@/lib/export/csv";
import { latexTable } from "@/lib/export/latex";
import { exportTableOf, runLabel } from "@/lib/export/table-model";
import { notFound } from "@/lib/errors";
import { codeVersion } from "@/lib/runs/version";

export const COMPARE_EXPORT_FORMATS = ["latex", "csv", "json", "manifest", "samples-csv", "samples-json"] as const;
export type CompareExportFormat = (typeof COMPARE_EXPORT_FORMATS)[number];

/** The choices of an export besides its runs: format, significance and the samples' metric and order. */
export const compareExportOptionsSchema = significanceSchema.extend({
  format: z.enum(COMPARE_EXPORT_FORMATS),
  metric: metricIdSchema.optional(),
  diff: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  dir: z.enum(["asc", "desc", "item"]).optional(),
  /** the samples' benchmark, as the page shows it; every benchmark without one */
  bench: z.string().max(100).optional(),
});
const SAMPLES_EXPORT_MAX = 10_000;

export interface CompareExportRequest {
  runIds: string[];
  refId?: string;
  significance: Significance;
  lineage: LineageContext | null;
  format: CompareExportFormat;
  metric?: string;
  diff?: string;
  dir?: "asc" | "desc" | "item";
  bench?: string;
  /** leave out the ids of lineage members that are not compared (a reviewer link's export) */
  memberIds?: false;
}

export interface ExportFile {
  body: string;
  type: string;
  file: string;
}

export async function compareExport(db: Database, q: CompareExportRequest): Promise<ExportFile> {
  const { format, significance } = q;
  const samplesExport = format === "samples-csv" || format === "samples-json";
  const cmp = await buildComparison(db, { runIds: q.runIds, refId: q.refId, paired: format === "manifest" || samplesExport ? "none" : "all", significance });
  if (cmp.runs.length < 2) throw notFound(`need two existing runs; unknown: ${cmp.missing.join(", ") || "none"}`);
  const members = q.lineage ? await absentMembers(db, q.lineage, cmp.runs) : [];
  const absent = q.memberIds === false ? withoutIds(members) : members;
  const table = exportTableOf(cmp, absent);
  if (samplesExport) {
    const metric = q.metric ?? "length_words";
    const page = await sideBySide(db, {
      runIds: cmp.runs.map((r) => r.id),
      refId: cmp.refId,
      metric,
      diffRunId: q.diff,
      dir: q.dir,
      // A file holds every benchmark unless the page's link names the one it shows.
      benchmark: q.bench ?? "all",
      page: 1,
      pageSize: SAMPLES_EXPORT_MAX,
    });
    const label = (id: string) => runLabel(cmp.runs.find((r) => r.id === id)!);
    if (format === "samples-json")
      return { body: JSON.stringify({ ...page, runLabels: page.runIds.map(label) }, null, 2), type: "application/json", file: "samples.json" };
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
    return { body: toCsv(rows), type: "text/csv; charset=utf-8", file: "samples.csv" };
  }
  switch (format) {
    case "latex":
      return { body: latexTable(table), type: "application/x-tex; charset=utf-8", file: "comparison.tex" };
    case "csv":
      return { body: csvTable(table), type: "text/csv; charset=utf-8", file: "comparison.csv" };
    case "json":
      return { body: JSON.stringify({ ...cmp, runs: cmp.runs, absent }, null, 2), type: "application/json", file: "comparison.json" };
    case "manifest":
      return {
        body: JSON.stringify(
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
            statistics: statisticsOf(significance),
          },
          null,
          2,
        ),
        type: "application/json",
        file: "manifest.json",
      };
  }
}

function statisticsOf(significance: Significance) {
  return {
    values: "stored run aggregates: mean with a 95 % percentile-bootstrap CI",
    percentChange: "100·(value − reference)/|reference|",
    paired:
      "items paired by (benchmark, item key, sample index). Per-sample metrics: paired-bootstrap CI of the mean difference and two-sided sign-flip permutation p-value. Benchmark-level metrics: the statistic recomputed for both runs on items resampled together (paired bootstrap CI of the difference) and a two-sided swap-permutation p-value. Seeded by (reference, run, metric) for per-sample metrics and by (reference, run, benchmark, slice) for benchmark-level ones",
    verdicts: `a difference is better or worse only where its paired test is significant after the correction across the table (${describeSignificance(significance, null)}); otherwise no significant difference, or no test; equal values or distances to a target within a relative 1e-9 are ties`,
    significance,
  };
}

/** The file as a download response. */
export function attachment(f: ExportFile): Response {
  return new Response(f.body, { headers: { "Content-Type": f.type, "Content-Disposition": `attachment; filename="${f.file}"`, "Cache-Control": "no-store" } });
}
