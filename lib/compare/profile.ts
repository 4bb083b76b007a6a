// A model's profile: every metric of its latest (or a chosen) completed run grouped by category, and its runs
// over time with their headline metrics — all from stored aggregates.
import type { Database } from "@/lib/db/client";
import { CATEGORY_LABELS, METRIC_CATEGORIES, type MetricCategory } from "@/lib/metrics/catalogue";
import { describeMetric } from "./table";

export interface ProfileMetric {
  metric: string;
  label: string;
  unit: string;
  better: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
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
  source: string;
  createdAt: string;
  /** headline metric values, null when the run lacks them */
  values: Record<string, { value: number | null; lo: number | null; hi: number | null }>;
}

export interface ModelProfile {
  run: { id: string; name: string; createdAt: string } | null;
  groups: ProfileGroup[];
  runs: ProfileRun[];
}

/** The paper's headline metrics, shown for every run over time. */
export const HEADLINE_METRICS = ["length_words", "mtld", "flesch_reading_ease", "expected_max_toxicity", "stereoset_ss", "hellaswag_ece_10"];

export async function modelProfile(db: Database, modelId: string, runId?: string): Promise<ModelProfile> {
  const runs = await db.prisma.run.findMany({ where: { modelId }, orderBy: { createdAt: "asc" }, take: 200 });
  const completed = runs.filter((r) => r.status === "completed");
  const chosen = (runId ? runs.find((r) => r.id === runId) : undefined) ?? completed[completed.length - 1] ?? null;
  const aggregates = runs.length
    ? await db.prisma.aggregate.findMany({ where: { runId: { in: runs.map((r) => r.id) } } })
    : [];
  const groups: ProfileGroup[] = [];
  if (chosen) {
    const own = aggregates.filter((a) => a.runId === chosen.id);
    const byCategory = new Map<string, ProfileMetric[]>();
    for (const a of own) {
      const info = describeMetric(a.metric);
      const list = byCategory.get(info.category) ?? [];
      list.push({ metric: a.metric, label: info.label, unit: info.unit, better: info.better, value: a.value, lo: a.ciLow, hi: a.ciHigh, n: a.n });
      byCategory.set(info.category, list);
    }
    for (const c of [...METRIC_CATEGORIES, "other" as const]) {
      const list = byCategory.get(c);
      if (!list?.length) continue;
      list.sort((x, y) => x.label.localeCompare(y.label));
      groups.push({ category: c, label: c === "other" ? "Other" : CATEGORY_LABELS[c], metrics: list });
    }
  }
  return {
    run: chosen ? { id: chosen.id, name: chosen.name || chosen.id.slice(0, 8), createdAt: chosen.createdAt.toISOString() } : null,
    groups,
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name || r.id.slice(0, 8),
      status: r.status,
      source: r.source,
      createdAt: r.createdAt.toISOString(),
      values: Object.fromEntries(
        aggregates.filter((a) => a.runId === r.id && HEADLINE_METRICS.includes(a.metric)).map((a) => [a.metric, { value: a.value, lo: a.ciLow, hi: a.ciHigh }]),
      ),
    })),
  };
}
