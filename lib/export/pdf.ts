// A minimal vector PDF writer for chart SVGs: one page sized to the figure; rects, lines, polylines, polygons,
// circles, ellipses and paths (every SVG path command, arcs as Béziers) filled and stroked with their colours,
// opacities and dashes; text as real text in the standard Helvetica fonts (no embedding, WinAnsi encoding),
// positioned with Helvetica's metrics for text-anchor. Clip paths, gradients and filters are ignored (charts from
// recharts do not need them to read correctly). Pure: runs in Node and in the browser.
import { svgSizePt } from "./svg";
import { parseXml, type XmlElement } from "./xml";

type Matrix = [number, number, number, number, number, number];

// Helvetica advance widths (1/1000 em) for ASCII 32..126, from the Adobe Core 14 AFM.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
  611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333,
  584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280,
  389, 584,
];

// WinAnsiEncoding for the characters charts use beyond Latin-1.
const WIN_ANSI: Record<string, number> = { "€": 0x80, "…": 0x85, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97, "™": 0x99 };

function encodeWinAnsi(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "−") out.push(0x2d);
    else if (c >= 32 && c < 127) out.push(c);
    else if (c >= 0xa0 && c <= 0xff) out.push(c);
    else if (WIN_ANSI[ch] !== undefined) out.push(WIN_ANSI[ch]);
    else out.push(0x3f);
  }
  return out;
}

export function textWidth(s: string, size: number, bold = false): number {
  const table = bold ? HELVETICA_BOLD : HELVETICA;
  let w = 0;
  for (const c of encodeWinAnsi(s)) w += c >= 32 && c < 127 ? table[c - 32] : 556;
  return (w * size) / 1000;
}

function pdfString(s: string): string {
  let out = "(";
  for (const c of encodeWinAnsi(s)) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += "\\" + String.fromCharCode(c);
    else if (c < 32 || c > 126) out += "\\" + c.toString(8).padStart(3, "0");
    else out += String.fromCharCode(c);
  }
  return out + ")";
}

const NAMED: Record<string, [number, number, number]> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  red: [255, 0, 0],
  green: [0, 128, 0],
  blue: [0, 0, 255],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  orange: [255, 165, 0],
  currentcolor: [0, 0, 0],
  lightgray: [211, 211, 211],
  darkgray: [169, 169, 169],
};

/** An SVG/CSS colour as RGB in [0,1] with its alpha; null for "none"/"transparent". */
export function parseColor(v: string | undefined): { rgb: [number, number, number]; alpha: number } | null {
  if (!v) return null;
  const s = v.trim().toLowerCase();
  if (s === "none" || s === "transparent" || s.startsWith("url(")) return null;
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return { rgb: [...m[1]].map((h) => parseInt(h + h, 16) / 255) as [number, number, number], alpha: 1 };
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m)
    return { rgb: [0, 2, 4].map((k) => parseInt(m![1].slice(k, k + 2), 16) / 255) as [number, number, number], alpha: m[2] ? parseInt(m[2], 16) / 255 : 1 };
  m = /^rgba?\(([^)]*)\)$/.exec(s);
  if (m) {
    const p = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map((x) => (x.endsWith("%") ? (Number.parseFloat(x) * 255) / 100 : Number(x)));
    if (p.length < 3 || p.slice(0, 3).some((x) => !Number.isFinite(x))) return null;
    const a = p.length > 3 ? (m[1].includes("%") && p[3] > 1 ? p[3] / 255 : p[3]) : 1;
    return { rgb: [p[0] / 255, p[1] / 255, p[2] / 255], alpha: a };
  }
  const n = NAMED[s];
  return n ? { rgb: n.map((x) => x / 255) as [number, number, number], alpha: 1 } : { rgb: [0, 0, 0], alpha: 1 };
}

function mul(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[2] * b[1],
    a[1] * b[0] + a[3] * b[1],
    a[0] * b[2] + a[2] * b[3],
    a[1] * b[2] + a[3] * b[3],
    a[0] * b[4] + a[2] * b[5] + a[4],
    a[1] * b[4] + a[3] * b[5] + a[5],
  ];
}

