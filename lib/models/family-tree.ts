// The family tree: every model that takes part in a derivation and every derivation, as one layered graph
// (base and teachers above, the student below), nodes coloured by a chosen metric (the model's latest completed
// result), and each base → student edge labelled with the student's change on that metric. The layout is pure
// (positions in px), drawn by components/family-tree.tsx on screen and, as a figure scene (familyTreeScene), to SVG
// and to PDF with embedded fonts for the download, so both are the same picture in every renderer.
import { formatPctOnScreen } from "@/lib/export/format";
import type { Item, Scene } from "@/lib/figures/scene";
import { measure } from "@/lib/figures/text";
import { getMetric } from "@/lib/metrics/catalogue";
import { percentChange } from "@/lib/metrics/statistics";
import type { DerivationView } from "./lineage";

export interface TreeNode {
  id: string;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** The chosen metric's latest completed value, or null. */
  value: number | null;
  runId: string | null;
}

export interface TreeEdge {
  derivationId: string;
  from: string;
  to: string;
  kind: "base" | "teacher";
  /** e.g. "active · max mtld · k 8 · Alpaca-MTLD" on teacher edges; the change on the base edge. */
  label: string;
  /** 100·(student − base)/|base| on the chosen metric (base edges), or null. */
  change: number | null;
  /** Where the label's baseline centre sits (px): moved off the midpoint when another label or a node is there. */
  labelAt?: { x: number; y: number };
}

export interface TreeLayout {
  nodes: TreeNode[];
  edges: TreeEdge[];
  width: number;
  height: number;
  metric: string | null;
  range: [number, number] | null;
  /** Models with no derivation, left out of the picture. */
  unconnected: number;
  /** What the colours and lines mean (drawn under the graph). */
  caption: string;
}

const FONT_PX = 12;
const NODE_H = 28;
const PAD_X = 14;
const GAP_X = 28;
const GAP_Y = 84;
const MARGIN = 24;
const CAPTION_PX = 10;

function describe(d: DerivationView): string {
  const parts: string[] = [d.method];
  if (d.method === "active" && d.targetMetric) parts.push(`${d.direction ?? ""} ${getMetric(d.targetMetric)?.shortLabel ?? d.targetMetric}`.trim());
  if (d.k) parts.push(`k ${d.k}`);
  const data = d.dataset?.name ?? d.datasetLabel;
  if (data) parts.push(data);
  return parts.join(" · ");
}

