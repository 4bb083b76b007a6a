// % change heatmap as papers draw it: metrics as rows, grouped by category under a bold category heading; the
// compared runs as columns; the reference run named in the title; the % change printed in every cell on a
// diverging colour (blue for the better, vermillion for the worse, grey for a neutral metric, saturating at ±50 %).
// Any number of runs at any width: row labels wrap onto two lines, column headings wrap or turn vertical, and when
// the columns do not fit the figure's width at the chosen font size (never below 7 pt) they are split into panels
// (a), (b)… stacked one under the other, each repeating the row labels. Pure.
import { formatPctInFigure } from "@/lib/export/format";
import { CATEGORY_NAMES, runName, type FigureRow, type FigureRun } from "./data";
import { centredBaseline, figureFont, figureWidth, INK, legend, lineHeight, textBlock, type FigureSettings } from "./layout";
import { changeColor, inkOn } from "./palette";
import type { Item, Scene } from "./scene";
import { EM, measure, wrap, wrapsCleanly } from "./text";

export interface HeatmapLayoutInfo {
  panels: number;
  columnsPerPanel: number;
  rotatedHeaders: boolean;
}

export function heatmapScene(
  input: {
    rows: FigureRow[];
    runs: FigureRun[];
    refId: string;
    title?: string /** a sentence under the legend (what an uncoloured cell means) */;
    note?: string;
  },
  settings: FigureSettings,
): Scene & { info: HeatmapLayoutInfo } {
  const fs = figureFont(settings);
  const W = figureWidth(settings);
  const m = Math.max(3, fs * 0.4);
  const lh = lineHeight(fs);
  const ref = input.runs.find((r) => r.id === input.refId) ?? input.runs[0];
  const others = input.runs.filter((r) => r.id !== ref?.id);
  const items: Item[] = [];
  let y = m;

  // Title naming the reference, and the colour legend.
  const titleText = input.title ?? `% change against ${ref ? runName(ref) : "the reference"}`;
  const title = textBlock(wrap(titleText, fs, W - 2 * m, 2, "bold"), { x: m, top: y, size: fs, weight: "bold", role: "title" });
  items.push(...title.items);
  y += title.height + fs * 0.5;
  const leg = legend(
    [
      { label: "for the better", color: changeColor(40, "better"), kind: "swatch" },
      { label: "for the worse", color: changeColor(40, "worse"), kind: "swatch" },
      { label: "neutral metric", color: changeColor(40, "neutral"), kind: "swatch" },
      { label: "full colour at ±50 %", color: changeColor(50, "better"), kind: "swatch" },
    ],
    { x: m, top: y, width: W - 2 * m, fs },
  );
  items.push(...leg.items);
  y += leg.height + fs * 0.5;
  if (input.note) {
    const note = textBlock(wrap(input.note, fs, W - 2 * m, 12), { x: m, top: y, size: fs, role: "note" });
    items.push(...note.items);
    y += note.height + fs * 0.5;
  }
  y += fs * 0.3;

  // Cell and label widths.
  const values = input.rows.flatMap((r) => others.map((o) => formatPctInFigure(r.changes.find((c) => c.runId === o.id)?.pct ?? null)));
  const cellPad = fs * 0.35;
  const minCell = Math.max(fs * 3, ...values.map((v) => measure(v, fs) + 2 * cellPad));
  const indent = fs * 0.6;
  const gap = fs * 0.5;
  const inner = W - 2 * m;
  const widestLabel = Math.max(fs * 4, ...input.rows.map((r) => measure(r.shortLabel, fs) + indent));
  const labelW = Math.min(widestLabel, inner * 0.45, inner - gap - minCell);
  const room = inner - labelW - gap;
  const cols = Math.max(1, others.length);
  const fit = Math.max(1, Math.floor(room / minCell));
  const panels = Math.ceil(cols / fit);
  const perPanel = Math.ceil(cols / panels);
  // Cells share the width: the figure fills the column it is made for, so that it is never scaled up in the paper.
  const cellW = room / perPanel;
  const gridLeft = m + labelW + gap;

  // Column headings: wrapped horizontally when every name fits its column in ≤ 3 lines, else vertical.
  const names = others.map(runName);
  const horizontal = names.every((n) => wrapsCleanly(n, fs, cellW - fs * 0.3, 3));
  const maxVertical = Math.min(144, Math.max(...names.map((n) => measure(n, fs)), fs));
  const verticalLines = Math.max(1, Math.min(2, Math.floor((cellW - fs * 0.2) / lh)));
  const headerLines = names.map((n) => (horizontal ? wrap(n, fs, cellW - fs * 0.3, 3) : wrap(n, fs, maxVertical, verticalLines)));
  const headerH = horizontal
    ? Math.max(...headerLines.map((l) => (l.length - 1) * lh + (EM.ascender + EM.descender) * fs))
    : Math.max(...headerLines.map((ls) => Math.max(...ls.map((l) => measure(l, fs)))));

  // Row blocks: category headings and metric rows, in the order given.
  type Block = { kind: "category"; text: string } | { kind: "metric"; row: FigureRow; lines: string[] };
  const blocks: Block[] = [];
  let lastCategory: string | null = null;
  for (const r of input.rows) {
    if (r.category !== lastCategory) {
      blocks.push({ kind: "category", text: CATEGORY_NAMES[r.category] ?? r.category });
      lastCategory = r.category;
    }
    blocks.push({ kind: "metric", row: r, lines: wrap(r.shortLabel, fs, labelW - indent, 2) });
  }
  const rowH = (lines: number) => Math.max(fs * 1.9, (lines - 1) * lh + (EM.ascender + EM.descender) * fs + fs * 0.6);
  const catH = (EM.ascender + EM.descender) * fs + fs * 0.7;

  for (let p = 0; p < panels; p++) {
    const cols = others.slice(p * perPanel, (p + 1) * perPanel);
    if (cols.length === 0) break;
    const colStart = p * perPanel;
    if (p > 0) y += fs * 1.2;
    const headerTop = y;
    const headerBottom = y + headerH;
    if (panels > 1) {
      const label = `(${String.fromCharCode(97 + p)})`;
      items.push({ kind: "text", x: m, y: headerBottom - EM.descender * fs, text: label, size: fs, weight: "bold", fill: INK, role: "panel" });
    }
    cols.forEach((_, k) => {
      const cx = gridLeft + (k + 0.5) * cellW;
      const lines = headerLines[colStart + k];
      if (horizontal) {
        const h = (lines.length - 1) * lh + (EM.ascender + EM.descender) * fs;
        items.push(...textBlock(lines, { x: cx, top: headerBottom - h, size: fs, anchor: "middle", role: "column" }).items);
      } else {
        lines.forEach((line, j) => {
          const bx = cx + (EM.capHeight * fs) / 2 + (j - (lines.length - 1) / 2) * lh;
          items.push({ kind: "text", x: bx, y: headerBottom, text: line, size: fs, anchor: "start", rotate: -90, fill: INK, role: "column" });
        });
      }
    });
    y = headerTop + headerH + fs * 0.4;
    for (const b of blocks) {
      if (b.kind === "category") {
        items.push({ kind: "text", x: m, y: y + fs * 0.5 + EM.ascender * fs, text: b.text, size: fs, weight: "bold", fill: INK, role: "category" });
        y += catH;
        continue;
      }
      const h = rowH(b.lines.length);
      const cy = y + h / 2;
      const blockH = (b.lines.length - 1) * lh;
      b.lines.forEach((line, j) => {
        items.push({ kind: "text", x: m + indent, y: centredBaseline(cy - blockH / 2 + j * lh, fs), text: line, size: fs, fill: INK, role: "row" });
      });
      cols.forEach((o, k) => {
        const c = b.row.changes.find((x) => x.runId === o.id);
        const pct = c?.pct ?? null;
        const fill = changeColor(pct, c?.verdict ?? null);
        const x = gridLeft + k * cellW;
        items.push({ kind: "rect", x: x + 0.5, y: y + 0.5, w: cellW - 1, h: h - 1, fill, stroke: pct === null ? "#cccccc" : undefined, strokeWidth: 0.4 });
        items.push({
          kind: "text",
          x: x + cellW / 2,
          y: centredBaseline(cy, fs),
          text: formatPctInFigure(pct),
          size: fs,
          anchor: "middle",
          fill: inkOn(fill),
          role: "value",
        });
      });
      y += h;
    }
  }
  y += m;
  const rowsText = input.rows.map((r) => r.shortLabel).join(", ");
  return {
    width: W,
    height: Math.ceil(y),
    title: titleText,
    description: `Heatmap of the % change of ${input.rows.length} metrics (${rowsText}) for ${others.length} run(s) against ${ref ? runName(ref) : "the reference"}.`,
    items,
    info: { panels, columnsPerPanel: perPanel, rotatedHeaders: !horizontal },
  };
}
