// Every exported figure, rendered by other tools as a camera-ready check would: the SVG by librsvg (`rsvg-convert`,
// to PNG and to PDF), the PDF by poppler (`pdffonts`, `pdftoppm`, `pdftotext -bbox`). Checked: fonts embedded as
// Unicode subsets; where each renderer actually put every word (pdftotext's word boxes), none outside the page and
// none overlapping another; the text in Unicode as written ("Llama-2 学生 Δ κ ≥ 0.5"); and the figure dropped into a
// LaTeX article keeps every font embedded. Debian: librsvg2-bin, poppler-utils, a CJK font for librsvg
// (fonts-wqy-microhei; the PDFs embed their own) and texlive for the article, which .ci/run installs; on a machine without them these tests say so and are skipped (in CI they are required).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { figureScene } from "@/lib/figures";
import { sceneToPdf } from "@/lib/figures/pdf";
import { sceneToSvg } from "@/lib/figures/svg";
import { allSpecs } from "./fixtures";

const TOOLS = ["rsvg-convert", "pdffonts", "pdftoppm", "pdftotext"];
const missing = TOOLS.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
// An SVG names its fonts (it cannot embed them): librsvg draws CJK text with a system CJK font, or as boxes.
if (spawnSync("sh", ["-c", "fc-list :lang=zh family | grep -q ."]).status !== 0) missing.push("a CJK system font for librsvg (fonts-wqy-microhei)");
if (missing.length && process.env.CI)
  throw new Error(`renderer test: ${missing.join(", ")} not installed (Debian: librsvg2-bin poppler-utils fonts-wqy-microhei; .ci/run installs them)`);
