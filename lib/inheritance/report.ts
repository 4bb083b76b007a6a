// What a selection did, from stored data only: the target's distribution over all candidates, over the seeded random
// pick (the passive baseline) and over the selected set, with means, seeded bootstrap CIs and % change; the share of
// each teacher; the prompts where the selection gained most over the random pick.
import type { Database } from "@/lib/db/client";
import { compareForBetter, getMetric } from "@/lib/metrics/catalogue";
import { bootstrapMeanCI, percentChange, type MeanCI } from "@/lib/metrics/statistics";
import { attributeProvenance, type AttributeProvenance } from "./attribute-target";
import { loadCandidateRows, selectRandom, type CandidateRow } from "./selection";
import { readFilters } from "./spec";

export interface Histogram {
  /** Bin edges, bins + 1 of them, over the range of all candidates' values. */
  edges: number[];
  all: number[];
  random: number[];
  selected: number[];
}

export interface GroupSummary extends MeanCI {
  /** Items of the group (with or without a value). */
  count: number;
}

export interface SelectionReport {
  selectionId: string;
  rule: "best" | "random";
  target: string;
  direction: "max" | "min" | "closest" | null;
  /** What a "closest" selection aims at. */
  targetValue: number | null;
  /** The custom attribute version targeted, or null for a built-in metric. */
  attributeVersionId: string | null;
  /** The targeted attribute's name, version and what scored it (for the page and the card). */
  attribute: AttributeProvenance | null;
  /** Candidates whose attribute score is missing (a judge answer that could not be read, a text without words). */
  unscored: number;
  seed: number;
  prompts: number;
  all: GroupSummary;
  random: GroupSummary;
  selected: GroupSummary;
  /** % change of the selected mean against the random pick and against all candidates. */
  changeVsRandom: number | null;
  changeVsAll: number | null;
  histogram: Histogram;
  teacherShare: { teacher: string; selected: number; share: number; candidates: number }[];
  wins: Win[];
}

export interface Win {
  promptIndex: number;
  prompt: string;
  gain: number;
  selected: { teacher: string; sampleIndex: number; value: number; output: string };
  random: { teacher: string; sampleIndex: number; value: number; output: string };
}

function summary(rows: CandidateRow[], seed: string): GroupSummary {
  return {
    ...bootstrapMeanCI(
      rows.map((r) => r.value),
      { seed },
    ),
    count: rows.length,
  };
}

function histogram(all: CandidateRow[], random: CandidateRow[], selected: CandidateRow[], bins = 24): Histogram {
  const values = all.map((r) => r.value).filter((v): v is number => v !== null);
  if (values.length === 0) return { edges: [], all: [], random: [], selected: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) hi = lo + 1;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const count = (rows: CandidateRow[]) => {
    const out = new Array(bins).fill(0);
    for (const r of rows) if (r.value !== null) out[Math.min(bins - 1, Math.floor((r.value - lo) / width))]++;
    return out;
  };
  return { edges, all: count(all), random: count(random), selected: count(selected) };
}

