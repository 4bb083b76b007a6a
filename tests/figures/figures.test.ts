// Figure layout (lib/figures), pure: nice ticks, text measurement against the embedded font, wrapping, the metric
// selection of the URL, and every figure at single- and double-column width and several font sizes with no text
// box overlapping another, none outside the figure, none under 7 pt. tests/figures/render.test.ts renders the same
// figures with librsvg and poppler.
import { describe, expect, it } from "vitest";
import { defaultMetricOrder, groupByCategory, parseMetricsParam, selectRows } from "@/lib/export/metric-selection";
import { figureScene } from "@/lib/figures";
import { generate } from "@/lib/figures/font-metrics.generate";
import fs from "node:fs";
import path from "node:path";
import { heatmapScene } from "@/lib/figures/heatmap";
import { normalisedValues } from "@/lib/figures/radar";
import { clippedTexts, overlappingTexts, smallestText, textBox, type Scene } from "@/lib/figures/scene";
import { sceneToSvg } from "@/lib/figures/svg";
import { measure, wrap } from "@/lib/figures/text";
import { formatTick, niceTicks } from "@/lib/figures/ticks";
import { parseXml, walk } from "@/lib/export/xml";
import { FIGURE_FONT_FILES, openFont } from "@/lib/figures/fonts";
import { allSpecs, rows, RUNS } from "./fixtures";

describe("nice ticks", () => {
  it("gives round steps of 1, 2 or 5 × 10^k that cover the data", () => {
    expect(niceTicks(0, 0.195, 5).values).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    expect(niceTicks(0, 0.39, 6).values).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(-0.108, 0.46, 6).values).toEqual([-0.2, 0, 0.2, 0.4, 0.6]);
    expect(niceTicks(12, 197, 6).values).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(0.0013, 0.0021, 5).values).toEqual([0.001, 0.0015, 0.002, 0.0025]);
    expect(niceTicks(0, 1, 6).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    for (const [lo, hi, n] of [
      [0, 0.195, 4],
      [3.2, 1234, 7],
      [-55, -3, 5],
      [0.5, 0.5000001, 6],
      [1e-7, 3e-7, 4],
    ] as const) {
      const t = niceTicks(lo, hi, n);
      expect(t.values.length).toBeLessThanOrEqual(n);
      expect(t.values[0]).toBeLessThanOrEqual(lo);
      expect(t.values[t.values.length - 1]).toBeGreaterThanOrEqual(hi);
      const mantissa = t.step / 10 ** Math.floor(Math.log10(t.step) + 1e-9);
      expect([1, 2, 5]).toContain(Math.round(mantissa * 1e6) / 1e6);
    }
  });

  it("widens an empty or degenerate range and labels every tick with the same decimals", () => {
    expect(niceTicks(0, 0).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(5, 5, 4).domain[0]).toBe(0);
    expect(niceTicks(Number.NaN, 3).values).toEqual(niceTicks(0, 1).values);
    const t = niceTicks(0, 0.195, 5);
    expect(t.values.map((v) => formatTick(v, t.decimals))).toEqual(["0", "0.05", "0.10", "0.15", "0.20"]);
    expect(formatTick(-0.5, 1)).toBe("−0.5");
    expect(formatTick(25000, 0)).toBe("25,000");
  });
});

describe("text measurement with the embedded font's metrics", () => {
  it("the generated width table is the installed DejaVu Sans", () => {
    const committed = fs.readFileSync(path.join(import.meta.dirname, "../../lib/figures/font-metrics.ts"), "utf8");
    expect(committed, "regenerate with: npx tsx lib/figures/font-metrics.generate.ts").toBe(generate());
  });

  it("measures as the font advances, bold wider, CJK one em, and wraps at spaces, hyphens and before parentheses", () => {
    const font = openFont(FIGURE_FONT_FILES.regular);
    const text = "CrowS-Pairs (sexual orientation) Δ κ ≥ 0.5";
    const fromFont = [...text].reduce((w, ch) => w + font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth, 0) / font.unitsPerEm;
    expect(measure(text, 10)).toBeCloseTo(fromFont * 10, 6);
    expect(measure("Words", 9, "bold")).toBeGreaterThan(measure("Words", 9));
    expect(measure("学生", 10)).toBe(20);
    expect(wrap("CrowS-Pairs (sexual orientation)", 9, measure("CrowS-Pairs (sexual", 9) + 0.1)).toEqual(["CrowS-Pairs (sexual", "orientation)"]);
    expect(wrap("Mixtral-8x7B-Instruct-v0.1 (teacher)", 9, 80, 3).every((l) => measure(l, 9) <= 80)).toBe(true);
    const cut = wrap("a very long label that cannot fit in two short lines at all", 9, 60, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1].endsWith("…")).toBe(true);
    expect(wrap("n\u00a0=\u00a0239", 9, 10, 3)).toEqual(["n\u00a0=\u00a0239"].flatMap((s) => wrap(s, 9, 10, 3)));
  });
});

