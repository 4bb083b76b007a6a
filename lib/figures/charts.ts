// Cartesian figures laid out from data: grouped bars with 95 % CIs, a per-sample metric's distribution (step
// histogram), the reliability diagram and the dataset builder's target histogram. Every axis has round ticks
// (lib/figures/ticks.ts) and a title; the plot leaves room for the first and last tick labels, so nothing is
// clipped; legends wrap inside the figure. Pure.
import { runName, withUnit, type FigureRow, type FigureRun, type HistogramData, type ReliabilityBin } from "./data";
import {
  figureFont,
  figureWidth,
  fittingXTicks,
  fittingYTicks,
  INK,
  legend,
  lineHeight,
  xAxis,
  xAxisHeight,
  xOverhang,
  yAxis,
  yAxisWidth,
  type FigureSettings,
  type LegendEntry,
  type NumericAxis,
} from "./layout";
import { runColor, runDash } from "./palette";
import type { Item, Scene } from "./scene";
import { EM, measure, wrap, wrapsCleanly } from "./text";

interface Frame {
  fs: number;
  W: number;
  m: number;
  items: Item[];
  /** top of the plot, below the legend */
  top: number;
}

function frame(settings: FigureSettings, entries: LegendEntry[]): Frame {
  const fs = figureFont(settings);
  const W = figureWidth(settings);
  const m = Math.max(3, fs * 0.4);
  const leg = legend(entries, { x: m, top: m, width: W - 2 * m, fs });
  return { fs, W, m, items: [...leg.items], top: m + leg.height + (entries.length ? fs * 0.9 : 0) };
}

function plotHeight(W: number, fs: number, ratio: number): number {
  return Math.max(fs * 11, Math.min(W * ratio, 260));
}

/** Lines of a y-axis title that fit along the plot's height. */
function yTitleLines(title: string, fs: number, plotH: number): string[] {
  return wrap(title, fs, plotH, 2);
}

// ---------------------------------------------------------------------------------------------------------------
// Grouped bars

/**
 * Metrics of one unit side by side, one bar per run with its 95 % CI; a value missing for a run is drawn as a
 * line at zero in the run's colour (an empty slot would read as "no difference").
 */