/** Layered layout: a model sits one layer below the deepest of its bases and teachers. */
export function layoutFamilyTree(
  models: { id: string; name: string }[],
  derivations: DerivationView[],
  values: Map<string, { value: number; runId: string }>,
  metric: string | null,
): TreeLayout {
  const parents = new Map<string, Set<string>>();
  const involved = new Set<string>();
  const edges: TreeEdge[] = [];
  for (const d of derivations) {
    involved.add(d.student.id);
    const ps = parents.get(d.student.id) ?? new Set<string>();
    parents.set(d.student.id, ps);
    if (d.base) {
      involved.add(d.base.id);
      ps.add(d.base.id);
      edges.push({
        derivationId: d.id,
        from: d.base.id,
        to: d.student.id,
        kind: "base",
        label: "",
        change: metric ? percentChange(values.get(d.base.id)?.value, values.get(d.student.id)?.value) : null,
      });
    }
    // One label per derivation (on its first teacher edge); a base that is also the teacher (self-distillation)
    // is one edge carrying both, so that no two edges or labels lie on top of each other.
    let labelled = false;
    for (const t of d.teachers) {
      involved.add(t.id);
      ps.add(t.id);
      const label = labelled ? "" : describe(d);
      labelled = true;
      const baseEdge = d.base?.id === t.id ? edges.find((e) => e.derivationId === d.id && e.kind === "base") : undefined;
      if (baseEdge) baseEdge.label = `teacher too · ${label || describe(d)}`;
      else edges.push({ derivationId: d.id, from: t.id, to: d.student.id, kind: "teacher", label, change: null });
    }
  }
  const byId = new Map(models.map((m) => [m.id, m]));
  // Depth by longest path from a root; a cycle (a student recorded as its own ancestor) is cut at the first revisit.
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const p of parents.get(id) ?? []) d = Math.max(d, depthOf(p) + 1);
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const ids = [...involved].filter((id) => byId.has(id));
  for (const id of ids) depthOf(id);
  const layers: string[][] = [];
  for (const id of ids.sort((a, b) => byId.get(a)!.name.localeCompare(byId.get(b)!.name))) (layers[depth.get(id)!] ??= []).push(id);

  const widthOf = (id: string) => Math.ceil(measure(byId.get(id)!.name, FONT_PX)) + 2 * PAD_X;
  const nodes = new Map<string, TreeNode>();
  let width = 0;
  layers.forEach((layer, li) => {
    // Children under their parents: order a layer by the mean x of its parents (names break ties).
    if (li > 0) {
      const centre = (id: string) => {
        const xs = [...(parents.get(id) ?? [])]
          .map((p) => nodes.get(p))
          .filter((n): n is TreeNode => !!n)
          .map((n) => n.x + n.w / 2);
        return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Infinity;
      };
      layer.sort((a, b) => centre(a) - centre(b) || byId.get(a)!.name.localeCompare(byId.get(b)!.name));
    }
    let x = MARGIN;
    for (const id of layer) {
      const w = widthOf(id);
      const v = values.get(id);
      nodes.set(id, { id, name: byId.get(id)!.name, x, y: MARGIN + li * (NODE_H + GAP_Y), w, h: NODE_H, value: v?.value ?? null, runId: v?.runId ?? null });
      x += w + GAP_X;
    }
    width = Math.max(width, x - GAP_X + MARGIN);
  });
  // Centre each layer in the widest one.
  layers.forEach((layer) => {
    const last = nodes.get(layer[layer.length - 1])!;
    const shift = (width - (last.x + last.w + MARGIN)) / 2;
    for (const id of layer) nodes.get(id)!.x += shift;
  });
  const kept = edges.filter((e) => nodes.has(e.from) && nodes.has(e.to));
  const vals = [...nodes.values()].map((n) => n.value).filter((v): v is number => v !== null);
  const range: [number, number] | null = vals.length ? [Math.min(...vals), Math.max(...vals)] : null;
  const label = metric ? (getMetric(metric)?.label ?? metric) : null;
  const caption = label
    ? `Colour: ${label}${range ? ` (${range[0].toPrecision(3)} to ${range[1].toPrecision(3)}; grey: no completed result)` : " (no completed result)"}. Solid: base → student, labelled with the student's change; dashed: teacher.`
    : "Solid: base → student; dashed: teacher → student.";
  const figureWidth = placeLabels(kept, nodes, Math.max(width, 320, Math.ceil(measure(caption, CAPTION_PX)) + 2 * MARGIN));
  return {
    nodes: [...nodes.values()],
    edges: kept,
    width: figureWidth,
    height: MARGIN * 2 + Math.max(1, layers.length) * NODE_H + Math.max(0, layers.length - 1) * GAP_Y + 40,
    metric,
    range,
    unconnected: models.length - nodes.size,
    caption,
  };
}

const LABEL_PX = 10;

/**
 * Each edge label at its edge's midpoint, or the nearest place up or down the gap where it covers no other label or
 * node, kept inside the figure; returns the figure's width (widened if a label is wider than it).
 */
function placeLabels(edges: TreeEdge[], nodes: Map<string, TreeNode>, width: number): number {
  type Box = { x0: number; y0: number; x1: number; y1: number };
  const taken: Box[] = [...nodes.values()].map((n) => ({ x0: n.x, y0: n.y, x1: n.x + n.w, y1: n.y + n.h }));
  const hits = (b: Box) => taken.some((t) => b.x0 < t.x1 && t.x0 < b.x1 && b.y0 < t.y1 && t.y0 < b.y1);
  for (const e of edges) {
    const label = edgeLabel(e);
    if (!label) continue;
    const { mid } = edgePath(nodes.get(e.from)!, nodes.get(e.to)!);
    const w = measure(label, LABEL_PX) + 4;
    width = Math.max(width, Math.ceil(w) + 2 * MARGIN);
    const x = Math.min(Math.max(mid.x, MARGIN / 2 + w / 2), width - MARGIN / 2 - w / 2);
    let at = { x, y: mid.y + 4 };
    for (const dy of [0, 13, -13, 26, -26, 39, -39]) {
      const y = mid.y + 4 + dy;
      const box = { x0: x - w / 2, y0: y - LABEL_PX, x1: x + w / 2, y1: y + 3 };
      if (!hits(box)) {
        at = { x, y };
        taken.push(box);
        break;
      }
    }
    e.labelAt = at;
  }
  return width;
}

