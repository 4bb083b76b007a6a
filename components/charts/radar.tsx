"use client";
// Radar of one category: each axis is a metric, normalised by dividing every run's value by the largest absolute
// value among the compared runs, so the run with the largest magnitude reaches 1 on that axis.
import { PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart } from "recharts";
import { RUN_DASHES, runColor } from "./palette";
import { SvgLegend, legendLayout } from "./svg-legend";
import type { ChartRow, ChartRun, FigureSettings } from "./types";
import { fontPx, widthPx } from "./types";

export const RADAR_NORMALISATION = "each axis: value ÷ the largest |value| among the compared runs (1 = largest)";

export function normalisedRadarData(rows: ChartRow[], runs: ChartRun[]): Record<string, string | number | null>[] {
  return rows.map((r) => {
    const values = runs.map((_, j) => r.cells[j]?.value ?? null);
    const max = Math.max(...values.map((v) => (v === null ? 0 : Math.abs(v))));
    const d: Record<string, string | number | null> = { metric: r.shortLabel };
    values.forEach((v, j) => (d[`v${j}`] = v === null || max === 0 ? null : v / max));
    return d;
  });
}

export function CategoryRadar({ rows, runs, settings }: { rows: ChartRow[]; runs: ChartRun[]; settings: FigureSettings }) {
  const fs = fontPx(settings);
  const width = widthPx(settings);
  const legend = runs.map((r, i) => ({ label: r.label, color: runColor(i), dash: RUN_DASHES[i], kind: "line" as const }));
  const legendW = width - fs * 5;
  const legendH = legendLayout(legend, legendW, fs).height;
  const height = Math.round(Math.min(width, 520) * 0.8 + legendH);
  return (
    <RadarChart width={width} height={height} data={normalisedRadarData(rows, runs)} margin={{ top: legendH + 10, right: fs * 4, bottom: 10, left: fs * 4 }} outerRadius="60%">
      <SvgLegend items={legend} x={10} y={2} width={legendW} fontSize={fs} />
      <PolarGrid stroke="#cccccc" />
      <PolarAngleAxis dataKey="metric" tick={{ fontSize: fs, fill: "#222222" }} />
      <PolarRadiusAxis domain={[-1, 1]} tickCount={3} tick={{ fontSize: fs * 0.8, fill: "#555555" }} angle={90} axisLine={false} />
      {runs.map((r, j) => (
        <Radar key={r.id} dataKey={`v${j}`} name={r.label} stroke={runColor(j)} strokeDasharray={RUN_DASHES[j] || undefined} strokeWidth={2} fill={runColor(j)} fillOpacity={0.08} isAnimationActive={false} />
      ))}
    </RadarChart>
  );
}
