// A scene as a one-page vector PDF with pdfkit: the page is the figure's size, shapes are PDF paths with their
// colours, opacities and dashes, and text is real Unicode text in embedded, subset fonts (DejaVu Sans, with Source
// Han Sans for CJK characters, embedded only when a text needs it), so that camera-ready checks (`pdffonts`: emb yes,
// sub yes, uni yes) accept it and "Llama-2 学生 Δ κ ≥ 0.5" prints as written. Node only (reads the font files).
import { stripBidiControls } from "@/lib/export/bidi";
import PDFDocument from "pdfkit";
import { FIGURE_FONT_FILES, fontBytes, openFont } from "./fonts";
import type { Item, Paint, Scene, TextItem } from "./scene";

type FontKey = "regular" | "bold" | "cjk" | "hangul";

/** Splits a text into runs that one font can draw: DejaVu Sans where it has the glyph, else a CJK font that has it. */
export function fontRuns(text: string, weight: "normal" | "bold" = "normal"): { font: FontKey; text: string }[] {
  const main: FontKey = weight === "bold" ? "bold" : "regular";
  const mainFont = openFont(FIGURE_FONT_FILES[main]);
  const runs: { font: FontKey; text: string }[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let font: FontKey = main;
    if (!mainFont.hasGlyphForCodePoint(cp) && cp > 0x20) {
      if (openFont(FIGURE_FONT_FILES.cjk).hasGlyphForCodePoint(cp)) font = "cjk";
      else if (openFont(FIGURE_FONT_FILES.hangul).hasGlyphForCodePoint(cp)) font = "hangul";
    }
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += ch;
    else runs.push({ font, text: ch });
  }
  return runs;
}

function applyPaint(doc: PDFDocument, p: Paint, closedShape: boolean): "fill" | "stroke" | "both" | null {
  const fill = closedShape && p.fill && p.fill !== "none" ? p.fill : null;
  const stroke = p.stroke && p.stroke !== "none" ? p.stroke : null;
  if (fill) doc.fillColor(fill, p.fillOpacity ?? 1);
  if (stroke) {
    doc.strokeColor(stroke, 1).lineWidth(p.strokeWidth ?? 1);
    if (p.dash?.length) doc.dash(p.dash);
    else doc.undash();
  }
  return fill && stroke ? "both" : fill ? "fill" : stroke ? "stroke" : null;
}

function paintPath(doc: PDFDocument, how: ReturnType<typeof applyPaint>): void {
  if (how === "both") doc.fillAndStroke();
  else if (how === "fill") doc.fill();
  else if (how === "stroke") doc.stroke();
}

function drawShape(doc: PDFDocument, i: Exclude<Item, TextItem>): void {
  doc.save();
  if (i.kind === "rect") {
    const how = applyPaint(doc, i, true);
    if (how) {
      doc.rect(i.x, i.y, i.w, i.h);
      paintPath(doc, how);
    }
  } else if (i.kind === "line") {
    const how = applyPaint(doc, { ...i, fill: undefined }, false);
    if (how) {
      doc.lineCap("butt").moveTo(i.x1, i.y1).lineTo(i.x2, i.y2);
      paintPath(doc, how);
    }
  } else if (i.kind === "poly") {
    const how = applyPaint(doc, i, i.closed);
    if (how && i.points.length) {
      doc.lineJoin("round").moveTo(i.points[0][0], i.points[0][1]);
      for (const [x, y] of i.points.slice(1)) doc.lineTo(x, y);
      if (i.closed) doc.closePath();
      paintPath(doc, how);
    }
  } else {
    const how = applyPaint(doc, i, true);
    if (how) {
      doc.circle(i.cx, i.cy, i.r);
      paintPath(doc, how);
    }
  }
  doc.restore();
}

function drawText(doc: PDFDocument, t: TextItem, used: Set<FontKey>): void {
  const runs = fontRuns(stripBidiControls(t.text), t.weight ?? "normal");
  const widths = runs.map((r) => {
    used.add(r.font);
    return doc.font(r.font).fontSize(t.size).widthOfString(r.text);
  });
  const total = widths.reduce((a, b) => a + b, 0);
  let x = t.anchor === "middle" ? t.x - total / 2 : t.anchor === "end" ? t.x - total : t.x;
  doc.save();
  if (t.rotate) doc.rotate(t.rotate, { origin: [t.x, t.y] });
  doc.fillColor(t.fill ?? "#222222", 1);
  runs.forEach((r, k) => {
    doc.font(r.font).fontSize(t.size).text(r.text, x, t.y, { lineBreak: false, baseline: "alphabetic" });
    x += widths[k];
  });
  doc.restore();
}

/** The PDF bytes of a scene. */
export async function sceneToPdf(scene: Scene): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: [scene.width, scene.height],
    margin: 0,
    autoFirstPage: true,
    compress: true,
    pdfVersion: "1.4",
    displayTitle: true,
    info: {
      Title: stripBidiControls(scene.title),
      ...(scene.description ? { Subject: stripBidiControls(scene.description) } : {}),
      Creator: "Lineage",
      Producer: "Lineage (pdfkit)",
    },
  });
  const chunks: Uint8Array[] = [];
  doc.on("data", (c) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  // Registered under short names; pdfkit embeds only the fonts drawn with, each as a subset of its used glyphs.
  doc.registerFont("regular", fontBytes(FIGURE_FONT_FILES.regular));
  doc.registerFont("bold", fontBytes(FIGURE_FONT_FILES.bold));
  doc.registerFont("cjk", fontBytes(FIGURE_FONT_FILES.cjk));
  doc.registerFont("hangul", fontBytes(FIGURE_FONT_FILES.hangul));
  const used = new Set<FontKey>();
  for (const i of scene.items) {
    if (i.kind === "text") {
      if (i.text.trim()) drawText(doc, i, used);
    } else drawShape(doc, i);
  }
  doc.end();
  await done;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