describe("the metrics= URL parameter", () => {
  it("parses ids in order, drops unknown and repeated ones, and means 'all' when absent or empty", () => {
    expect(parseMetricsParam("mtld,length_words,nope,mtld, crows_pairs_metric@sexual-orientation")).toEqual([
      "mtld",
      "length_words",
      "crows_pairs_metric@sexual-orientation",
    ]);
    expect(parseMetricsParam(null)).toBeNull();
    expect(parseMetricsParam("")).toBeNull();
    expect(parseMetricsParam("<script>,x")).toBeNull();
    expect(parseMetricsParam(["mtld", "ttr"])).toEqual(["mtld", "ttr"]);
  });

  it("orders by category with slices under their metric, keeps a chosen order, and groups categories for the heatmap", () => {
    expect(
      defaultMetricOrder([
        "crows_pairs_metric@race-color",
        "seat_effect_size",
        "hellaswag_ece_10",
        "crows_pairs_metric",
        "length_words",
        "stereoset_ss@gender",
        "stereoset_ss",
        "crows_pairs_metric@age",
      ]),
    ).toEqual([
      "length_words",
      "stereoset_ss",
      "stereoset_ss@gender",
      "crows_pairs_metric",
      "crows_pairs_metric@race-color",
      "crows_pairs_metric@age",
      "seat_effect_size",
      "hellaswag_ece_10",
    ]);
    const r = rows();
    expect(selectRows(r, ["mtld", "crows_pairs_metric", "length_words"]).map((x) => x.metric)).toEqual(["mtld", "crows_pairs_metric", "length_words"]);
    expect(groupByCategory(selectRows(r, ["mtld", "crows_pairs_metric", "length_words"])).map((x) => x.metric)).toEqual([
      "mtld",
      "length_words",
      "crows_pairs_metric",
    ]);
    // The CrowS-Pairs slices come right under CrowS-Pairs.
    const ids = selectRows(r, null).map((x) => x.metric);
    const at = ids.indexOf("crows_pairs_metric");
    expect(ids.slice(at, at + 4)).toEqual([
      "crows_pairs_metric",
      "crows_pairs_metric@race-color",
      "crows_pairs_metric@sexual-orientation",
      "crows_pairs_metric@physical-appearance",
    ]);
  });
});

const WIDTHS = [3.25, 6.75];
const FONTS = [7, 9, 12];

describe("every figure at single and double column", () => {
  for (const { name, spec } of allSpecs())
    for (const widthIn of WIDTHS)
      for (const fontPt of FONTS)
        it(`${name} at ${widthIn} in, ${fontPt} pt: no text overlaps another or leaves the figure, none under 7 pt`, () => {
          const scene: Scene = figureScene(spec, { widthIn, fontPt });
          expect(scene.width).toBeCloseTo(widthIn * 72, 6);
          const overlaps = overlappingTexts(scene).map(([a, b]) => `"${a.text}" × "${b.text}"`);
          expect(overlaps).toEqual([]);
          expect(clippedTexts(scene).map((t) => t.text)).toEqual([]);
          expect(smallestText(scene)).toBeGreaterThanOrEqual(7);
          // Every shape inside the figure too.
          for (const i of scene.items) {
            if (i.kind === "rect") expect(i.x >= -0.01 && i.y >= -0.01 && i.x + i.w <= scene.width + 0.01 && i.y + i.h <= scene.height + 0.01).toBe(true);
            if (i.kind === "line")
              for (const [x, y] of [
                [i.x1, i.y1],
                [i.x2, i.y2],
              ])
                expect(x >= -0.01 && x <= scene.width + 0.01 && y >= -0.01 && y <= scene.height + 0.01).toBe(true);
          }
        });
});

