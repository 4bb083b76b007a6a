// A model's profile: per benchmark, the latest completed result across the model's runs (each saying which run
// and when it comes from), or every metric of one chosen run; grouped by category. And its runs over time, in
// series of runs that measured the same thing (same suite steps and item set), so that a chart never joins a
// 20-prompt textual run to a 200-prompt one. All from stored aggregates.
import { loadAttributeMetrics } from "@/lib/attributes/store";
import { createHash } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { CATEGORY_LABELS, METRIC_CATEGORIES, type MetricCategory } from "@/lib/metrics/catalogue";
import { describeProblems, runHealth, type RunState } from "@/lib/runs/run-state";
import { describeMetric } from "./table";

export interface ProfileSource {
  benchmark: string;
  runId: string;
  runName: string;
  /** when the result was produced: the step's end, else the run's end, else its creation */
  at: string;
  state: RunState;
  stateLabel: string;
  /** failed items of this benchmark in that run */
  failedItems: number;
}

export interface ProfileMetric {
  metric: string;
  label: string;
  unit: string;
  better: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
  benchmark: string;
  /** the run the value comes from */
  source: ProfileSource;
}

export interface ProfileGroup {
  category: MetricCategory | "other";
  label: string;
  metrics: ProfileMetric[];
}

export interface ProfileRun {
  id: string;
  name: string;
  status: string;
  state: RunState;
  stateLabel: string;
  problems: string;
  source: string;
  createdAt: string;
  /** the series of runs comparable with this one (same suite steps and item set) */
  series: string;
  /** headline metric values, null when the run lacks them */
  values: Record<string, { value: number | null; lo: number | null; hi: number | null }>;
}

export interface ProfileSeries {
  /** short hash of the suite steps */
  key: string;
  /** "textual: Dolly-200 test, 200 prompts × 1" */
  label: string;
  runIds: string[];
}

export interface ModelProfile {
  /** the chosen run (`?run=`), or null for the merged profile */
  run: { id: string; name: string; createdAt: string; stateLabel: string } | null;
  /** where each benchmark's results come from, latest first */
  sources: ProfileSource[];
  groups: ProfileGroup[];
  runs: ProfileRun[];
  series: ProfileSeries[];
  /** the series shown in "runs over time" */
  seriesKey: string | null;
}

/** The paper's headline metrics, shown for every run over time. */
export const HEADLINE_METRICS = ["length_words", "mtld", "flesch_reading_ease", "expected_max_toxicity", "stereoset_ss", "hellaswag_ece_10"];

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

function suiteSteps(suite: unknown): Record<string, unknown>[] {
  const b = (suite as { benchmarks?: unknown } | null)?.benchmarks;
  return Array.isArray(b) ? (b.filter((x) => x && typeof x === "object") as Record<string, unknown>[]) : [];
}

/**
 * Runs are comparable over time when their suites' steps are identical: benchmarks, sampling, decoding, templates
 * and the item set (the snapshot's sha256 of the chosen items, or the imported file and count). The suite's name
 * does not count. Returns a short key.
 */
export function seriesKey(suite: unknown): string {
  const steps = suiteSteps(suite)
    .map((s) => canonical(s))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return createHash("sha256").update(JSON.stringify(steps)).digest("hex").slice(0, 12);
}

/** What a series measures, in a few words per benchmark. */
export function seriesLabel(suite: unknown): string {
  const steps = suiteSteps(suite);
  if (steps.length === 0) return "no benchmarks recorded";
  return steps
    .map((s) => {
      const prompts = s.prompts as { name?: string; count?: number } | undefined;
      const dataset = s.dataset as { count?: number } | undefined;
      const count = prompts?.count ?? dataset?.count ?? (typeof s.items === "number" ? s.items : undefined);
      const samples = typeof s.samples === "number" && s.samples > 1 ? ` × ${s.samples}` : "";
      const what = prompts?.name ? `${prompts.name}, ` : "";
      return `${String(s.benchmark)}${count !== undefined ? ` (${what}${count} items${samples})` : ""}`;
    })
    .join("; ");
}

