"use client";
// % change heatmap: metrics × runs against the reference, diverging colour centred at 0 and direction-aware
// (blue = for the better, vermillion = for the worse, grey = neutral metric), the value printed in each cell.
import { Scatter, ScatterChart, XAxis, YAxis } from "recharts";
import { textWidth } from "@/lib/export/pdf";
import { changeColor, inkOn } from "./palette";
import { SvgLegend, legendLayout } from "./svg-legend";
import type { ChartRow, ChartRun, FigureSettings } from "./types";
import { fontPx, widthPx } from "./types";

function fmt(p: number | null): string {
  if (p === null) return "n/a";
  const s = Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1);
  return p > 0 ? `+${s}` : s.replace("-", "−");
}

export function ChangeHeatmap({ rows, runs, refId, settings }: { rows: ChartRow[]; runs: ChartRun[]; refId: string; settings: FigureSettings }) {
  const others = runs.filter((r) => r.id !== refId);
  const fs = fontPx(settings);
  const width = widthPx(settings);
  const yWidth = Math.min(width * 0.42, Math.max(...rows.map((r) => textWidth(r.shortLabel, fs)), 40) + 10);
  const legend = [
    { label: "better", color: changeColor(40, "better") },
    { label: "worse", color: changeColor(40, "worse") },
    { label: "neutral metric", color: changeColor(40, "neutral") },
  ];
  const legendW = width - yWidth - 20;
  const legendH = legendLayout(legend, legendW, fs).height;
  const cellH = Math.max(fs * 1.8, 16);
  const margin = { top: legendH + 6, right: 10, bottom: fs * 3.2, left: 4 };
  const height = Math.round(margin.top + margin.bottom + rows.length * cellH);
  const plotW = width - margin.left - margin.right - yWidth;
  const cellW = plotW / Math.max(1, others.length);
  const data = rows.flatMap((r) =>
    others.map((o) => {
      const c = r.changes.find((x) => x.runId === o.id);
      return { run: o.label, metric: r.shortLabel, pct: c?.pct ?? null, verdict: c?.verdict ?? null };
    }),
  );
  return (
    <ScatterChart width={width} height={height} margin={margin}>
      <SvgLegend items={legend} x={margin.left + yWidth} y={2} width={legendW} fontSize={fs} />
      <XAxis
        type="category"
        dataKey="run"
        allowDuplicatedCategory={false}
        tick={{ fontSize: fs, fill: "#222222" }}
        tickLine={false}
        interval={0}
        label={{ value: "Run (% change vs reference)", position: "insideBottom", offset: 0, fontSize: fs, fill: "#222222" }}
      />
      <YAxis type="category" dataKey="metric" allowDuplicatedCategory={false} width={yWidth} tick={{ fontSize: fs, fill: "#222222" }} tickLine={false} interval={0} reversed />
      <Scatter
        data={data}
        isAnimationActive={false}
        shape={(props: unknown) => {
          const p = props as { cx?: number; cy?: number; payload?: { pct: number | null; verdict: string | null } };
          if (p.cx === undefined || p.cy === undefined || !p.payload) return <g />;
          const fill = changeColor(p.payload.pct, p.payload.verdict);
          return (
            <g>
              <rect x={p.cx - cellW / 2 + 1} y={p.cy - cellH / 2 + 1} width={cellW - 2} height={cellH - 2} fill={fill} stroke="#ffffff" />
              <text x={p.cx} y={p.cy} textAnchor="middle" dominantBaseline="central" fontSize={fs} fill={inkOn(fill)}>
                {fmt(p.payload.pct)}
              </text>
            </g>
          );
        }}
      />
    </ScatterChart>
  );
}
