"use client";
// A model's runs over time: one headline metric per completed run, with its 95 % CI, in run order.
import { useState } from "react";
import { CartesianGrid, ErrorBar, Line, LineChart, XAxis, YAxis } from "recharts";
import { runColor } from "./palette";
import { stripBidiControls } from "@/lib/export/bidi";
import { formatDate } from "@/lib/export/format";

export interface RunPoint {
  id: string;
  name: string;
  createdAt: string;
  values: Record<string, { value: number | null; lo: number | null; hi: number | null }>;
}

export function RunsOverTime({ runs, metrics }: { runs: RunPoint[]; metrics: { id: string; label: string }[] }) {
  const available = metrics.filter((m) => runs.some((r) => r.values[m.id]?.value !== null && r.values[m.id] !== undefined));
  const [metric, setMetric] = useState(available[0]?.id ?? "");
  if (available.length === 0 || runs.length < 2) return null;
  const m = available.find((x) => x.id === metric) ?? available[0];
  const data = runs
    .filter((r) => r.values[m.id]?.value !== null && r.values[m.id] !== undefined)
    .map((r) => {
      const v = r.values[m.id];
      return {
        run: `${formatDate(r.createdAt)} ${stripBidiControls(r.name)}`.slice(0, 28),
        value: v.value,
        err: v.lo !== null && v.hi !== null && v.value !== null ? [v.value - v.lo, v.hi - v.value] : [0, 0],
      };
    });
  return (
    <figure className="figure panel" aria-label={`${m.label} over runs`}>
      <figcaption>
        <label>
          Metric over runs{" "}
          <select value={m.id} onChange={(e) => setMetric(e.target.value)}>
            {available.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
      </figcaption>
      <div className="figure-canvas">
        <LineChart width={672} height={260} data={data} margin={{ top: 10, right: 16, bottom: 24, left: 16 }}>
          <CartesianGrid stroke="#dddddd" vertical={false} />
          <XAxis
            dataKey="run"
            tick={{ fontSize: 11, fill: "#222222" }}
            label={{ value: "Run (created)", position: "insideBottom", offset: -14, fontSize: 12, fill: "#222222" }}
          />
          <YAxis
            tick={{ fontSize: 11, fill: "#222222" }}
            label={{ value: m.label, angle: -90, position: "insideLeft", fontSize: 12, fill: "#222222", style: { textAnchor: "middle" } }}
          />
          <Line dataKey="value" stroke={runColor(0)} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false}>
            <ErrorBar dataKey="err" width={4} stroke="#111111" isAnimationActive={false} />
          </Line>
        </LineChart>
      </div>
    </figure>
  );
}
