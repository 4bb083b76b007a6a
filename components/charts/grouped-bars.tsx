"use client";
// Grouped bars with 95 % CI error bars: metrics on the x axis, one bar per run. Values of one unit share the
// y axis, so the chart takes metrics of one unit at a time.
import { Bar, BarChart, CartesianGrid, ErrorBar, XAxis, YAxis } from "recharts";
import { runColor } from "./palette";
import { SvgLegend, legendLayout } from "./svg-legend";
import type { ChartRow, ChartRun, FigureSettings } from "./types";
import { fontPx, widthPx } from "./types";

export function GroupedBars({ rows, runs, settings, yLabel }: { rows: ChartRow[]; runs: ChartRun[]; settings: FigureSettings; yLabel: string }) {
  const fs = fontPx(settings);
  const width = widthPx(settings);
  const legend = runs.map((r, i) => ({ label: r.label, color: runColor(i) }));
  const legendW = width - fs * 5;
  const legendH = legendLayout(legend, legendW, fs).height;
  const height = Math.round(width * 0.62 + legendH);
  const data = rows.map((r) => {
    const d: Record<string, unknown> = { metric: r.shortLabel };
    runs.forEach((_, j) => {
      const c = r.cells[j];
      d[`v${j}`] = c?.value ?? null;
      d[`e${j}`] = c && c.value !== null && c.lo !== null && c.hi !== null ? [c.value - c.lo, c.hi - c.value] : [0, 0];
    });
    return d;
  });
  return (
    <BarChart width={width} height={height} data={data} margin={{ top: legendH + 6, right: 10, bottom: fs * 1.5, left: fs * 1.5 }}>
      <SvgLegend items={legend} x={fs * 4} y={2} width={legendW} fontSize={fs} />
      <CartesianGrid stroke="#dddddd" vertical={false} />
      <XAxis dataKey="metric" tick={{ fontSize: fs, fill: "#222222" }} interval={0} />
      <YAxis tick={{ fontSize: fs, fill: "#222222" }} label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: fs, fill: "#222222", style: { textAnchor: "middle" } }} />
      {runs.map((r, j) => (
        <Bar key={r.id} dataKey={`v${j}`} name={r.label} fill={runColor(j)} stroke="#333333" strokeWidth={0.5} isAnimationActive={false}>
          <ErrorBar dataKey={`e${j}`} width={4} stroke="#111111" strokeWidth={1} isAnimationActive={false} />
        </Bar>
      ))}
    </BarChart>
  );
}
