"use client";
// The comparison's figures with the verdicts of the table: the heatmap colours a change only where its paired test
// is significant after the correction across the table (the same batches and the same pure verdict function as
// the compare table and the exports). Rows reach CompareCharts with their verdict mapped onto the palette's
// better / worse / neutral (grey) for significant changes, "same" (uncoloured) for the rest, and none (white)
// while the paired tests are still coming in.
import type { ComponentProps } from "react";
import type { PairedStats } from "@/lib/compare/stats";
import { describeSignificance, type Significance, type Verdict } from "@/lib/compare/verdicts";
import { CompareCharts } from "./compare-charts";
import { usePairedVerdicts } from "./paired-verdicts";

const HEAT: Record<Verdict, string> = { better: "better", worse: "worse", different: "neutral", tie: "same", not_significant: "same", no_test: "same" };

export function JudgedCharts({
  pairedUrl,
  initialPaired,
  significance,
  pairable,
  ...props
}: ComponentProps<typeof CompareCharts> & {
  pairedUrl: string;
  initialPaired?: Record<string, Record<string, PairedStats>>;
  significance: Significance;
  pairable: string[];
}) {
  const pv = usePairedVerdicts(
    pairedUrl,
    props.runs.map((r) => r.id),
    props.refId,
    props.rows.map((r) => ({ metric: r.metric, pairable: pairable.includes(r.metric), cells: r.cells })),
    significance,
    initialPaired,
  );
  const rows = props.rows.map((r) => ({
    ...r,
    changes: r.changes.map((c: { runId: string; pct: number | null; verdict: string | null }) => {
      const v = pv.verdict(r.metric, c.runId)?.verdict;
      return { ...c, verdict: v ? HEAT[v] : null };
    }),
  }));
  const note = `Coloured only where the paired test is significant (${describeSignificance(significance, pv.tests).replace("α", "alpha")}); uncoloured: no significant difference or no test${pv.done ? "" : " (verdicts still being computed)"}.`;
  return <CompareCharts {...props} rows={rows} heatmapNote={note} />;
}
