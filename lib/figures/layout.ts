// Shared pieces of figure layout: settings, wrapped text blocks, legends that wrap to the figure's width, and
// cartesian axes with nice ticks and titles. Everything is measured with lib/figures/text.ts, in points. Pure.
import type { Item, TextItem } from "./scene";
import { EM, measure, wrap } from "./text";
import { formatTick, niceTicks, scale, type Ticks } from "./ticks";

export interface FigureSettings {
  /** width in inches: 3.25 (single column) or 6.75 (double column) */
  widthIn: number;
  /** font size in points; never below MIN_FONT_PT */
  fontPt: number;
}

export const SINGLE_COLUMN_IN = 3.25;
export const DOUBLE_COLUMN_IN = 6.75;
export const MIN_FONT_PT = 7;
export const INK = "#222222";
export const MUTED = "#555555";
export const GRID = "#dddddd";

export function figureFont(s: FigureSettings): number {
  return Math.max(MIN_FONT_PT, Math.min(14, Number.isFinite(s.fontPt) ? s.fontPt : 9));
}
export function figureWidth(s: FigureSettings): number {
  return Math.round(Math.max(2, Math.min(10, s.widthIn || DOUBLE_COLUMN_IN)) * 72 * 100) / 100;
}

/** Distance between the baselines of two lines of text. */
export function lineHeight(fs: number): number {
  return fs * 1.25;
}
/** Baseline that centres digits and capitals vertically on `cy`. */
export function centredBaseline(cy: number, fs: number): number {
  return cy + (EM.capHeight * fs) / 2;
}

/** Lines of text from a top edge: returns the items and the height they take (ascender of the first line to descender of the last). */
export function textBlock(
  lines: string[],
  opts: { x: number; top: number; size: number; anchor?: "start" | "middle" | "end"; weight?: "normal" | "bold"; fill?: string; role?: string },
): { items: TextItem[]; height: number } {
  const lh = lineHeight(opts.size);
  const items = lines.map(
    (text, k): TextItem => ({
      kind: "text",
      x: opts.x,
      y: opts.top + EM.ascender * opts.size + k * lh,
      text,
      size: opts.size,
      anchor: opts.anchor,
      weight: opts.weight,
      fill: opts.fill ?? INK,
      role: opts.role,
    }),
  );
  return { items, height: lines.length ? (lines.length - 1) * lh + (EM.ascender + EM.descender) * opts.size : 0 };
}

export interface LegendEntry {
  label: string;
  color: string;
  kind: "swatch" | "line";
  dash?: number[];
  marker?: boolean;
}

/**
 * A legend that wraps its entries into rows of at most `width`; a label wider than a whole row takes two lines (and
 * is shortened with "…" beyond that).
 */
export function legend(entries: LegendEntry[], opts: { x: number; top: number; width: number; fs: number }): { items: Item[]; height: number } {
  const { fs } = opts;
  const key = fs * 1.8; // swatch or line sample
  const gapIn = fs * 0.4;
  const gapOut = fs * 1.2;
  const lh = lineHeight(fs);
  const rowGap = fs * 0.15;
  const items: Item[] = [];
  let x = 0;
  let rowTop = opts.top;
  let rowLines = 1;
  let used = false;
  for (const e of entries) {
    const lines = wrap(e.label, fs, opts.width - key - gapIn, 2);
    const w = key + gapIn + Math.max(...lines.map((l) => measure(l, fs)));
    if (x > 0 && (x + w > opts.width || lines.length > 1)) {
      rowTop += rowLines * lh + rowGap;
      x = 0;
      rowLines = 1;
    }
    const baseline = rowTop + EM.ascender * fs;
    const mid = baseline - EM.xHeight * fs * 0.5;
    const x0 = opts.x + x;
    if (e.kind === "swatch")
      items.push({ kind: "rect", x: x0 + fs * 0.2, y: mid - fs * 0.4, w: fs * 1.2, h: fs * 0.8, fill: e.color, stroke: "#333333", strokeWidth: 0.4 });
    else {
      items.push({ kind: "line", x1: x0, y1: mid, x2: x0 + key, y2: mid, stroke: e.color, strokeWidth: 1.5, dash: e.dash });
      if (e.marker) items.push({ kind: "circle", cx: x0 + key / 2, cy: mid, r: fs * 0.2, fill: e.color });
    }
    lines.forEach((line, k) => items.push({ kind: "text", x: x0 + key + gapIn, y: baseline + k * lh, text: line, size: fs, fill: INK, role: "legend" }));
    rowLines = Math.max(rowLines, lines.length);
    used = true;
    x += w + gapOut;
    if (lines.length > 1) x = opts.width; // a two-line entry keeps its row to itself
  }
  const height = used ? rowTop - opts.top + (rowLines - 1) * lh + (EM.ascender + EM.descender) * fs : 0;
  return { items, height };
}

export interface NumericAxis {
  ticks: Ticks;
  labels: string[];
}

/** Ticks whose labels fit side by side along `length` (an x axis): fewer ticks until they do. */
export function fittingXTicks(min: number, max: number, length: number, fs: number, maxTicks = 7): NumericAxis {
  for (let n = maxTicks; n >= 2; n--) {
    const ticks = niceTicks(min, max, n);
    const labels = ticks.values.map((v) => formatTick(v, ticks.decimals));
    const pitch = length / Math.max(1, ticks.values.length - 1);
    const widest = Math.max(...labels.map((l) => measure(l, fs)));
    if (widest + fs * 0.8 <= pitch || n === 2) return { ticks, labels };
  }
  throw new Error("unreachable");
}