/** A node's fill: light to dark blue over the metric's range; grey without a value. */
export function nodeFill(value: number | null, range: [number, number] | null): string {
  if (value === null || !range) return "#eeeeee";
  const t = range[1] === range[0] ? 0.5 : (value - range[0]) / (range[1] - range[0]);
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(222, 33)},${mix(235, 102)},${mix(247, 172)})`;
}

export function nodeTextColour(value: number | null, range: [number, number] | null): string {
  if (value === null || !range) return "#222222";
  const t = range[1] === range[0] ? 0.5 : (value - range[0]) / (range[1] - range[0]);
  return t > 0.55 ? "#ffffff" : "#111111";
}

/** What an edge says: the student's change on a base edge (and the method when the base is also the teacher). */
export function edgeLabel(e: TreeEdge): string {
  if (e.kind === "teacher") return e.label;
  return [e.change === null ? "" : formatPctOnScreen(e.change), e.label].filter(Boolean).join(" · ");
}

/** The edge's path: a cubic from the bottom centre of the parent to the top centre of the child. */
export function edgePath(from: TreeNode, to: TreeNode): { d: string; mid: { x: number; y: number } } {
  const x1 = from.x + from.w / 2;
  const y1 = from.y + from.h;
  const x2 = to.x + to.w / 2;
  const y2 = to.y;
  const my = (y1 + y2) / 2;
  return { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`, mid: { x: (x1 + x2) / 2, y: my } };
}

/** The tree as a figure scene (points), written to SVG and to PDF with embedded fonts like every other figure. */
export function familyTreeScene(t: TreeLayout): Scene {
  const k = 0.75; // px → pt
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const items: Item[] = [];
  for (const e of t.edges) {
    const from = byId.get(e.from)!;
    const to = byId.get(e.to)!;
    const [x1, y1, x2, y2] = [from.x + from.w / 2, from.y + from.h, to.x + to.w / 2, to.y];
    const my = (y1 + y2) / 2;
    // The cubic of edgePath, sampled: the scene draws polylines.
    const points: [number, number][] = [];
    for (let i = 0; i <= 16; i++) {
      const u = i / 16;
      const a = (1 - u) ** 3;
      const b = 3 * (1 - u) ** 2 * u;
      const c = 3 * (1 - u) * u ** 2;
      const d = u ** 3;
      points.push([k * (a * x1 + b * x1 + c * x2 + d * x2), k * (a * y1 + b * my + c * my + d * y2)]);
    }
    items.push({
      kind: "poly",
      points,
      closed: false,
      stroke: e.kind === "base" ? "#333333" : "#888888",
      strokeWidth: 1,
      ...(e.kind === "teacher" ? { dash: [3.75, 2.25] } : {}),
    });
    const label = edgeLabel(e);
    const at = e.labelAt ?? { x: (x1 + x2) / 2, y: my + 4 };
    if (label) items.push({ kind: "text", x: k * at.x, y: k * at.y, text: label, size: 7.5, anchor: "middle", fill: "#444444", role: "edge-label" });
  }
  for (const n of t.nodes) {
    items.push(
      { kind: "rect", x: k * n.x, y: k * n.y, w: k * n.w, h: k * n.h, fill: nodeFill(n.value, t.range), stroke: "#555555", strokeWidth: 0.75 },
      {
        kind: "text",
        x: k * (n.x + n.w / 2),
        y: k * (n.y + n.h / 2 + 4),
        text: n.name,
        size: 9,
        anchor: "middle",
        fill: nodeTextColour(n.value, t.range),
        role: "node",
      },
    );
  }
  items.push({ kind: "text", x: k * 24, y: k * (t.height - 14), text: t.caption, size: 7.5, fill: "#444444", role: "caption" });
  return {
    width: k * t.width,
    height: k * t.height,
    title: "Lineage family tree",
    description: `${t.nodes.length} models and their derivations. ${t.caption}`,
    items: [{ kind: "rect", x: 0, y: 0, w: k * t.width, h: k * t.height, fill: "#ffffff" }, ...items],
  };
}
