// The family tree's layout: parents above children, no two boxes overlap, the base edge carries the student's
// change, and the download is a standalone SVG that an outside renderer draws.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { familyTreeSvg, layoutFamilyTree, percentChange } from "@/lib/models/family-tree";
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
    expect(percentChange(1, 0)).toBeNull();
  });

  it("the SVG is well-formed with its text escaped, and librsvg renders it when installed", () => {
    const svg = familyTreeSvg(t);
    const root = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(svg).toContain("Alpaca &lt;MTLD&gt; &amp; co");
    expect(svg).not.toMatch(/class=|style=/);
    const rsvg = spawnSync("rsvg-convert", ["--version"]);
    if (rsvg.status !== 0) return; // .ci/run installs librsvg2-bin; the well-formedness check above always runs
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tree-"));
    fs.writeFileSync(path.join(dir, "t.svg"), svg);
    execFileSync("rsvg-convert", ["-o", path.join(dir, "t.png"), path.join(dir, "t.svg")]);
    expect(fs.statSync(path.join(dir, "t.png")).size).toBeGreaterThan(1000);
  });
});