export function parseTransform(t: string | undefined): Matrix {
  let m: Matrix = [1, 0, 0, 1, 0, 0];
  if (!t) return m;
  for (const [, fn, args] of t.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const a = args
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    let n: Matrix = [1, 0, 0, 1, 0, 0];
    if (fn === "translate") n = [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0];
    else if (fn === "scale") n = [a[0] ?? 1, 0, 0, a[1] ?? a[0] ?? 1, 0, 0];
    else if (fn === "matrix" && a.length === 6) n = a as Matrix;
    else if (fn === "rotate") {
      const r = ((a[0] ?? 0) * Math.PI) / 180;
      const c = Math.cos(r),
        s = Math.sin(r);
      n = [c, s, -s, c, 0, 0];
      if (a.length === 3) n = mul(mul([1, 0, 0, 1, a[1], a[2]], n), [1, 0, 0, 1, -a[1], -a[2]]);
    } else if (fn === "skewX") n = [1, 0, Math.tan(((a[0] ?? 0) * Math.PI) / 180), 1, 0, 0];
    else if (fn === "skewY") n = [1, Math.tan(((a[0] ?? 0) * Math.PI) / 180), 0, 1, 0, 0];
    m = mul(m, n);
  }
  return m;
}

const f = (n: number) => (Math.abs(n) < 1e-9 ? "0" : String(Math.round(n * 1000) / 1000));

