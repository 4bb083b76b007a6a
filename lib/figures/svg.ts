// A scene as a standalone SVG file: sized in inches (the viewBox in points), every text with its own font family,
// size, weight, anchor and colour as attributes and placed on its baseline — no CSS, no classes, no
// dominant-baseline, nothing a renderer (a browser, librsvg, Inkscape, a PDF converter) lays out on its own. Pure.
import { stripBidiControls } from "@/lib/export/bidi";
import { escapeXml } from "@/lib/export/xml";
import { r2, type Item, type Paint, type Scene } from "./scene";
import { CJK_FONT_FAMILY, FIGURE_FONT_FAMILY, needsCjk } from "./text";

function paint(p: Paint, defaults: { fill: string }): string {
  const a: string[] = [];
  a.push(`fill="${p.fill ?? defaults.fill}"`);
  if (p.fillOpacity !== undefined && p.fillOpacity < 1) a.push(`fill-opacity="${r2(p.fillOpacity)}"`);
  if (p.stroke && p.stroke !== "none") {
    a.push(`stroke="${p.stroke}"`, `stroke-width="${r2(p.strokeWidth ?? 1)}"`);
    if (p.dash?.length) a.push(`stroke-dasharray="${p.dash.map(r2).join(" ")}"`);
  }
  return a.join(" ");
}

export function fontFamilyOf(text: string): string {
  return needsCjk(text) ? `${FIGURE_FONT_FAMILY.replace(/, sans-serif$/, "")}, ${CJK_FONT_FAMILY}` : FIGURE_FONT_FAMILY;
}

function item(i: Item): string {
  switch (i.kind) {
    case "rect":
      return `<rect x="${r2(i.x)}" y="${r2(i.y)}" width="${r2(i.w)}" height="${r2(i.h)}" ${paint(i, { fill: "none" })}/>`;
    case "line":
      return `<line x1="${r2(i.x1)}" y1="${r2(i.y1)}" x2="${r2(i.x2)}" y2="${r2(i.y2)}" ${paint({ ...i, fill: undefined }, { fill: "none" })}/>`;
    case "poly": {
      const pts = i.points.map(([x, y]) => `${r2(x)},${r2(y)}`).join(" ");
      return `<${i.closed ? "polygon" : "polyline"} points="${pts}" ${paint(i, { fill: "none" })} stroke-linejoin="round"/>`;
    }
    case "circle":
      return `<circle cx="${r2(i.cx)}" cy="${r2(i.cy)}" r="${r2(i.r)}" ${paint(i, { fill: "none" })}/>`;
    case "text": {
      const attrs = [`x="${r2(i.x)}"`, `y="${r2(i.y)}"`, `font-family="${escapeXml(fontFamilyOf(i.text))}"`, `font-size="${r2(i.size)}"`];
      if (i.weight === "bold") attrs.push('font-weight="bold"');
      if (i.anchor && i.anchor !== "start") attrs.push(`text-anchor="${i.anchor}"`);
      attrs.push(`fill="${i.fill ?? "#222222"}"`);
      if (i.rotate) attrs.push(`transform="rotate(${r2(i.rotate)} ${r2(i.x)} ${r2(i.y)})"`);
      return `<text ${attrs.join(" ")}>${escapeXml(stripBidiControls(i.text))}</text>`;
    }
  }
}

const inches = (pt: number) => Math.round((pt / 72) * 10_000) / 10_000;

export function sceneToSvg(scene: Scene): string {
  const w = r2(scene.width);
  const h = r2(scene.height);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${inches(scene.width)}in" height="${inches(scene.height)}in" viewBox="0 0 ${w} ${h}">`,
    `<title>${escapeXml(stripBidiControls(scene.title))}</title>`,
  ];
  if (scene.description) lines.push(`<desc>${escapeXml(stripBidiControls(scene.description))}</desc>`);
  for (const i of scene.items) lines.push(item(i));
  lines.push("</svg>", "");
  return lines.join("\n");
}