export async function selectionReport(db: Database, selectionId: string, opts: { wins?: number } = {}): Promise<SelectionReport | null> {
  const sel = await db.prisma.selection.findUnique({ where: { id: selectionId }, include: { dataset: { select: { id: true, filters: true, seed: true } } } });
  if (!sel) return null;
  const target = sel.target ?? "length_words";
  const filters = readFilters(sel.dataset.filters);
  const rows = await loadCandidateRows(db, sel.datasetId, target, undefined, sel.attributeVersionId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = await db.prisma.selectionItem.findMany({ where: { selectionId }, select: { candidateId: true } });
  const selected = items
    .map((i) => byId.get(i.candidateId))
    .filter((r): r is CandidateRow => !!r)
    .sort((a, b) => a.promptIndex - b.promptIndex);
  const randomPick = selectRandom(rows, sel.dataset.seed, filters);
  const random = [...randomPick.values()].sort((a, b) => a.promptIndex - b.promptIndex);
  const all = [...rows].sort(
    (a, b) => a.promptIndex - b.promptIndex || (a.teacher < b.teacher ? -1 : a.teacher > b.teacher ? 1 : 0) || a.sampleIndex - b.sampleIndex,
  );
  const seed = sel.dataset.seed;
  const s = {
    all: summary(all, `${seed}:${target}:all`),
    random: summary(random, `${seed}:${target}:random`),
    selected: summary(selected, `${seed}:${target}:selected`),
  };
  const teachers = [...new Set(rows.map((r) => r.teacher))].sort();
  const teacherShare = teachers.map((t) => {
    const n = selected.filter((r) => r.teacher === t).length;
    return { teacher: t, selected: n, share: selected.length ? n / selected.length : 0, candidates: rows.filter((r) => r.teacher === t).length };
  });
  // Biggest wins: the largest improvement of the selected value over the random pick of the same prompt.
  const sign = sel.direction === "min" ? -1 : 1;
  const closeness = (v: number) => -Math.abs(v - (sel.targetValue ?? 0));
  const metricDir = getMetric(target)?.better;
  const gains: { sel: CandidateRow; rnd: CandidateRow; gain: number }[] = [];
  for (const r of selected) {
    const rnd = randomPick.get(r.promptId);
    if (!rnd || rnd.value === null || r.value === null || rnd.id === r.id) continue;
    const gain =
      sel.rule === "best"
        ? sel.direction === "closest"
          ? closeness(r.value) - closeness(rnd.value)
          : sign * (r.value - rnd.value)
        : metricDir && metricDir !== "neutral" && compareForBetter(target, r.value, rnd.value) === "better"
          ? Math.abs(r.value - rnd.value)
          : 0;
    if (gain > 0) gains.push({ sel: r, rnd, gain });
  }
  gains.sort((a, b) => b.gain - a.gain || a.sel.promptIndex - b.sel.promptIndex);
  const top = gains.slice(0, opts.wins ?? 5);
  const ids = top.flatMap((g) => [g.sel.id, g.rnd.id]);
  const texts = ids.length
    ? await db.prisma.candidate.findMany({ where: { id: { in: ids } }, select: { id: true, output: true, prompt: { select: { prompt: true, input: true } } } })
    : [];
  const text = new Map(texts.map((t) => [t.id, t]));
  const wins: Win[] = top.map((g) => {
    const p = text.get(g.sel.id)?.prompt;
    return {
      promptIndex: g.sel.promptIndex,
      prompt: p ? (p.input ? `${p.prompt}\n\n${p.input}` : p.prompt) : "",
      gain: g.gain,
      selected: { teacher: g.sel.teacher, sampleIndex: g.sel.sampleIndex, value: g.sel.value!, output: text.get(g.sel.id)?.output ?? "" },
      random: { teacher: g.rnd.teacher, sampleIndex: g.rnd.sampleIndex, value: g.rnd.value!, output: text.get(g.rnd.id)?.output ?? "" },
    };
  });
  const { _count } = await db.prisma.dataset.findUniqueOrThrow({ where: { id: sel.datasetId }, select: { _count: { select: { prompts: true } } } });
  return {
    selectionId,
    rule: sel.rule as "best" | "random",
    target,
    direction: sel.direction,
    targetValue: sel.targetValue,
    attributeVersionId: sel.attributeVersionId,
    attribute: sel.attributeVersionId ? await attributeProvenance(db, sel.attributeVersionId) : null,
    unscored: rows.filter((r) => r.value === null).length,
    seed: sel.seed,
    prompts: _count.prompts,
    ...s,
    changeVsRandom: percentChange(s.random.mean, s.selected.mean),
    changeVsAll: percentChange(s.all.mean, s.selected.mean),
    histogram: histogram(all, random, selected),
    teacherShare,
    wins,
  };
}
