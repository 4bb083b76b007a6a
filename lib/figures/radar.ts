// Radar of the metrics of one category. Each axis is normalised: every run's value divided by the largest |value|
// among the compared runs, so the largest run reaches 1 and signs are kept; the figure says so in a note under the
// chart and labels its rings. With a negative value the scale runs from −1 (centre) to 1 and the 0 ring is drawn
// darker. Axis labels wrap and are pushed outwards until none overlaps another. Pure.
import { runName, type FigureRow, type FigureRun } from "./data";
import { figureFont, figureWidth, INK, legend, lineHeight, MUTED, textBlock, type FigureSettings, type LegendEntry } from "./layout";
import { runColor, runDash } from "./palette";
import { intersects, textBox, type Item, type Scene, type TextItem } from "./scene";
import { EM, measure, wrap } from "./text";
import { formatTick } from "./ticks";

export const RADAR_NORMALISATION = "each axis: value ÷ the largest |value| among the compared runs (1 = largest)";

/** Per metric, each run's value ÷ the largest |value| of that metric among the runs (null when missing or all 0). */
export function normalisedValues(rows: FigureRow[], runs: FigureRun[]): (number | null)[][] {
  return rows.map((r) => {
    const values = runs.map((_, j) => r.cells[j]?.value ?? null);
    const max = Math.max(...values.map((v) => (v === null ? 0 : Math.abs(v))));
    return values.map((v) => (v === null || max === 0 ? null : v / max));
  });
}

