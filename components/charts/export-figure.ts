// Browser side of figure export: copy the computed presentation styles of a rendered chart onto attributes
// (classes and CSS variables do not travel), hand the markup to lib/export/svg for a standalone file, and
// rasterise it for PNG. PDF comes from lib/export/pdf on the same standalone SVG.
import { standaloneSvg } from "@/lib/export/svg";
import { svgToPdf } from "@/lib/export/pdf";

const STYLE_PROPS = [
  "fill", "stroke", "stroke-width", "stroke-dasharray", "fill-opacity", "stroke-opacity", "opacity", "font-size", "font-weight",
  "text-anchor", "dominant-baseline", "visibility",
];

/** The chart's root <svg> (recharts' surface) inside a figure container. */
export function chartSvg(container: HTMLElement): SVGSVGElement | null {
  return container.querySelector("svg.recharts-surface") ?? container.querySelector("svg");
}

export function figureSvg(container: HTMLElement, opts: { widthIn: number; fontPt: number; title: string }): string {
  const svg = chartSvg(container);
  if (!svg) throw new Error("the figure has nothing drawn yet");
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll("*"))];
  const dst = [clone, ...Array.from(clone.querySelectorAll("*"))];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const parent = el.parentElement && el !== svg ? getComputedStyle(el.parentElement) : null;
    const target = dst[i];
    for (const p of STYLE_PROPS) {
      const v = cs.getPropertyValue(p);
      if (!v) continue;
      // Only what differs from the parent: inherited values are written once, higher up.
      if (parent && parent.getPropertyValue(p) === v && !el.hasAttribute(p)) continue;
      if (p === "opacity" && v === "1") continue;
      target.setAttribute(p, v);
    }
    target.removeAttribute("style");
    target.removeAttribute("class");
  });
  const markup = new XMLSerializer().serializeToString(clone);
  return standaloneSvg(markup, { widthIn: opts.widthIn, title: opts.title, fontSize: (opts.fontPt * 96) / 72 });
}

export function figurePdf(svg: string, title: string): Uint8Array {
  return svgToPdf(svg, { title });
}

/** PNG at `scale`× the figure's CSS pixel size, on white. */
export async function figurePng(svg: string, scale = 3): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const w = img.naturalWidth || 672;
  const h = img.naturalHeight || 400;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
}

export function download(name: string, data: Blob | Uint8Array | string, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
