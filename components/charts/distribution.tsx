"use client";
// Distribution of a per-sample metric per run: a histogram with shared bins (binned by the database), as step
// lines so that several runs stay legible on top of each other.
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from "recharts";
import { RUN_DASHES, runColor } from "./palette";
import { SvgLegend, legendLayout } from "./svg-legend";
import type { ChartRun, FigureSettings } from "./types";
import { fontPx, widthPx } from "./types";

export interface HistogramData {
  edges: number[];
  counts: number[][];
  n: number[];
}

export function DistributionChart({ hist, runs, settings, xLabel }: { hist: HistogramData; runs: ChartRun[]; settings: FigureSettings; xLabel: string }) {
  const fs = fontPx(settings);
  const width = widthPx(settings);
  const legend = runs.map((r, i) => ({ label: `${r.label} (n = ${hist.n[i] ?? 0})`, color: runColor(i), dash: RUN_DASHES[i], kind: "line" as const }));
  const legendW = width - fs * 5;
  const legendH = legendLayout(legend, legendW, fs).height;
  const height = Math.round(width * 0.6 + legendH);
  // Share of each run's samples per bin, so runs of different sizes compare.
  const data = hist.edges.slice(0, -1).map((lo, k) => {
    const d: Record<string, number | null> = { x: Math.round(((lo + hist.edges[k + 1]) / 2) * 100) / 100 };
    runs.forEach((_, j) => (d[`v${j}`] = hist.n[j] ? (100 * (hist.counts[j]?.[k] ?? 0)) / hist.n[j] : null));
    return d;
  });
  return (
    <LineChart width={width} height={height} data={data} margin={{ top: legendH + 6, right: 12, bottom: fs * 1.8, left: fs * 1.5 }}>
      <SvgLegend items={legend} x={fs * 4} y={2} width={legendW} fontSize={fs} />
      <CartesianGrid stroke="#dddddd" vertical={false} />
      <XAxis dataKey="x" type="number" domain={["dataMin", "dataMax"]} tick={{ fontSize: fs, fill: "#222222" }} label={{ value: xLabel, position: "insideBottom", offset: -fs * 0.6, fontSize: fs, fill: "#222222" }} />
      <YAxis tick={{ fontSize: fs, fill: "#222222" }} label={{ value: "Samples (%)", angle: -90, position: "insideLeft", fontSize: fs, fill: "#222222", style: { textAnchor: "middle" } }} />
      {runs.map((r, j) => (
        <Line key={r.id} type="step" dataKey={`v${j}`} name={r.label} stroke={runColor(j)} strokeDasharray={RUN_DASHES[j] || undefined} strokeWidth={2} dot={false} isAnimationActive={false} />
      ))}
    </LineChart>
  );
}
