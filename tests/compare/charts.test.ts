// The pure parts of the charts. (recharts 3 draws nothing under react-dom/server — it renders after mount — so the
// real charts' SVG, PDF and PNG are checked in the browser test e2e/compare.spec.ts.)
import { describe, expect, it } from "vitest";
import { legendLayout } from "@/components/charts/svg-legend";
import { normalisedRadarData } from "@/components/charts/radar";
import { changeColor } from "@/components/charts/palette";
import type { ChartRow } from "@/components/charts/types";

const runs = [
  { id: "a", label: "Base", role: "base" },
  { id: "b", label: "Student & co", role: "student" },
];
const row = (metric: string, a: number, b: number): ChartRow => ({
  metric, label: metric, shortLabel: metric.toUpperCase(), unit: "words", better: "neutral", category: "textual", perSample: true,
  cells: [{ value: a, lo: a - 1, hi: a + 1, n: 10 }, { value: b, lo: b - 1, hi: b + 1, n: 10 }],
  changes: [{ runId: "b", pct: (100 * (b - a)) / a, verdict: "neutral" }],
});

describe("chart helpers", () => {
  it("legends wrap to the figure width and reserve the height they take", () => {
    const items = ["Base model", "Passive student", "Active student (MTLD)", "Teacher"].map((label) => ({ label, color: "#000" }));
    const wide = legendLayout(items, 640, 12);
    const narrow = legendLayout(items, 200, 12);
    expect(wide.rows).toHaveLength(1);
    expect(narrow.rows.length).toBeGreaterThan(1);
    expect(narrow.height).toBeGreaterThan(wide.height);
    for (const row of narrow.rows) expect(row[0].x).toBe(0);
  });

  it("radar axes are normalised by the largest |value| among the runs; heatmap colours follow the verdict", () => {
    const d = normalisedRadarData([row("mtld", 40, -80)], runs);
    expect(d[0]).toEqual({ metric: "MTLD", v0: 0.5, v1: -1 });
    expect(changeColor(50, "better")).not.toBe(changeColor(50, "worse"));
    expect(changeColor(0, "same")).toBe("#f7f7f7");
    expect(changeColor(null, null)).toBe("#ffffff");
  });
});