/** SVG path data → PDF path operators (absolute coordinates; quadratic and arc segments as cubic Béziers). */
export function pathOps(d: string): string {
  const tokens = d.match(/[MmLlHhVvCcSsQqTtAaZz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? [];
  const out: string[] = [];
  let i = 0,
    cmd = "",
    x = 0,
    y = 0,
    sx = 0,
    sy = 0,
    cx = 0,
    cy = 0,
    qx = 0,
    qy = 0;
  let prev = "";
  const num = () => Number(tokens[i++]);
  const isNum = () => i < tokens.length && !/^[A-Za-z]$/.test(tokens[i]);
  const curve = (x1: number, y1: number, x2: number, y2: number, x3: number, y3: number) => out.push(`${f(x1)} ${f(y1)} ${f(x2)} ${f(y2)} ${f(x3)} ${f(y3)} c`);
  while (i < tokens.length) {
    if (/^[A-Za-z]$/.test(tokens[i])) cmd = tokens[i++];
    else if (!cmd) break;
    const rel = cmd === cmd.toLowerCase();
    const C = cmd.toUpperCase();
    if (C === "Z") {
      out.push("h");
      x = sx;
      y = sy;
      prev = "Z";
      continue;
    }
    if (!isNum()) break;
    const ox = rel ? x : 0,
      oy = rel ? y : 0;
    if (C === "M") {
      x = ox + num();
      y = oy + num();
      sx = x;
      sy = y;
      out.push(`${f(x)} ${f(y)} m`);
      cmd = rel ? "l" : "L";
    } else if (C === "L") {
      x = ox + num();
      y = oy + num();
      out.push(`${f(x)} ${f(y)} l`);
    } else if (C === "H") {
      x = ox + num();
      out.push(`${f(x)} ${f(y)} l`);
    } else if (C === "V") {
      y = (rel ? y : 0) + num();
      out.push(`${f(x)} ${f(y)} l`);
    } else if (C === "C") {
      const x1 = ox + num(),
        y1 = oy + num();
      cx = ox + num();
      cy = oy + num();
      x = ox + num();
      y = oy + num();
      curve(x1, y1, cx, cy, x, y);
    } else if (C === "S") {
      const x1 = prev === "C" || prev === "S" ? 2 * x - cx : x,
        y1 = prev === "C" || prev === "S" ? 2 * y - cy : y;
      cx = ox + num();
      cy = oy + num();
      const nx = ox + num(),
        ny = oy + num();
      curve(x1, y1, cx, cy, nx, ny);
      x = nx;
      y = ny;
    } else if (C === "Q" || C === "T") {
      if (C === "Q") {
        qx = ox + num();
        qy = oy + num();
      } else if (prev === "Q" || prev === "T") {
        qx = 2 * x - qx;
        qy = 2 * y - qy;
      } else {
        qx = x;
        qy = y;
      }
      const nx = ox + num(),
        ny = oy + num();
      curve(x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), nx + (2 / 3) * (qx - nx), ny + (2 / 3) * (qy - ny), nx, ny);
      x = nx;
      y = ny;
    } else if (C === "A") {
      const rx = Math.abs(num()),
        ry = Math.abs(num()),
        rot = num(),
        large = num(),
        sweep = num();
      const nx = ox + num(),
        ny = oy + num();
      arc(x, y, rx, ry, rot, large !== 0, sweep !== 0, nx, ny, curve, () => out.push(`${f(nx)} ${f(ny)} l`));
      x = nx;
      y = ny;
    }
    prev = C;
  }
  return out.join("\n");
}

// Endpoint arc → centre parametrisation (SVG 1.1 appendix F.6), then Bézier segments of at most 90°.
function arc(
  x1: number,
  y1: number,
  rx: number,
  ry: number,
  rotDeg: number,
  large: boolean,
  sweep: boolean,
  x2: number,
  y2: number,
  curve: (a: number, b: number, c: number, d: number, e: number, g: number) => void,
  line: () => void,
) {
  if (rx === 0 || ry === 0 || (x1 === x2 && y1 === y2)) return line();
  const phi = (rotDeg * Math.PI) / 180,
    cos = Math.cos(phi),
    sin = Math.sin(phi);
  const dx = (x1 - x2) / 2,
    dy = (y1 - y2) / 2;
  const xp = cos * dx + sin * dy,
    yp = -sin * dx + cos * dy;
  const lambda = (xp * xp) / (rx * rx) + (yp * yp) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp;
  const den = rx * rx * yp * yp + ry * ry * xp * xp;
  const k = (large === sweep ? -1 : 1) * Math.sqrt(Math.max(0, num / den));
  const cxp = (k * rx * yp) / ry,
    cyp = (-k * ry * xp) / rx;
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2,
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2;
  const ang = (ux: number, uy: number, vx: number, vy: number) => Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  const t1 = ang(1, 0, (xp - cxp) / rx, (yp - cyp) / ry);
  let dt = ang((xp - cxp) / rx, (yp - cyp) / ry, (-xp - cxp) / rx, (-yp - cyp) / ry);
  if (!sweep && dt > 0) dt -= 2 * Math.PI;
  if (sweep && dt < 0) dt += 2 * Math.PI;
  const segs = Math.max(1, Math.ceil(Math.abs(dt) / (Math.PI / 2)));
  const step = dt / segs,
    alpha = (4 / 3) * Math.tan(step / 4);
  const pt = (t: number) => [cx + rx * Math.cos(t) * cos - ry * Math.sin(t) * sin, cy + rx * Math.cos(t) * sin + ry * Math.sin(t) * cos];
  const dpt = (t: number) => [-rx * Math.sin(t) * cos - ry * Math.cos(t) * sin, -rx * Math.sin(t) * sin + ry * Math.cos(t) * cos];
  let t = t1;
  for (let s = 0; s < segs; s++) {
    const [ax, ay] = pt(t),
      [adx, ady] = dpt(t),
      [bx, by] = pt(t + step),
      [bdx, bdy] = dpt(t + step);
    curve(ax + alpha * adx, ay + alpha * ady, bx - alpha * bdx, by - alpha * bdy, bx, by);
    t += step;
  }
}

interface Style {
  fill: string;
  stroke: string;
  strokeWidth: number;
  dash: string;
  fillOpacity: number;
  strokeOpacity: number;
  opacity: number;
  fontSize: number;
  bold: boolean;
  anchor: string;
  baseline: string;
  fillRule: string;
}

function length(v: string | undefined, em: number, fallback: number): number {
  if (v === undefined) return fallback;
  const s = v.trim();
  if (s.endsWith("em")) return Number.parseFloat(s) * em;
  const n = Number.parseFloat(s);
  return Number.isFinite(n) ? (s.endsWith("pt") ? n / 0.75 : n) : fallback;
}

function styleOf(el: XmlElement, parent: Style): Style {
  const a = el.attrs;
  const weight = a["font-weight"];
  const fontSize = length(a["font-size"], parent.fontSize, parent.fontSize);
  return {
    fill: a.fill ?? parent.fill,
    stroke: a.stroke ?? parent.stroke,
    strokeWidth: length(a["stroke-width"], fontSize, parent.strokeWidth),
    dash: a["stroke-dasharray"] ?? parent.dash,
    fillOpacity: a["fill-opacity"] !== undefined ? Number(a["fill-opacity"]) : parent.fillOpacity,
    strokeOpacity: a["stroke-opacity"] !== undefined ? Number(a["stroke-opacity"]) : parent.strokeOpacity,
    // Group opacity is approximated by multiplying it into the children.
    opacity: parent.opacity * (a.opacity !== undefined ? Number(a.opacity) : 1),
    fontSize,
    bold: weight === undefined ? parent.bold : weight === "bold" || weight === "bolder" || Number(weight) >= 600,
    anchor: a["text-anchor"] ?? parent.anchor,
    baseline: a["dominant-baseline"] ?? a["alignment-baseline"] ?? parent.baseline,
    fillRule: a["fill-rule"] ?? parent.fillRule,
  };
}

export interface PdfOptions {
  title?: string;
}

/** The SVG as a one-page vector PDF, the page exactly the figure's size. */
export function svgToPdf(markup: string, opts: PdfOptions = {}): Uint8Array {
  const root = parseXml(markup);
  const { width, height, viewBox } = svgSizePt(root);
  const [vx, vy, vw, vh] = viewBox;
  const sx = width / vw,
    sy = height / vh;
  const ops: string[] = [];
  const gstates = new Map<string, string>();
  const gs = (fillA: number, strokeA: number): string | null => {
    if (fillA >= 1 && strokeA >= 1) return null;
    const key = `${f(fillA)}/${f(strokeA)}`;
    if (!gstates.has(key)) gstates.set(key, `GS${gstates.size}`);
    return gstates.get(key)!;
  };
  // Flip the y axis once: SVG's origin is top-left, PDF's bottom-left.
  ops.push(`${f(sx)} 0 0 ${f(-sy)} ${f(-vx * sx)} ${f(height + vy * sy)} cm`);
  const base: Style = {
    fill: "#000",
    stroke: "none",
    strokeWidth: 1,
    dash: "none",
    fillOpacity: 1,
    strokeOpacity: 1,
    opacity: 1,
    fontSize: length(root.attrs["font-size"], 16, 16),
    bold: false,
    anchor: "start",
    baseline: "auto",
    fillRule: "nonzero",
  };

  const paint = (st: Style, geometry: string, canFill: boolean) => {
    const fill = canFill ? parseColor(st.fill) : null;
    const stroke = st.strokeWidth > 0 ? parseColor(st.stroke) : null;
    if (!fill && !stroke) return;
    ops.push("q");
    const g = gs(fill ? fill.alpha * st.fillOpacity * st.opacity : 1, stroke ? stroke.alpha * st.strokeOpacity * st.opacity : 1);
    if (g) ops.push(`/${g} gs`);
    if (fill) ops.push(`${fill.rgb.map(f).join(" ")} rg`);
    if (stroke) {
      ops.push(`${stroke.rgb.map(f).join(" ")} RG`, `${f(st.strokeWidth)} w`);
      const dash =
        st.dash && st.dash !== "none"
          ? st.dash
              .split(/[\s,]+/)
              .map(Number)
              .filter((n) => Number.isFinite(n) && n >= 0)
          : [];
      if (dash.length && dash.some((n) => n > 0)) ops.push(`[${dash.map(f).join(" ")}] 0 d`);
    }
    ops.push(geometry);
    const evenodd = st.fillRule === "evenodd" ? "*" : "";
    ops.push(fill && stroke ? `B${evenodd}` : fill ? `f${evenodd}` : "S");
    ops.push("Q");
  };

  const text = (el: XmlElement, st: Style, pos: { x: number; y: number }) => {
    const runs: { s: string; st: Style; x: number; y: number }[] = [];
    const collect = (node: XmlElement, ps: Style) => {
      const s = node === el ? ps : styleOf(node, ps);
      if (node.attrs.x !== undefined) pos.x = length(node.attrs.x.split(/[\s,]+/)[0], s.fontSize, pos.x);
      if (node.attrs.y !== undefined) pos.y = length(node.attrs.y.split(/[\s,]+/)[0], s.fontSize, pos.y);
      if (node.attrs.dx !== undefined) pos.x += length(node.attrs.dx.split(/[\s,]+/)[0], s.fontSize, 0);
      if (node.attrs.dy !== undefined) pos.y += length(node.attrs.dy.split(/[\s,]+/)[0], s.fontSize, 0);
      for (const c of node.children) {
        if (typeof c === "string") {
          const str = c.replace(/\s+/g, " ");
          if (!str.trim()) continue;
          runs.push({ s: str, st: s, x: pos.x, y: pos.y });
          pos.x += textWidth(str, s.fontSize, s.bold);
        } else if (c.name === "tspan") collect(c, s);
      }
    };
    collect(el, st);
    // text-anchor applies to each positioned chunk; recharts positions every line (tspan) explicitly.
    const lines = new Map<number, typeof runs>();
    for (const r of runs) lines.set(r.y, [...(lines.get(r.y) ?? []), r]);
    for (const line of lines.values()) {
      const total = line.reduce((a, r) => a + textWidth(r.s, r.st.fontSize, r.st.bold), 0);
      const anchor = line[0].st.anchor;
      const shift = anchor === "middle" ? -total / 2 : anchor === "end" ? -total : 0;
      for (const r of line) {
        const color = parseColor(r.st.fill);
        if (!color) continue;
        const bl = r.st.baseline;
        const dy = bl === "central" || bl === "middle" ? 0.35 * r.st.fontSize : bl === "hanging" || bl === "text-before-edge" ? 0.8 * r.st.fontSize : 0;
        const g = gs(color.alpha * r.st.fillOpacity * r.st.opacity, 1);
        ops.push(
          "q",
          ...(g ? [`/${g} gs`] : []),
          `${color.rgb.map(f).join(" ")} rg`,
          "BT",
          `/${r.st.bold ? "F2" : "F1"} ${f(r.st.fontSize)} Tf`,
          `1 0 0 -1 ${f(r.x + shift)} ${f(r.y + dy)} Tm`,
          `${pdfString(r.s)} Tj`,
          "ET",
          "Q",
        );
      }
    }
  };

  const visit = (el: XmlElement, parent: Style) => {
    const name = el.name.replace(/^svg:/, "");
    if (["defs", "clipPath", "title", "desc", "style", "script", "mask", "pattern", "linearGradient", "radialGradient", "symbol", "metadata"].includes(name))
      return;
    if (el.attrs.display === "none" || el.attrs.visibility === "hidden") return;
    const st = styleOf(el, parent);
    const t = parseTransform(el.attrs.transform);
    const hasT = el.attrs.transform !== undefined;
    if (hasT) ops.push("q", `${t.map(f).join(" ")} cm`);
    const n = (k: string, d = 0) => length(el.attrs[k], st.fontSize, d);
    switch (name) {
      case "svg":
      case "g":
        for (const c of el.children) if (typeof c !== "string") visit(c, st);
        break;
      case "rect": {
        const w = n("width"),
          h = n("height");
        if (w > 0 && h > 0) paint(st, `${f(n("x"))} ${f(n("y"))} ${f(w)} ${f(h)} re`, true);
        break;
      }
      case "line":
        paint(st, `${f(n("x1"))} ${f(n("y1"))} m ${f(n("x2"))} ${f(n("y2"))} l`, false);
        break;
      case "polyline":
      case "polygon": {
        const p = (el.attrs.points ?? "")
          .trim()
          .split(/[\s,]+/)
          .map(Number);
        if (p.length >= 4) {
          const segs = [`${f(p[0])} ${f(p[1])} m`];
          for (let k = 2; k + 1 < p.length; k += 2) segs.push(`${f(p[k])} ${f(p[k + 1])} l`);
          if (name === "polygon") segs.push("h");
          paint(st, segs.join(" "), true);
        }
        break;
      }
      case "circle":
      case "ellipse": {
        const cx = n("cx"),
          cy = n("cy");
        const rx = name === "circle" ? n("r") : n("rx"),
          ry = name === "circle" ? n("r") : n("ry");
        if (rx > 0 && ry > 0) {
          const k = 0.5522847498;
          paint(
            st,
            [
              `${f(cx + rx)} ${f(cy)} m`,
              `${f(cx + rx)} ${f(cy + k * ry)} ${f(cx + k * rx)} ${f(cy + ry)} ${f(cx)} ${f(cy + ry)} c`,
              `${f(cx - k * rx)} ${f(cy + ry)} ${f(cx - rx)} ${f(cy + k * ry)} ${f(cx - rx)} ${f(cy)} c`,
              `${f(cx - rx)} ${f(cy - k * ry)} ${f(cx - k * rx)} ${f(cy - ry)} ${f(cx)} ${f(cy - ry)} c`,
              `${f(cx + k * rx)} ${f(cy - ry)} ${f(cx + rx)} ${f(cy - k * ry)} ${f(cx + rx)} ${f(cy)} c h`,
            ].join(" "),
            true,
          );
        }
        break;
      }
      case "path":
        if (el.attrs.d) {
          const geometry = pathOps(el.attrs.d);
          if (geometry) paint(st, geometry, true);
        }
        break;
      case "text":
        text(el, st, { x: 0, y: 0 });
        break;
    }
    if (hasT) ops.push("Q");
  };
  for (const c of root.children) if (typeof c !== "string") visit(c, base);

  const content = ops.join("\n");
  const enc = new TextEncoder();
  const objects: string[] = [];
  const gsDict = [...gstates.entries()]
    .map(([key, name]) => {
      const [fa, sa] = key.split("/");
      return `/${name} << /Type /ExtGState /ca ${fa} /CA ${sa} >>`;
    })
    .join(" ");
  const info = opts.title ? ` /Title ${pdfString(opts.title)}` : "";
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  objects.push(
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${f(width)} ${f(height)}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /ExtGState << ${gsDict} >> >> >>`,
  );
  objects.push(`<< /Length ${enc.encode(content).length} >>\nstream\n${content}\nendstream`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  objects.push(`<< /Producer (Lineage)${info} >>`);
  let body = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  // Byte offsets: the header's four high bytes are written as Latin-1, so count bytes not characters.
  const bytes = (s: string) => latin1Length(s);
  let pos = bytes(body);
  objects.forEach((o, k) => {
    offsets.push(pos);
    const chunk = `${k + 1} 0 obj\n${o}\nendobj\n`;
    body += chunk;
    pos += bytes(chunk);
  });
  const xref = [`xref`, `0 ${objects.length + 1}`, `0000000000 65535 f `, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `)].join("\n");
  body += `${xref}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${pos}\n%%EOF\n`;
  const out = new Uint8Array(body.length);
  for (let k = 0; k < body.length; k++) out[k] = body.charCodeAt(k) & 0xff;
  return out;
}

// Every character of the PDF text is a single byte (content is ASCII; the binary marker is Latin-1).
function latin1Length(s: string): number {
  return s.length;
}