/** Ticks for a y axis: as many as the height allows at 2.5 lines apart. */
export function fittingYTicks(min: number, max: number, length: number, fs: number, maxTicks = 7): NumericAxis {
  const n = Math.max(2, Math.min(maxTicks, Math.floor(length / (fs * 2.5)) + 1));
  const ticks = niceTicks(min, max, n);
  return { ticks, labels: ticks.values.map((v) => formatTick(v, ticks.decimals)) };
}

/**
 * A cartesian frame: the y axis on the left (tick labels, rotated title), the x axis below (tick labels, title),
 * horizontal grid lines. `plot` is the inner rectangle; returns the items and the scales.
 */
export function yAxis(
  axis: NumericAxis,
  opts: { left: number; top: number; bottom: number; right: number; fs: number; title: string[]; grid?: boolean },
): { items: Item[]; y: (v: number) => number } {
  const { fs } = opts;
  const y = scale(axis.ticks.domain, [opts.bottom, opts.top]);
  const items: Item[] = [];
  axis.ticks.values.forEach((v, k) => {
    const yy = y(v);
    if (opts.grid !== false)
      items.push({ kind: "line", x1: opts.left, y1: yy, x2: opts.right, y2: yy, stroke: v === 0 ? "#666666" : GRID, strokeWidth: v === 0 ? 0.8 : 0.5 });
    items.push({ kind: "line", x1: opts.left - fs * 0.3, y1: yy, x2: opts.left, y2: yy, stroke: "#444444", strokeWidth: 0.6 });
    items.push({ kind: "text", x: opts.left - fs * 0.5, y: centredBaseline(yy, fs), text: axis.labels[k], size: fs, anchor: "end", fill: INK, role: "tick" });
  });
  items.push({ kind: "line", x1: opts.left, y1: opts.top, x2: opts.left, y2: opts.bottom, stroke: "#444444", strokeWidth: 0.6 });
  // Title: rotated, centred on the plot's height, its lines stacked to the left of the tick labels.
  const widest = Math.max(0, ...axis.labels.map((l) => measure(l, fs)));
  const lh = lineHeight(fs);
  const xTitle = opts.left - fs * 0.5 - widest - fs * 0.5 - EM.descender * fs;
  const cy = (opts.top + opts.bottom) / 2;
  opts.title.forEach((line, k) => {
    const x = xTitle - (opts.title.length - 1 - k) * lh;
    items.push({ kind: "text", x, y: cy, text: line, size: fs, anchor: "middle", rotate: -90, fill: INK, role: "axis-title" });
  });
  return { items, y };
}

/** Width a y axis takes left of the plot: tick marks, labels, title lines. */
export function yAxisWidth(axis: NumericAxis, fs: number, titleLines: number): number {
  const widest = Math.max(0, ...axis.labels.map((l) => measure(l, fs)));
  return fs * 0.5 + widest + fs * 0.5 + (EM.descender + EM.ascender) * fs + (titleLines - 1) * lineHeight(fs) + fs * 0.3;
}

export function xAxis(
  axis: NumericAxis,
  opts: { left: number; right: number; top: number; bottom: number; fs: number; title: string[]; grid?: boolean },
): { items: Item[]; x: (v: number) => number; height: number } {
  const { fs } = opts;
  const x = scale(axis.ticks.domain, [opts.left, opts.right]);
  const items: Item[] = [];
  const tickBase = opts.bottom + fs * 0.4 + EM.ascender * fs;
  axis.ticks.values.forEach((v, k) => {
    const xx = x(v);
    if (opts.grid) items.push({ kind: "line", x1: xx, y1: opts.top, x2: xx, y2: opts.bottom, stroke: GRID, strokeWidth: 0.5 });
    items.push({ kind: "line", x1: xx, y1: opts.bottom, x2: xx, y2: opts.bottom + fs * 0.3, stroke: "#444444", strokeWidth: 0.6 });
    items.push({ kind: "text", x: xx, y: tickBase, text: axis.labels[k], size: fs, anchor: "middle", fill: INK, role: "tick" });
  });
  items.push({ kind: "line", x1: opts.left, y1: opts.bottom, x2: opts.right, y2: opts.bottom, stroke: "#444444", strokeWidth: 0.6 });
  const title = textBlock(opts.title, {
    x: (opts.left + opts.right) / 2,
    top: tickBase + EM.descender * fs + fs * 0.4,
    size: fs,
    anchor: "middle",
    role: "axis-title",
  });
  items.push(...title.items);
  return { items, x, height: tickBase + EM.descender * fs + fs * 0.4 + title.height - opts.bottom };
}

/** Height an x axis with numeric ticks and a title of `titleLines` lines takes below the plot. */
export function xAxisHeight(fs: number, titleLines: number): number {
  return fs * 0.4 + (EM.ascender + EM.descender) * fs + fs * 0.4 + (titleLines ? (titleLines - 1) * lineHeight(fs) + (EM.ascender + EM.descender) * fs : 0);
}

/** Half the widest of the first and last x tick labels: what the plot must leave free at its ends. */
export function xOverhang(axis: NumericAxis, fs: number): { left: number; right: number } {
  return { left: measure(axis.labels[0], fs) / 2, right: measure(axis.labels[axis.labels.length - 1], fs) / 2 };
}
