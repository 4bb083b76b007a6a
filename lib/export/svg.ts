// Standalone SVG for papers: from the markup of a rendered chart (recharts' <svg>, with computed styles copied
// onto attributes by the browser), keep only drawing elements and presentation attributes, inline one generic
// font stack, size the figure in inches, and drop scripts, classes, CSS variables, event handlers and external
// references. Text stays text. Pure: runs in Node (tests, server) and in the browser.
import { parseXml, serializeXml, type XmlElement, type XmlNode } from "./xml";

export const FIGURE_FONT = "Helvetica, Arial, sans-serif";
/** CSS pixels per inch: figures are laid out at this density. */
export const PX_PER_IN = 96;

const DROP_ELEMENTS = new Set(["script", "foreignObject", "style", "iframe", "image", "use", "a", "animate", "set", "metadata"]);
const KEEP_ATTRS = new Set([
  "x",
  "y",
  "x1",
  "y1",
  "x2",
  "y2",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "width",
  "height",
  "d",
  "points",
  "transform",
  "dx",
  "dy",
  "id",
  "clip-path",
  "clipPathUnits",
  "text-anchor",
  "dominant-baseline",
  "alignment-baseline",
  "fill",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "fill-opacity",
  "stroke-opacity",
  "opacity",
  "font-size",
  "font-weight",
  "font-style",
  "offset",
  "stop-color",
  "stop-opacity",
  "gradientUnits",
  "viewBox",
  "visibility",
]);
const STYLE_PROPS = new Set([
  "fill",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "fill-opacity",
  "stroke-opacity",
  "opacity",
  "font-size",
  "font-weight",
  "font-style",
  "text-anchor",
  "dominant-baseline",
  "visibility",
]);

function round(v: string): string {
  // Two decimals are far below a printer's dot and shrink path data a lot.
  return v.replace(/-?\d*\.\d{3,}(?:e-?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100));
}

function cleanValue(name: string, v: string): string | null {
  const value = v.trim();
  if (value === "" || /var\(|expression\(|javascript:/i.test(value)) return null;
  if (/url\(/i.test(value) && !/^url\(\s*["']?#[^)]*\)$/i.test(value)) return null; // only same-document references
  if (name === "d" || name === "points" || name === "transform") return round(value);
  return value;
}

function cleanElement(el: XmlElement, keepIds: Set<string>): XmlElement | null {
  const name = el.name.replace(/^svg:/, "");
  if (DROP_ELEMENTS.has(name) || name.includes(":")) return null;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k === "style") continue;
    if (!KEEP_ATTRS.has(k)) continue;
    if (k === "id" && !keepIds.has(v)) continue;
    const c = cleanValue(k, v);
    if (c !== null) attrs[k] = c;
  }
  if (el.attrs.style) {
    for (const decl of el.attrs.style.split(";")) {
      const at = decl.indexOf(":");
      if (at < 0) continue;
      const prop = decl.slice(0, at).trim().toLowerCase();
      if (!STYLE_PROPS.has(prop) || prop in attrs) continue;
      const c = cleanValue(prop, decl.slice(at + 1).replace(/!important/, ""));
      if (c !== null) attrs[prop] = c;
    }
  }
  if (attrs.visibility === "hidden") return null;
  const children: XmlNode[] = [];
  for (const c of el.children) {
    if (typeof c === "string") {
      if (name === "text" || name === "tspan" || name === "title" || name === "desc") children.push(c);
      else if (c.trim()) children.push(c.trim());
      continue;
    }
    const cc = cleanElement(c, keepIds);
    if (cc) children.push(cc);
  }
  // Empty groups carry nothing once classes are gone.
  if ((name === "g" || name === "defs") && children.length === 0) return null;
  return { name, attrs, children };
}

export interface StandaloneOptions {
  /** physical width of the figure; the height follows the aspect ratio */
  widthIn?: number;
  title?: string;
  fontFamily?: string;
  /** base font size in px for text without one */
  fontSize?: number;
}

/** Physical size of an SVG root in points (1/72 in), from width/height with units, else the viewBox at 96 px/in. */
export function svgSizePt(root: XmlElement): { width: number; height: number; viewBox: [number, number, number, number] } {
  const vb = (root.attrs.viewBox ?? "").split(/[\s,]+/).map(Number);
  const toPt = (v: string | undefined, fallbackPx: number): number => {
    if (!v) return fallbackPx * 0.75;
    const m = /^([\d.]+)\s*(in|px|pt|cm|mm)?$/.exec(v.trim());
    if (!m) return fallbackPx * 0.75;
    const n = Number(m[1]);
    return m[2] === "in" ? n * 72 : m[2] === "pt" ? n : m[2] === "cm" ? (n * 72) / 2.54 : m[2] === "mm" ? (n * 72) / 25.4 : n * 0.75;
  };
  const pxW = vb.length === 4 && vb.every(Number.isFinite) ? vb[2] : Number.parseFloat(root.attrs.width ?? "300") || 300;
  const pxH = vb.length === 4 && vb.every(Number.isFinite) ? vb[3] : Number.parseFloat(root.attrs.height ?? "150") || 150;
  const viewBox: [number, number, number, number] = vb.length === 4 && vb.every(Number.isFinite) ? [vb[0], vb[1], vb[2], vb[3]] : [0, 0, pxW, pxH];
  return { width: toPt(root.attrs.width, pxW), height: toPt(root.attrs.height, pxH), viewBox };
}

export function standaloneSvg(markup: string, opts: StandaloneOptions = {}): string {
  const parsed = parseXml(markup);
  if (parsed.name.replace(/^svg:/, "") !== "svg") throw new Error(`expected an <svg> root, got <${parsed.name}>`);
  // ids that are referenced (clip paths, gradients) survive; the rest are noise.
  const referenced = new Set<string>();
  const scan = (el: XmlElement) => {
    for (const v of Object.values(el.attrs)) for (const m of v.matchAll(/url\(\s*["']?#([^)"']+)/g)) referenced.add(m[1]);
    for (const c of el.children) if (typeof c !== "string") scan(c);
  };
  scan(parsed);
  const w = Number.parseFloat(parsed.attrs.width ?? "") || undefined;
  const h = Number.parseFloat(parsed.attrs.height ?? "") || undefined;
  const clean = cleanElement(parsed, referenced)!;
  const vb = parsed.attrs.viewBox ?? (w && h ? `0 0 ${w} ${h}` : "0 0 300 150");
  const [, , vw, vh] = vb.split(/[\s,]+/).map(Number);
  const widthIn = opts.widthIn ?? vw / PX_PER_IN;
  const heightIn = (widthIn * vh) / vw;
  const children: XmlNode[] = [];
  if (opts.title) children.push({ name: "title", attrs: {}, children: [opts.title] });
  children.push(...clean.children);
  const root: XmlElement = {
    name: "svg",
    attrs: {
      xmlns: "http://www.w3.org/2000/svg",
      version: "1.1",
      width: `${Math.round(widthIn * 1000) / 1000}in`,
      height: `${Math.round(heightIn * 1000) / 1000}in`,
      viewBox: vb,
      "font-family": opts.fontFamily ?? FIGURE_FONT,
      "font-size": String(opts.fontSize ?? 12),
    },
    children,
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(root)}\n`;
}