/** `runId`: the profile of that run alone; `series`: the series shown in "runs over time" (default: the latest run's). */
export async function modelProfile(db: Database, modelId: string, opts: { runId?: string; series?: string } = {}): Promise<ModelProfile> {
  await loadAttributeMetrics(db);
  const { runId, series: wantedSeries } = opts;
  const runs = await db.prisma.run.findMany({ where: { modelId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 200 });
  const ids = runs.map((r) => r.id);
  const [aggregates, steps, health] = ids.length
    ? await Promise.all([
        db.prisma.aggregate.findMany({ where: { runId: { in: ids } } }),
        db.prisma.runBenchmark.findMany({ where: { runId: { in: ids } } }),
        runHealth(db, ids),
      ])
    : [[], [], new Map()];
  const stateOf = (id: string) => health.get(id) ?? { state: "failed" as RunState, label: "unknown", failedItems: 0, problems: [] };
  const chosen = runId ? (runs.find((r) => r.id === runId) ?? null) : null;

  // Per benchmark, the latest completed run that has results for it and whose step completed.
  const sourceOf = (r: (typeof runs)[number], benchmark: string): ProfileSource => {
    const step = steps.find((s) => s.runId === r.id && s.benchmark === benchmark);
    const h = stateOf(r.id);
    return {
      benchmark,
      runId: r.id,
      runName: r.name || r.id.slice(0, 8),
      at: (step?.finishedAt ?? r.finishedAt ?? r.createdAt).toISOString(),
      state: h.state,
      stateLabel: h.label,
      failedItems: h.problems.find((p: { benchmark: string; failedItems: number }) => p.benchmark === benchmark)?.failedItems ?? 0,
    };
  };
  const picked = new Map<string, ProfileSource>();
  const candidates = chosen ? [chosen] : [...runs].reverse().filter((r) => r.status === "completed");
  for (const r of candidates) {
    for (const benchmark of new Set(aggregates.filter((a) => a.runId === r.id).map((a) => a.benchmark))) {
      if (picked.has(benchmark)) continue;
      const step = steps.find((s) => s.runId === r.id && s.benchmark === benchmark);
      if (!chosen && step && step.status !== "completed") continue;
      picked.set(benchmark, sourceOf(r, benchmark));
    }
  }
  const byCategory = new Map<string, ProfileMetric[]>();
  for (const a of aggregates) {
    const source = picked.get(a.benchmark);
    if (!source || source.runId !== a.runId) continue;
    const info = describeMetric(a.metric);
    const list = byCategory.get(info.category) ?? [];
    list.push({
      metric: a.metric,
      label: info.label,
      unit: info.unit,
      better: info.better,
      value: a.value,
      lo: a.ciLow,
      hi: a.ciHigh,
      n: a.n,
      benchmark: a.benchmark,
      source,
    });
    byCategory.set(info.category, list);
  }
  const groups: ProfileGroup[] = [];
  for (const c of [...METRIC_CATEGORIES, "other" as const]) {
    const list = byCategory.get(c);
    if (!list?.length) continue;
    list.sort((x, y) => x.label.localeCompare(y.label));
    groups.push({ category: c, label: c === "other" ? "Other" : CATEGORY_LABELS[c], metrics: list });
  }

  const profileRuns: ProfileRun[] = runs.map((r) => {
    const h = stateOf(r.id);
    return {
      id: r.id,
      name: r.name || r.id.slice(0, 8),
      status: r.status,
      state: h.state,
      stateLabel: h.label,
      problems: h.problems.length ? describeProblems(h) : "",
      source: r.source,
      createdAt: r.createdAt.toISOString(),
      series: seriesKey(r.suite),
      values: Object.fromEntries(
        aggregates.filter((a) => a.runId === r.id && HEADLINE_METRICS.includes(a.metric)).map((a) => [a.metric, { value: a.value, lo: a.ciLow, hi: a.ciHigh }]),
      ),
    };
  });
  // Series, the one of the latest completed run first.
  const series: ProfileSeries[] = [];
  for (const r of [...runs].reverse()) {
    const key = seriesKey(r.suite);
    const s = series.find((x) => x.key === key);
    if (s) s.runIds.unshift(r.id);
    else series.push({ key, label: seriesLabel(r.suite), runIds: [r.id] });
  }
  const latestCompleted = [...profileRuns].reverse().find((r) => r.status === "completed");
  series.sort((a, b) => (a.key === latestCompleted?.series ? -1 : b.key === latestCompleted?.series ? 1 : 0));
  const seriesKeyShown =
    (wantedSeries && series.some((s) => s.key === wantedSeries) ? wantedSeries : null) ??
    (chosen ? seriesKey(chosen.suite) : null) ??
    latestCompleted?.series ??
    series[0]?.key ??
    null;
  return {
    run: chosen
      ? { id: chosen.id, name: chosen.name || chosen.id.slice(0, 8), createdAt: chosen.createdAt.toISOString(), stateLabel: stateOf(chosen.id).label }
      : null,
    sources: [...picked.values()].sort((a, b) => b.at.localeCompare(a.at) || a.benchmark.localeCompare(b.benchmark)),
    groups,
    runs: profileRuns,
    series,
    seriesKey: seriesKeyShown,
  };
}
