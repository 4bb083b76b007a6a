import { NextResponse } from "next/server";
import { z } from "zod";
import { compareQuerySchema } from "@/lib/compare/params";
import { buildComparison } from "@/lib/compare/table";
import { csvTable } from "@/lib/export/csv";
import { latexTable } from "@/lib/export/latex";
import { exportTableOf } from "@/lib/export/table-model";
import { getDatabase } from "@/lib/db/client";
import { codeVersion } from "@/lib/runs/version";

// The comparison table as a file: LaTeX (booktabs), CSV (formula-safe), JSON; and the manifest of an export.
const schema = compareQuerySchema.extend({ format: z.enum(["latex", "csv", "json", "manifest"]) });

export async function GET(req: Request) {
  const parsed = schema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return NextResponse.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const { runs, ref, format } = parsed.data;
  const db = await getDatabase();
  const cmp = await buildComparison(db, { runIds: runs, refId: ref, paired: format === "manifest" ? "none" : "all" });
  if (cmp.runs.length < 2) return NextResponse.json({ error: `need two existing runs; unknown: ${cmp.missing.join(", ") || "none"}` }, { status: 404 });
  const table = exportTableOf(cmp);
  const attach = (body: string, type: string, file: string) =>
    new NextResponse(body, { headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${file}"`, "Cache-Control": "no-store" } });
  switch (format) {
    case "latex":
      return attach(latexTable(table), "application/x-tex; charset=utf-8", "comparison.tex");
    case "csv":
      return attach(csvTable(table), "text/csv; charset=utf-8", "comparison.csv");
    case "json":
      return attach(JSON.stringify({ ...cmp, runs: cmp.runs }, null, 2), "application/json", "comparison.json");
    case "manifest":
      return attach(
        JSON.stringify(
          {
            generatedBy: "Lineage",
            generatedAt: new Date().toISOString(),
            codeVersion: codeVersion(),
            reference: cmp.refId,
            runs: cmp.runs.map((r) => ({ id: r.id, name: r.name, model: r.modelName, status: r.status, source: r.source, createdAt: r.createdAt, finishedAt: r.finishedAt, codeVersion: r.codeVersion, seed: r.seed, suite: r.suite })),
            statistics: {
              values: "stored run aggregates: mean with a 95 % percentile-bootstrap CI",
              percentChange: "100·(value − reference)/|reference|",
              paired: "per-sample metrics, items paired by (benchmark, item key, sample index): paired-bootstrap CI of the mean difference and two-sided sign-flip permutation p-value, seeded by (reference, run, metric)",
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
