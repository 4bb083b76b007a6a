"use client";
// Reliability diagram: accuracy against mean confidence per equal-mass bin (from the calibration aggregate's
// stored bins), one line per run, the diagonal for perfect calibration.
import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from "recharts";
import { RUN_DASHES, runColor } from "./palette";
import { SvgLegend, legendLayout } from "./svg-legend";
import type { ChartRun, FigureSettings, ReliabilityBin } from "./types";
import { fontPx, widthPx } from "./types";

export function ReliabilityDiagram({ bins, runs, settings, setLabel }: { bins: (ReliabilityBin[] | null)[]; runs: ChartRun[]; settings: FigureSettings; setLabel: string }) {
  const fs = fontPx(settings);
  const width = widthPx(settings);
  const shown = runs.map((r, j) => ({ r, j })).filter(({ j }) => bins[j]?.length);
  const legend = [...shown.map(({ r, j }) => ({ label: r.label, color: runColor(j), dash: RUN_DASHES[j], kind: "line" as const })), { label: "perfect calibration", color: "#888888", dash: "3 3", kind: "line" as const }];
  const legendW = width - fs * 5;
  const legendH = legendLayout(legend, legendW, fs).height;
  const height = Math.round(Math.min(width, 480) * 0.85 + legendH);
  return (
    <LineChart width={width} height={height} margin={{ top: legendH + 6, right: 12, bottom: fs * 1.8, left: fs * 1.5 }}>
      <SvgLegend items={legend} x={fs * 4} y={2} width={legendW} fontSize={fs} />
      <CartesianGrid stroke="#dddddd" />
      <XAxis dataKey="conf" type="number" domain={[0, 1]} tick={{ fontSize: fs, fill: "#222222" }} label={{ value: `Mean confidence (probability), ${setLabel}`, position: "insideBottom", offset: -fs * 0.6, fontSize: fs, fill: "#222222" }} allowDuplicatedCategory={false} />
      <YAxis type="number" domain={[0, 1]} tick={{ fontSize: fs, fill: "#222222" }} label={{ value: "Accuracy (proportion)", angle: -90, position: "insideLeft", fontSize: fs, fill: "#222222", style: { textAnchor: "middle" } }} />
      <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#888888" strokeDasharray="3 3" />
      {shown.map(({ r, j }) => (
        <Line
          key={r.id}
          data={(bins[j] ?? []).filter((b) => b.n > 0 && b.meanConfidence !== null && b.accuracy !== null).map((b) => ({ conf: b.meanConfidence, acc: b.accuracy }))}
          dataKey="acc"
          name={r.label}
          stroke={runColor(j)}
          strokeDasharray={RUN_DASHES[j] || undefined}
          strokeWidth={2}
          dot={{ r: 3, fill: runColor(j) }}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