describe("figure content", () => {
  it("the heatmap has metrics as rows under their category, runs as columns, names the reference, and splits into panels when the runs do not fit", () => {
    const r = groupByCategory(selectRows(rows(), null));
    const wide = heatmapScene({ rows: r, runs: RUNS, refId: "r0" }, { widthIn: 6.75, fontPt: 9 });
    const texts = (s: Scene, role: string) => s.items.filter((i) => i.kind === "text" && i.role === role).map((i) => (i as { text: string }).text);
    expect(texts(wide, "title")[0]).toBe("% change against Llama-2-7B (base)");
    expect(texts(wide, "category")).toEqual(["Textual characteristics", "Social bias", "Toxicity", "Calibration"]);
    const rowLabels = texts(wide, "row");
    expect(rowLabels.indexOf("CrowS-Pairs (sexual orientation)")).toBeGreaterThan(rowLabels.indexOf("CrowS-Pairs"));
    expect(wide.info.panels).toBe(1);
    expect(texts(wide, "value")).toHaveLength(r.length * 7);
    const narrow = heatmapScene({ rows: r, runs: RUNS, refId: "r0" }, { widthIn: 3.25, fontPt: 9 });
    expect(narrow.info.panels).toBeGreaterThan(1);
    expect(texts(narrow, "panel")).toEqual(["(a)", "(b)", "(c)"].slice(0, narrow.info.panels));
    expect(texts(narrow, "value")).toHaveLength(r.length * 7);
    expect(smallestText(narrow)).toBeGreaterThanOrEqual(7);
  });

  it("axes have titles and round ticks; the radar explains its scale; an empty bar is a line at zero", () => {
    for (const { name, spec } of allSpecs()) {
      const s = figureScene(spec, { widthIn: 3.25, fontPt: 8 });
      if (spec.kind !== "radar") {
        // The ticks of one axis share a baseline (x axis) or a right edge (y axis): their values step by 1, 2 or 5 × 10^k.
        const axes = new Map<string, number[]>();
        for (const i of s.items) {
          if (i.kind !== "text" || i.role !== "tick") continue;
          const key = i.anchor === "middle" ? `x@${i.y.toFixed(2)}` : `y@${i.x.toFixed(2)}`;
          axes.set(key, [...(axes.get(key) ?? []), Number(i.text.replace("−", "-").replace(/,/g, ""))]);
        }
        for (const [key, values] of axes) {
          const steps = values.slice(1).map((v, k) => Math.abs(v - values[k]));
          const step = steps[0];
          for (const d of steps) expect(d, `${name} ${key}: ${values}`).toBeCloseTo(step, 9);
          const mantissa = Math.round((step / 10 ** Math.floor(Math.log10(step) + 1e-9)) * 1e6) / 1e6;
          expect([1, 2, 5], `${name} ${key}: ${values}`).toContain(mantissa);
        }
      }
      if (spec.kind !== "heatmap" && spec.kind !== "radar")
        expect(s.items.filter((i) => i.kind === "text" && i.role === "axis-title").length, name).toBeGreaterThanOrEqual(2 - (spec.kind === "bars" ? 1 : 0));
    }
    const radar = figureScene(allSpecs().find((x) => x.name === "radar-social-bias")!.spec, { widthIn: 3.25, fontPt: 8 });
    expect(
      radar.items
        .filter((i) => i.kind === "text" && i.role === "note")
        .map((i) => (i as { text: string }).text)
        .join(" "),
    ).toMatch(/Normalised axes: each axis: value ÷ the largest \|value\|/);
    expect(normalisedValues(rows(RUNS.slice(0, 2), ["mtld"]), RUNS.slice(0, 2))[0].map((v) => Math.abs(v!) <= 1)).toEqual([true, true]);
    const bars = figureScene(allSpecs().find((x) => x.name === "bars-percent")!.spec, { widthIn: 6.75, fontPt: 9 });
    expect(bars.items.some((i) => i.kind === "text" && i.text === "no value (line at 0)")).toBe(false); // every % metric has values
    const gap = figureScene(
      {
        kind: "bars",
        rows: rows(RUNS.slice(0, 3), ["flesch_reading_ease", "gunning_fog", "mtld", "crows_pairs_metric@sexual-orientation"]),
        runs: RUNS.slice(0, 3),
        yTitle: "Value",
        title: "t",
      },
      { widthIn: 3.25, fontPt: 8 },
    );
    expect(gap.items.some((i) => i.kind === "text" && i.text === "no value (line at 0)")).toBe(true);
  });

  it("the SVG is standalone: sized in inches, every text with its font family and size as attributes, no CSS, classes or dominant-baseline", () => {
    for (const { spec } of allSpecs()) {
      const svg = sceneToSvg(figureScene(spec, { widthIn: 3.25, fontPt: 9 }));
      const root = parseXml(svg);
      expect(root.attrs.width).toBe("3.25in");
      expect(svg).not.toMatch(/style=|class=|dominant-baseline|<script|var\(|@font-face/);
      for (const el of walk(root))
        if (el.name === "text") {
          expect(el.attrs["font-family"]).toMatch(/^'DejaVu Sans'/);
          expect(Number(el.attrs["font-size"])).toBeGreaterThanOrEqual(7);
        }
    }
  });

  it("a text's box follows its anchor and rotation", () => {
    const b = textBox({ kind: "text", x: 100, y: 50, text: "Words", size: 10, anchor: "end" });
    expect(b.x1).toBeCloseTo(100, 6);
    const r = textBox({ kind: "text", x: 100, y: 50, text: "Words", size: 10, anchor: "start", rotate: -90 });
    expect(r.y1).toBeCloseTo(50, 6);
    expect(r.y0).toBeCloseTo(50 - measure("Words", 10), 6);
  });
});
