// The dataset builder's target distribution per set (all candidates, the random pick, the selection), as shares per
// bin (sets differ in size) with each set's mean as a dashed line: a figure laid out by lib/figures, with round
// ticks, axis titles and its legend inside, downloadable as SVG, PDF and PNG like the comparison's figures.
import { datasetHistogramScene } from "@/lib/figures/charts";
import { DOUBLE_COLUMN_IN } from "@/lib/figures/layout";
import type { SelectionReport } from "@/lib/inheritance/report";
import { Figure } from "./charts/figure";

export function DatasetDistribution({ report, label }: { report: SelectionReport; label: string }) {
  const h = report.histogram;
  if (h.edges.length === 0) return <p className="muted">No candidate has a value for this metric.</p>;
  const title = `Distribution of ${label}`;
  const scene = datasetHistogramScene(
    { histogram: h, means: [report.all.mean, report.random.mean, report.selected.mean], xTitle: label, title },
    { widthIn: DOUBLE_COLUMN_IN, fontPt: 9 },
  );
  return <Figure name={`dataset-${report.target}`} title={title} note="share of each set per bin; dashed: means" scene={scene} />;
}
