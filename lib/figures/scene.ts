// A figure as a flat list of drawing primitives in points (1/72 in), laid out once from data and written to SVG
// (lib/figures/svg.ts), to the screen (components/charts/scene-svg.tsx) and to PDF (lib/figures/pdf.ts), so that
// every output shows the same thing. Text carries its own font size, weight and anchor and is positioned on its
// baseline, so no renderer's layout (CSS, dominant-baseline, a browser's text engine) is involved. Pure.
import { EM, measure } from "./text";

export interface Paint {
  fill?: string;
  fillOpacity?: number;
  stroke?: string;
  strokeWidth?: number;
  /** dash lengths in points */
  dash?: number[];
}

export type Item =
  | ({ kind: "rect"; x: number; y: number; w: number; h: number } & Paint)
  | ({ kind: "line"; x1: number; y1: number; x2: number; y2: number } & Paint)
  | ({ kind: "poly"; points: [number, number][]; closed: boolean } & Paint)
  | ({ kind: "circle"; cx: number; cy: number; r: number } & Paint)
  | {
      kind: "text";
      x: number;
      /** baseline */
      y: number;
      text: string;
      size: number;
      weight?: "normal" | "bold";
      anchor?: "start" | "middle" | "end";
      fill?: string;
      /** degrees, clockwise in SVG terms, about (x, y): -90 reads bottom to top */
      rotate?: number;
      /** what the text is (tick, axis-title, legend, label…), for tests and debugging */
      role?: string;
    };

export type TextItem = Extract<Item, { kind: "text" }>;

export interface Scene {
  /** points */
  width: number;
  height: number;
  title: string;
  /** a sentence describing the figure (the SVG's <desc>, the PDF's subject) */
  description?: string;
  items: Item[];
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The box a text's glyphs occupy: its measured advance by ascender-to-descender height, rotated if it is. */
export function textBox(t: TextItem): Box {
  const w = measure(t.text, t.size, t.weight ?? "normal");
  const dx = t.anchor === "middle" ? -w / 2 : t.anchor === "end" ? -w : 0;
  const top = -EM.ascender * t.size;
  const bottom = EM.descender * t.size;
  const corners: [number, number][] = [
    [dx, top],
    [dx + w, top],
    [dx, bottom],
    [dx + w, bottom],
  ];
  const a = ((t.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const pts = corners.map(([x, y]) => [t.x + x * cos - y * sin, t.y + x * sin + y * cos]);
  return {
    x0: Math.min(...pts.map((p) => p[0])),
    y0: Math.min(...pts.map((p) => p[1])),
    x1: Math.max(...pts.map((p) => p[0])),
    y1: Math.max(...pts.map((p) => p[1])),
  };
}

export function intersects(a: Box, b: Box, tolerance = 0): boolean {
  return a.x0 < b.x1 - tolerance && b.x0 < a.x1 - tolerance && a.y0 < b.y1 - tolerance && b.y0 < a.y1 - tolerance;
}

/** Pairs of texts whose boxes intersect (a figure must have none). */
export function overlappingTexts(scene: Scene, tolerance = 0): [TextItem, TextItem][] {
  const texts = scene.items.filter((i): i is TextItem => i.kind === "text" && i.text.trim() !== "");
  const boxes = texts.map(textBox);
  const out: [TextItem, TextItem][] = [];
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) if (intersects(boxes[i], boxes[j], tolerance)) out.push([texts[i], texts[j]]);
  return out;
}

/** Texts that reach outside the figure (a renderer would clip them). */
export function clippedTexts(scene: Scene): TextItem[] {
  return scene.items.filter((i): i is TextItem => {
    if (i.kind !== "text") return false;
    const b = textBox(i);
    return b.x0 < -0.01 || b.y0 < -0.01 || b.x1 > scene.width + 0.01 || b.y1 > scene.height + 0.01;
  });
}

/** The smallest font size used (figures keep text at 7 pt or more). */
export function smallestText(scene: Scene): number {
  return Math.min(...scene.items.map((i) => (i.kind === "text" ? i.size : Infinity)));
}

/** Rounds a coordinate to 0.01 pt (far below a printer's dot) for compact output. */
export function r2(v: number): number {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}
