// The family tree's layout: parents above children, no two boxes overlap, the base edge carries the student's
// change, and the download is a standalone SVG that an outside renderer draws.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { familyTreeScene, layoutFamilyTree } from "@/lib/models/family-tree";
import { percentChange } from "@/lib/metrics/statistics";
import { sceneToPdf } from "@/lib/figures/pdf";
import { textBox } from "@/lib/figures/scene";
import { sceneToSvg } from "@/lib/figures/svg";
import type { DerivationView } from "@/lib/models/lineage";
import { parseXml } from "@/lib/export/xml";

const m = (id: string, name = id) => ({ id, name });
function derivation(id: string, student: string, base: string | null, teachers: string[]): DerivationView {
  return {
    id,
    student: m(student),
    base: base ? m(base) : null,
    teachers: teachers.map((t) => m(t)),
    method: "active",
    targetMetric: "mtld",
    direction: "max",
    k: 8,
    selection: teachers.length > 1 ? "multi" : "single",
    dataset: { id: "ds", name: "Alpaca <MTLD> & co" },
    datasetLabel: "",
    notes: "",
    createdAt: "2026-12-01T00:00:00Z",
  };
}

const models = ["llama2-7b", "llama2-13b", "mixtral", "student-a", "student-b", "grand-student", "loner"].map((id) => m(id));
const derivations = [
  derivation("d1", "student-a", "llama2-7b", ["llama2-13b", "mixtral"]),
  derivation("d2", "student-b", "llama2-7b", ["mixtral"]),
  derivation("d3", "grand-student", "student-a", ["student-b"]),
];
const values = new Map([
  ["llama2-7b", { value: 50, runId: "r1" }],
  ["student-a", { value: 60, runId: "r2" }],
  ["grand-student", { value: 45, runId: "r3" }],
]);

describe("family tree layout", () => {
  const t = layoutFamilyTree(models, derivations, values, "mtld");

  it("places every parent above its children and leaves unconnected models out", () => {
    const y = new Map(t.nodes.map((n) => [n.id, n.y]));
    for (const e of t.edges) expect(y.get(e.from)!).toBeLessThan(y.get(e.to)!);
    expect(t.nodes.map((n) => n.id)).not.toContain("loner");
    expect(t.unconnected).toBe(1);
    expect(y.get("grand-student")!).toBeGreaterThan(y.get("student-a")!);
  });

  it("no two node boxes overlap, and everything fits in the picture", () => {
    for (const a of t.nodes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(t.width);
      for (const b of t.nodes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.id} / ${b.id}`).toBe(false);
      }
    }
  });

  it("labels base edges with the student's change and teacher edges with the method", () => {
    const base = t.edges.find((e) => e.kind === "base" && e.to === "student-a")!;
    expect(base.change).toBeCloseTo(20, 12);
    expect(t.edges.find((e) => e.kind === "base" && e.to === "grand-student")!.change).toBeCloseTo(-25, 12);
    expect(t.edges.find((e) => e.kind === "base" && e.to === "student-b")!.change).toBeNull();
    expect(t.edges.find((e) => e.kind === "teacher")!.label).toMatch(/^active · max MTLD · k 8 · Alpaca <MTLD> & co$/);
    expect(percentChange(0, 1)).toBeNull();
  });

  it("the figure: no text overlaps another or leaves it, nothing under 7 pt; SVG for librsvg, PDF with embedded fonts", async () => {
    const scene = familyTreeScene(t);
    const texts = scene.items.filter((i): i is Extract<typeof i, { kind: "text" }> => i.kind === "text");
    const boxes = texts.map(textBox);
    for (const [i, a] of boxes.entries()) {
      expect(texts[i].size).toBeGreaterThanOrEqual(7);
      expect(a.x0).toBeGreaterThanOrEqual(0);
      expect(a.x1).toBeLessThanOrEqual(scene.width);
      for (const [j, b] of boxes.entries()) {
        if (j <= i) continue;
        const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        expect(overlap, `${texts[i].text} / ${texts[j].text}`).toBe(false);
      }
    }
    const svg = sceneToSvg(scene);
    expect(parseXml(svg).name).toBe("svg");
    expect(svg).toContain("Alpaca &lt;MTLD&gt; &amp; co");
    expect(svg).not.toMatch(/class=|style=/);
    const pdf = await sceneToPdf(scene);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tree-"));
    fs.writeFileSync(path.join(dir, "t.svg"), svg);
    fs.writeFileSync(path.join(dir, "t.pdf"), pdf);
    // .ci/run installs librsvg2-bin and poppler-utils; the checks above always run.
    if (spawnSync("rsvg-convert", ["--version"]).status === 0) {
      execFileSync("rsvg-convert", ["-o", path.join(dir, "t.png"), path.join(dir, "t.svg")]);
      expect(fs.statSync(path.join(dir, "t.png")).size).toBeGreaterThan(1000);
    }
    if (spawnSync("pdffonts", ["-v"]).status === 0) {
      const fonts = execFileSync("pdffonts", [path.join(dir, "t.pdf")], { encoding: "utf8" })
        .split("\n")
        .slice(2)
        .filter((l) => l.trim());
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+yes\b/);
    }
  });
});
