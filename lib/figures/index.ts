// Every figure Lineage exports, as data → scene. A scene is written to SVG (lib/figures/svg.ts, anywhere), drawn on
// screen (components/charts/scene-svg.tsx) and written to PDF on the server (lib/figures/pdf.ts via
// /api/export/figure). Pure.
import { barsScene, datasetHistogramScene, distributionScene, reliabilityScene, type DatasetHistogram } from "./charts";
import type { FigureRow, FigureRun, HistogramData, ReliabilityBin } from "./data";
import { heatmapScene } from "./heatmap";
import type { FigureSettings } from "./layout";
import { radarScene } from "./radar";
import type { Scene } from "./scene";

export type FigureSpec =
  | { kind: "heatmap"; rows: FigureRow[]; runs: FigureRun[]; refId: string; note?: string }
  | { kind: "bars"; rows: FigureRow[]; runs: FigureRun[]; yTitle: string; title: string }
  | { kind: "radar"; rows: FigureRow[]; runs: FigureRun[]; title: string }
  | { kind: "distribution"; hist: HistogramData; runs: FigureRun[]; xTitle: string; title: string }
  | { kind: "reliability"; bins: (ReliabilityBin[] | null)[]; runs: FigureRun[]; setLabel: string; title: string }
  | { kind: "dataset"; histogram: DatasetHistogram; means: (number | null)[]; xTitle: string; title: string };

export function figureScene(spec: FigureSpec, settings: FigureSettings): Scene {
  switch (spec.kind) {
    case "heatmap":
      return heatmapScene(spec, settings);
    case "bars":
      return barsScene(spec, settings);
    case "radar":
      return radarScene(spec, settings);
    case "distribution":
      return distributionScene(spec, settings);
    case "reliability":
      return reliabilityScene(spec, settings);
    case "dataset":
      return datasetHistogramScene(spec, settings);
  }
}

/** Tallest a figure can be and still fit a page of a two-column paper with its caption (9 in of text height). */
export const MAX_FIGURE_HEIGHT_PT = 9 * 72;

export type { FigureSettings } from "./layout";
export type { Scene } from "./scene";