export function radarScene(input: { rows: FigureRow[]; runs: FigureRun[]; title: string }, settings: FigureSettings): Scene {
  const { rows, runs } = input;
  const fs = figureFont(settings);
  const W = figureWidth(settings);
  const m = Math.max(3, fs * 0.4);
  const lh = lineHeight(fs);
  const items: Item[] = [];
  const entries: LegendEntry[] = runs.map((r, i) => ({ label: runName(r), color: runColor(i), dash: runDash(i), kind: "line" }));
  const leg = legend(entries, { x: m, top: m, width: W - 2 * m, fs });
  items.push(...leg.items);
  const norm = normalisedValues(rows, runs);
  const negative = norm.some((vs) => vs.some((v) => v !== null && v < 0));
  const rMin = negative ? -1 : 0;
  const n = Math.max(3, rows.length);
  const angle = (k: number) => -Math.PI / 2 + (2 * Math.PI * k) / n;

  // Radius: the side labels take up to 26 % of the width each; a double-column figure stays a sensible size.
  const sideW = Math.min(W * 0.26, Math.max(fs * 4, ...rows.map((r) => measure(r.shortLabel, fs))));
  const gap = fs * 0.6;
  const R = Math.max(fs * 4, Math.min((W - 2 * m) / 2 - sideW - gap, 150));
  const cx = W / 2;
  // Labels around the circle, placed relative to a centre at (0, 0) first.
  const labels: { lines: string[]; k: number; push: number }[] = rows.map((r, k) => {
    const a = angle(k);
    const side = Math.abs(Math.cos(a)) > 0.3;
    const avail = side ? Math.min(sideW, (W - 2 * m) / 2 - (R + gap) * Math.abs(Math.cos(a))) : Math.max(sideW, R * 1.2);
    return { lines: wrap(r.shortLabel, fs, Math.max(fs * 3, avail), 3), k, push: 0 };
  });
  const place = (l: { lines: string[]; k: number; push: number }, cy: number): TextItem[] => {
    const a = angle(l.k);
    const d = R + gap + l.push;
    const px = cx + d * Math.cos(a);
    const py = cy + d * Math.sin(a);
    const c = Math.cos(a);
    const s = Math.sin(a);
    const anchor = Math.abs(c) < 0.3 ? "middle" : c > 0 ? "start" : "end";
    const blockH = (l.lines.length - 1) * lh + (EM.ascender + EM.descender) * fs;
    // Above the circle the block ends at the point; below it starts there; at the sides it is centred on it.
    const top = Math.abs(s) < 0.3 ? py - blockH / 2 : s < 0 ? py - blockH : py;
    return textBlock(l.lines, { x: px, top, size: fs, anchor, role: "axis-label" }).items;
  };
  // Push labels outwards, one step at a time, until none overlaps another or the rings.
  for (let iter = 0; iter < 40; iter++) {
    const placed = labels.map((l) => place(l, 0).map(textBox));
    let moved = false;
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        if (!placed[i].some((a) => placed[j].some((b) => intersects(a, b)))) continue;
        // Move the one nearer the top or bottom (whose block can go further out without crossing the sides).
        const si = Math.abs(Math.sin(angle(labels[i].k)));
        const sj = Math.abs(Math.sin(angle(labels[j].k)));
        (si >= sj ? labels[i] : labels[j]).push += fs * 0.4;
        moved = true;
      }
    if (!moved) break;
  }
  // Vertical extent of the labels around a centre at 0: the circle's centre goes where everything fits.
  const boxes = labels.flatMap((l) => place(l, 0).map(textBox));
  const up = Math.max(R, ...boxes.map((b) => -b.y0));
  const down = Math.max(R, ...boxes.map((b) => b.y1));
  const cy = m + leg.height + fs * 0.8 + up;
  for (const l of labels) items.push(...place(l, cy));

  // Rings at round fractions, the 0 ring darker when the scale is signed; spokes.
  const rings = negative ? [-1, -0.5, 0, 0.5, 1] : [0.25, 0.5, 0.75, 1];
  const radius = (v: number) => ((v - rMin) / (1 - rMin)) * R;
  const ring = (v: number): [number, number][] =>
    Array.from({ length: n }, (_, k) => [cx + radius(v) * Math.cos(angle(k)), cy + radius(v) * Math.sin(angle(k))]);
  for (const v of rings) {
    if (radius(v) <= 0) continue;
    items.push({
      kind: "poly",
      points: ring(v),
      closed: true,
      fill: "none",
      stroke: v === 0 ? "#555555" : "#cccccc",
      strokeWidth: v === 0 ? 0.9 : 0.5,
      dash: v === 0 ? [3, 2] : undefined,
    });
  }
  for (let k = 0; k < n; k++)
    items.push({ kind: "line", x1: cx, y1: cy, x2: cx + R * Math.cos(angle(k)), y2: cy + R * Math.sin(angle(k)), stroke: "#cccccc", strokeWidth: 0.5 });
  // Data: a closed polygon when every metric has a value; otherwise the runs of consecutive axes that have one,
  // so that a missing value is a gap, never a line across the chart.
  runs.forEach((_, j) => {
    const at = (k: number): [number, number] | null => {
      const v = norm[k][j];
      return v === null ? null : [cx + radius(v) * Math.cos(angle(k)), cy + radius(v) * Math.sin(angle(k))];
    };
    const pts = rows.map((__, k) => at(k));
    const style = { stroke: runColor(j), strokeWidth: 1.4, dash: runDash(j) };
    if (pts.every((p) => p !== null))
      items.push({ kind: "poly", points: pts as [number, number][], closed: true, fill: runColor(j), fillOpacity: 0.08, ...style });
    else {
      // Start after a gap so that a run wrapping past the last axis stays one line.
      const start = pts.findIndex((p, k) => p === null && pts[(k + 1) % pts.length] !== null) + 1;
      let seg: [number, number][] = [];
      for (let s = 0; s <= pts.length; s++) {
        const p = pts[(start + s) % pts.length];
        if (p && s < pts.length) seg.push(p);
        else {
          if (seg.length >= 2) items.push({ kind: "poly", points: seg, closed: false, ...style });
          seg = [];
        }
      }
    }
    for (const p of pts) if (p) items.push({ kind: "circle", cx: p[0], cy: p[1], r: fs * 0.18, fill: runColor(j) });
  });
  // Ring labels along the bisector of the first two spokes, on a white backing so lines do not cross them.
  // Rings too close together at this size keep their label only when it overlaps no label kept before it (1 first).
  const la = (angle(0) + angle(1)) / 2;
  const kept: TextItem[] = [];
  const priority = [...rings].sort((a, b) => (b === 1 ? 1 : 0) - (a === 1 ? 1 : 0) || Math.abs(b) - Math.abs(a) || Math.abs(a % 0.5) - Math.abs(b % 0.5));
  for (const v of priority) {
    // On the ring's edge between the first two spokes (the rings are polygons).
    const rr = radius(v) * Math.cos(Math.PI / n);
    const text = formatTick(v, v % 1 === 0 ? 0 : 2);
    const t: TextItem = {
      kind: "text",
      x: cx + rr * Math.cos(la) + fs * 0.2,
      y: cy + rr * Math.sin(la) + (EM.capHeight * fs) / 2,
      text,
      size: fs,
      fill: MUTED,
      role: "tick",
    };
    if (kept.some((k) => intersects(textBox(k), textBox(t), -fs * 0.15))) continue;
    kept.push(t);
  }
  for (const t of kept) {
    const w = measure(t.text, fs);
    items.push({ kind: "rect", x: t.x - 1, y: t.y - EM.capHeight * fs - 1, w: w + 2, h: EM.capHeight * fs + 2, fill: "#ffffff", fillOpacity: 0.85 });
    items.push(t);
  }
  // The note that explains the scale, inside the figure.
  const noteTop = cy + down + fs * 0.8;
  const note = textBlock(
    wrap(`Normalised axes: ${RADAR_NORMALISATION}${negative ? "; the dashed ring is 0, the centre −1" : "; the centre is 0"}.`, fs, W - 2 * m, 3),
    { x: m, top: noteTop, size: fs, fill: INK, role: "note" },
  );
  items.push(...note.items);
  return {
    width: W,
    height: Math.ceil(noteTop + note.height + m),
    title: input.title,
    description: `Radar chart of ${rows.map((r) => r.shortLabel).join(", ")} for ${runs.map(runName).join(", ")}; ${RADAR_NORMALISATION}.`,
    items,
  };
}