if (missing.length) console.warn(`[render.test] skipped: ${missing.join(", ")} not installed (Debian: librsvg2-bin poppler-utils fonts-wqy-microhei)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-figures-"));

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: "latin1", input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
function runUtf8(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Word boxes of page 1 as poppler lays them out, and the page size. */
function words(pdf: string): { width: number; height: number; words: Word[] } {
  const html = runUtf8("pdftotext", ["-bbox", "-f", "1", "-l", "1", pdf, "-"]);
  const page = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html)!;
  const out: Word[] = [];
  for (const m of html.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g))
    out.push({
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
      text: m[5]
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"'),
    });
  return { width: Number(page[1]), height: Number(page[2]), words: out };
}

/**
 * Words that reach outside the page or overlap another word. Poppler's boxes span the font's whole ascent and
 * descent (more than the glyphs), so boxes may overlap by a little vertically: `slack` points are allowed.
 */
function problems(layout: ReturnType<typeof words>, slack: number): string[] {
  const out: string[] = [];
  for (const w of layout.words)
    if (w.x0 < -0.5 || w.x1 > layout.width + 0.5 || w.y0 < -0.5 - slack || w.y1 > layout.height + 0.5 + slack) out.push(`"${w.text}" outside the page`);
  const ws = layout.words;
  for (let i = 0; i < ws.length; i++)
    for (let j = i + 1; j < ws.length; j++) {
      const a = ws[i];
      const b = ws[j];
      const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const dy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (dx > 0.5 && dy > slack) out.push(`"${a.text}" overlaps "${b.text}" (${dx.toFixed(1)} × ${dy.toFixed(1)} pt)`);
    }
  return out;
}

function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

const WIDTHS = [3.25, 6.75];
const FONTS = [7, 10];

describe.skipIf(missing.length > 0)("figures rendered by librsvg and poppler", () => {
  const sizes: string[] = [];
  for (const { name, spec } of allSpecs())
    for (const widthIn of WIDTHS)
      for (const fontPt of FONTS)
        it(`${name} at ${widthIn} in, ${fontPt} pt`, async () => {
          const scene = figureScene(spec, { widthIn, fontPt });
          const base = path.join(dir, `${name}-${widthIn}-${fontPt}`);
          fs.writeFileSync(`${base}.svg`, sceneToSvg(scene));
          const pdf = await sceneToPdf(scene);
          fs.writeFileSync(`${base}.pdf`, pdf);
          sizes.push(`${name} ${widthIn}in ${fontPt}pt: PDF ${pdf.length} B`);
          // Fonts: every font embedded, as a subset, with a Unicode map.
          const fonts = run("pdffonts", [`${base}.pdf`])
            .trim()
            .split("\n")
            .slice(2);
          expect(fonts.length).toBeGreaterThan(0);
          for (const line of fonts) {
            expect(line, line).toMatch(/\+DejaVuSans|\+SourceHanSans/);
            expect(line.split(/\s+/).slice(-5, -2), line).toEqual(["yes", "yes", "yes"]);
          }
          // The PDF: rendered by poppler at the figure's size; its words where they belong.
          run("pdftoppm", ["-r", "96", "-png", "-singlefile", `${base}.pdf`, `${base}-poppler`]);
          const png = pngSize(`${base}-poppler.png`);
          expect(Math.abs(png.width - widthIn * 96)).toBeLessThanOrEqual(1);
          const fromPdf = words(`${base}.pdf`);
          expect(fromPdf.width).toBeCloseTo(widthIn * 72, 1);
          expect(problems(fromPdf, fontPt * 0.3)).toEqual([]);
          // The SVG: rendered by librsvg to PNG and to PDF (whose word boxes are librsvg's own text layout).
          run("rsvg-convert", ["-d", "96", "-p", "96", "-f", "png", "-o", `${base}-rsvg.png`, `${base}.svg`]);
          expect(Math.abs(pngSize(`${base}-rsvg.png`).width - widthIn * 96)).toBeLessThanOrEqual(1);
          run("rsvg-convert", ["-f", "pdf", "-o", `${base}-rsvg.pdf`, `${base}.svg`]);
          const fromSvg = words(`${base}-rsvg.pdf`);
          expect(fromSvg.width).toBeCloseTo(widthIn * 72, 1);
          expect(problems(fromSvg, fontPt * 0.3)).toEqual([]);
          // Unicode as written, wherever the second run is named.
          const text = runUtf8("pdftotext", [`${base}.pdf`, "-"]);
          if (/Llama-2 学生/.test(JSON.stringify(scene.items))) for (const s of ["学生", "Δ", "κ", "≥", "0.5"]) expect(text).toContain(s);
          expect(text).not.toContain("?");
        });

  it("a figure PDF dropped into a LaTeX article keeps its fonts embedded", async () => {
    const which = spawnSync("sh", ["-c", "command -v pdflatex && kpsewhich graphicx.sty"], { encoding: "utf8" });
    if (which.status !== 0) {
      if (process.env.CI) throw new Error("pdflatex with graphicx is not installed");
      console.warn("[render.test] pdflatex with graphicx is not installed: the article check was skipped");
      return;
    }
    const paper = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-figure-paper-"));
    const spec = allSpecs()[0].spec;
    fs.writeFileSync(path.join(paper, "heatmap.pdf"), await sceneToPdf(figureScene(spec, { widthIn: 3.25, fontPt: 8 })));
    fs.writeFileSync(path.join(paper, "wide.pdf"), await sceneToPdf(figureScene(spec, { widthIn: 6.75, fontPt: 8 })));
    fs.writeFileSync(
      path.join(paper, "paper.tex"),
      [
        "\\documentclass[twocolumn]{article}",
        "\\usepackage{graphicx}",
        "\\begin{document}",
        "Text.",
        "\\begin{figure}[t]\\centering\\includegraphics[width=\\linewidth]{heatmap.pdf}\\caption{Heatmap, single column.}\\end{figure}",
        "\\begin{figure*}[t]\\centering\\includegraphics[width=\\linewidth]{wide.pdf}\\caption{Heatmap, double column.}\\end{figure*}",
        "\\end{document}",
        "",
      ].join("\n"),
    );
    const r = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"], { cwd: paper, encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stdout.slice(-2000)).toBe(0);
    const fonts = run("pdffonts", [path.join(paper, "paper.pdf")])
      .trim()
      .split("\n")
      .slice(2);
    expect(fonts.some((l) => l.includes("DejaVuSans"))).toBe(true);
    for (const line of fonts) expect(line.split(/\s+/).slice(-5, -4), line).toEqual(["yes"]);
  });

  it("reports the sizes", () => {
    console.log(`[render.test] ${sizes.length} figures rendered in ${dir}\n  ${sizes.join("\n  ")}`);
  });
});