export function barsScene(input: { rows: FigureRow[]; runs: FigureRun[]; yTitle: string; title: string }, settings: FigureSettings): Scene {
  const { rows, runs } = input;
  const missing = rows.some((r) => runs.some((_, j) => r.cells[j]?.value === null || r.cells[j]?.value === undefined));
  const entries: LegendEntry[] = runs.map((r, i) => ({ label: runName(r), color: runColor(i), kind: "swatch" }));
  if (missing) entries.push({ label: "no value (line at 0)", color: "#777777", kind: "line" });
  const f = frame(settings, entries);
  const { fs, W, m } = f;
  const items = f.items;
  const plotH = plotHeight(W, fs, 0.42);
  let lo = 0;
  let hi = 0;
  for (const r of rows)
    for (const c of r.cells) {
      if (!c || c.value === null) continue;
      lo = Math.min(lo, c.value, c.lo ?? c.value);
      hi = Math.max(hi, c.value, c.hi ?? c.value);
    }
  const axis = fittingYTicks(lo, hi, plotH, fs);
  const yTitle = yTitleLines(input.yTitle, fs, plotH);
  const left = m + yAxisWidth(axis, fs, yTitle.length);
  const right = W - m;
  const groupW = (right - left) / Math.max(1, rows.length);
  // Category labels: wrapped under their group when they fit, else vertical.
  const labelW = groupW - fs * 0.4;
  const horizontal = rows.every((r) => wrapsCleanly(r.shortLabel, fs, labelW, 3));
  const lh = lineHeight(fs);
  const verticalLines = Math.max(1, Math.min(2, Math.floor(labelW / lh)));
  const labels = rows.map((r) => (horizontal ? wrap(r.shortLabel, fs, labelW, 3) : wrap(r.shortLabel, fs, 110, verticalLines)));
  const labelsH = horizontal
    ? Math.max(0, ...labels.map((l) => (l.length - 1) * lh + (EM.ascender + EM.descender) * fs))
    : Math.max(0, ...labels.map((ls) => Math.max(...ls.map((l) => measure(l, fs)))));
  const top = f.top;
  const bottom = top + plotH;
  const ya = yAxis(axis, { left, right, top, bottom, fs, title: yTitle });
  items.push(...ya.items);
  const y = ya.y;
  const nb = Math.max(1, runs.length);
  const barW = (groupW * 0.8) / nb;
  rows.forEach((r, g) => {
    const gx = left + g * groupW + groupW * 0.1;
    runs.forEach((_, j) => {
      const c = r.cells[j];
      const x = gx + j * barW;
      if (!c || c.value === null) {
        items.push({ kind: "line", x1: x + barW * 0.1, y1: y(0), x2: x + barW * 0.9, y2: y(0), stroke: runColor(j), strokeWidth: 1.5 });
        return;
      }
      const y0 = y(0);
      const yv = y(c.value);
      items.push({
        kind: "rect",
        x,
        y: Math.min(y0, yv),
        w: barW,
        h: Math.max(0.01, Math.abs(y0 - yv)),
        fill: runColor(j),
        stroke: "#333333",
        strokeWidth: 0.4,
      });
      if (c.lo !== null && c.hi !== null && c.hi > c.lo) {
        const cx = x + barW / 2;
        const cap = Math.min(barW * 0.35, fs * 0.4);
        items.push({ kind: "line", x1: cx, y1: y(c.lo), x2: cx, y2: y(c.hi), stroke: "#111111", strokeWidth: 0.8 });
        items.push({ kind: "line", x1: cx - cap, y1: y(c.lo), x2: cx + cap, y2: y(c.lo), stroke: "#111111", strokeWidth: 0.8 });
        items.push({ kind: "line", x1: cx - cap, y1: y(c.hi), x2: cx + cap, y2: y(c.hi), stroke: "#111111", strokeWidth: 0.8 });
      }
    });
    const cx = left + (g + 0.5) * groupW;
    if (horizontal) {
      labels[g].forEach((line, k) =>
        items.push({
          kind: "text",
          x: cx,
          y: bottom + fs * 0.4 + EM.ascender * fs + k * lh,
          text: line,
          size: fs,
          anchor: "middle",
          fill: INK,
          role: "category",
        }),
      );
    } else {
      labels[g].forEach((line, k) => {
        const bx = cx + (EM.capHeight * fs) / 2 + (k - (labels[g].length - 1) / 2) * lh;
        items.push({ kind: "text", x: bx, y: bottom + fs * 0.4, text: line, size: fs, anchor: "end", rotate: -90, fill: INK, role: "category" });
      });
    }
  });
  items.push({ kind: "line", x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#444444", strokeWidth: 0.6 });
  const height = bottom + fs * 0.4 + labelsH + m;
  return {
    width: W,
    height: Math.ceil(height),
    title: input.title,
    description: `Bar chart of ${rows.map((r) => r.shortLabel).join(", ")} for ${runs.map(runName).join(", ")} with 95 % confidence intervals.`,
    items,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Numeric x and y: shared by the distribution, the reliability diagram and the dataset histogram

function numericFrame(
  f: Frame,
  opts: {
    xMin: number;
    xMax: number;
    yMin: number;
    yMax: number;
    xTitle: string;
    yTitle: string;
    ratio: number;
    xTicks?: NumericAxis;
    yTicks?: NumericAxis;
    square?: boolean;
  },
): { x: (v: number) => number; y: (v: number) => number; left: number; right: number; top: number; bottom: number; height: number } {
  const { fs, W, m, items } = f;
  let plotH = plotHeight(W, fs, opts.ratio);
  const yTicks0 = opts.yTicks ?? fittingYTicks(opts.yMin, opts.yMax, plotH, fs);
  // A square plot may end up shorter than planned: its title is wrapped for the shorter side.
  const yTitle = yTitleLines(opts.yTitle, fs, opts.square ? plotH * 0.6 : plotH);
  const left0 = m + yAxisWidth(yTicks0, fs, yTitle.length);
  // The x ticks' end labels hang over the plot's ends by half their width: leave that room inside the figure.
  let xTicks = opts.xTicks ?? fittingXTicks(opts.xMin, opts.xMax, W - left0 - m, fs);
  let over = xOverhang(xTicks, fs);
  let left = Math.max(left0, m + over.left);
  let right = W - m - over.right;
  if (!opts.xTicks) {
    xTicks = fittingXTicks(opts.xMin, opts.xMax, right - left, fs);
    over = xOverhang(xTicks, fs);
    left = Math.max(left0, m + over.left);
    right = W - m - over.right;
  }
  if (opts.square) plotH = Math.min(plotH, right - left);
  const top = f.top;
  const bottom = top + plotH;
  const xTitle = wrap(opts.xTitle, fs, right - left, 2);
  const yTicks = opts.yTicks ?? fittingYTicks(opts.yMin, opts.yMax, plotH, fs);
  // No wider than measured above (as many ticks or fewer, so no more decimals): the left edge still holds.
  const ya = yAxis(yTicks, { left, right, top, bottom, fs, title: yTitle });
  const xa = xAxis(xTicks, { left, right, top, bottom, fs, title: xTitle });
  items.push(...ya.items, ...xa.items);
  return { x: xa.x, y: ya.y, left, right, top, bottom, height: bottom + xAxisHeight(fs, xTitle.length) + m };
}

/** A per-sample metric's histogram per run (shared bins), as the share of each run's samples, in step lines. */
export function distributionScene(input: { hist: HistogramData; runs: FigureRun[]; xTitle: string; title: string }, settings: FigureSettings): Scene {
  const { hist, runs } = input;
  const entries: LegendEntry[] = runs.map((r, i) => ({
    label: `${runName(r)} (n\u00a0=\u00a0${hist.n[i] ?? 0})`,
    color: runColor(i),
    dash: runDash(i),
    kind: "line",
  }));
  const f = frame(settings, entries);
  const shares = runs.map((_, j) => hist.edges.slice(0, -1).map((__, k) => (hist.n[j] ? (100 * (hist.counts[j]?.[k] ?? 0)) / hist.n[j] : 0)));
  const e0 = hist.edges[0] ?? 0;
  const eN = hist.edges[hist.edges.length - 1] ?? 1;
  const maxShare = Math.max(0, ...shares.flat());
  const fr = numericFrame(f, { xMin: e0, xMax: eN, yMin: 0, yMax: maxShare, xTitle: input.xTitle, yTitle: "Samples (%)", ratio: 0.45 });
  runs.forEach((_, j) => {
    if (!hist.n[j]) return;
    const pts: [number, number][] = [[fr.x(e0), fr.y(0)]];
    shares[j].forEach((s, k) => {
      pts.push([fr.x(hist.edges[k]), fr.y(s)], [fr.x(hist.edges[k + 1]), fr.y(s)]);
    });
    pts.push([fr.x(eN), fr.y(0)]);
    f.items.push({ kind: "poly", points: pts, closed: false, stroke: runColor(j), strokeWidth: 1.4, dash: runDash(j) });
  });
  return {
    width: f.W,
    height: Math.ceil(fr.height),
    title: input.title,
    description: `Histogram of ${input.xTitle} per run (${hist.edges.length - 1} shared bins), as the share of each run's samples.`,
    items: f.items,
  };
}

/** Accuracy against mean confidence per bin, one line per run, the diagonal for perfect calibration. */
export function reliabilityScene(
  input: { bins: (ReliabilityBin[] | null)[]; runs: FigureRun[]; setLabel: string; title: string },
  settings: FigureSettings,
): Scene {
  const shown = input.runs.map((r, j) => ({ r, j })).filter(({ j }) => input.bins[j]?.length);
  const entries: LegendEntry[] = [
    ...shown.map(({ r, j }) => ({ label: runName(r), color: runColor(j), dash: runDash(j), kind: "line" as const, marker: true })),
    { label: "perfect calibration", color: "#888888", dash: [2.25, 2.25], kind: "line" },
  ];
  const f = frame(settings, entries);
  const fs = f.fs;
  const unit = fittingXTicks(0, 1, f.W * 0.4, fs, 6);
  const fr = numericFrame(f, {
    xMin: 0,
    xMax: 1,
    yMin: 0,
    yMax: 1,
    xTitle: `Mean confidence (probability), ${input.setLabel}`,
    yTitle: "Accuracy (proportion)",
    ratio: 0.7,
    xTicks: unit,
    yTicks: unit,
    square: true,
  });
  f.items.push({ kind: "line", x1: fr.x(0), y1: fr.y(0), x2: fr.x(1), y2: fr.y(1), stroke: "#888888", strokeWidth: 1, dash: [2.25, 2.25] });
  for (const { j } of shown) {
    const pts = (input.bins[j] ?? [])
      .filter((b) => b.n > 0 && b.meanConfidence !== null && b.accuracy !== null)
      .map((b): [number, number] => [fr.x(b.meanConfidence!), fr.y(b.accuracy!)]);
    if (pts.length > 1) f.items.push({ kind: "poly", points: pts, closed: false, stroke: runColor(j), strokeWidth: 1.4, dash: runDash(j) });
    for (const [x, y] of pts) f.items.push({ kind: "circle", cx: x, cy: y, r: fs * 0.25, fill: runColor(j) });
  }
  return {
    width: f.W,
    height: Math.ceil(fr.height),
    title: input.title,
    description: `Reliability diagram of ${input.setLabel}: accuracy against mean confidence per equal-mass bin.`,
    items: f.items,
  };
}

export interface DatasetHistogram {
  edges: number[];
  all: number[];
  random: number[];
  selected: number[];
}

export const DATASET_SERIES = [
  { key: "all", label: "All candidates", color: "#999999" },
  { key: "random", label: "Random pick (passive)", color: "#E69F00" },
  { key: "selected", label: "Selected", color: "#0072B2" },
] as const;

/** The dataset builder's target: share of each set per bin, bars side by side, each set's mean as a dashed line. */
export function datasetHistogramScene(
  input: { histogram: DatasetHistogram; means: (number | null)[]; xTitle: string; title: string },
  settings: FigureSettings,
): Scene {
  const h = input.histogram;
  const entries: LegendEntry[] = [
    ...DATASET_SERIES.map((s) => ({ label: s.label, color: s.color, kind: "swatch" as const })),
    { label: "mean (dashed)", color: "#444444", dash: [3, 2.25], kind: "line" },
  ];
  const f = frame(settings, entries);
  const shares = DATASET_SERIES.map((s) => {
    const counts = h[s.key];
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return counts.map((c) => (100 * c) / total);
  });
  const e0 = h.edges[0] ?? 0;
  const eN = h.edges[h.edges.length - 1] ?? 1;
  const fr = numericFrame(f, {
    xMin: e0,
    xMax: eN,
    yMin: 0,
    yMax: Math.max(0, ...shares.flat()),
    xTitle: input.xTitle,
    yTitle: "Share of the set (%)",
    ratio: 0.36,
  });
  const bins = h.edges.length - 1;
  for (let k = 0; k < bins; k++) {
    const x0 = fr.x(h.edges[k]);
    const bw = (fr.x(h.edges[k + 1]) - x0) / 3;
    shares.forEach((series, si) => {
      const s = series[k] ?? 0;
      if (s <= 0) return;
      f.items.push({ kind: "rect", x: x0 + si * bw + 0.2, y: fr.y(s), w: Math.max(0.1, bw - 0.4), h: fr.y(0) - fr.y(s), fill: DATASET_SERIES[si].color });
    });
  }
  input.means.forEach((mean, si) => {
    if (mean === null || !Number.isFinite(mean)) return;
    f.items.push({
      kind: "line",
      x1: fr.x(mean),
      y1: fr.top,
      x2: fr.x(mean),
      y2: fr.bottom,
      stroke: DATASET_SERIES[si].color,
      strokeWidth: 1.5,
      dash: [3, 2.25],
    });
  });
  return {
    width: f.W,
    height: Math.ceil(fr.height),
    title: input.title,
    description: `Distribution of ${input.xTitle} among all candidates, a random pick and the selected set.`,
    items: f.items,
  };
}

export { withUnit };
