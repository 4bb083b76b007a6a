// Which metrics a comparison's figures (and, once adopted, its table and LaTeX/CSV exports) show, and in which
// order: the `metrics=` URL parameter, a comma-separated list of metric ids in the chosen order
// (`metrics=length_words,mtld,crows_pairs_metric,crows_pairs_metric@sexual-orientation`). Without it, every metric in
// the default order: by category (textual, social bias, toxicity, calibration), within a category in catalogue
// order with each metric's slices right under it (the CrowS-Pairs bias types under CrowS-Pairs, the StereoSet
// domains under their score). Pure.
import { getMetric, METRIC_CATEGORIES, METRICS } from "@/lib/metrics/catalogue";

export const METRICS_PARAM = "metrics";
const MAX_METRICS = 200;
const ID = /^[a-z0-9_]+(?:@[a-z0-9_-]+)?$/;

/**
 * The metric ids of a `metrics=` value, in order, without duplicates and without ids the catalogue does not know;
 * null when the parameter is absent or names no known metric (then every metric is shown, in the default order).
 */
export function parseMetricsParam(value: string | string[] | null | undefined): string[] | null {
  const raw = Array.isArray(value) ? value.join(",") : value;
  if (!raw) return null;
  const ids: string[] = [];
  for (const part of raw.split(",")) {
    const id = part.trim();
    if (!id || !ID.test(id) || ids.includes(id) || !getMetric(id)) continue;
    ids.push(id);
    if (ids.length >= MAX_METRICS) break;
  }
  return ids.length ? ids : null;
}

export function formatMetricsParam(ids: readonly string[]): string {
  return ids.join(",");
}

const catalogueIndex = new Map(METRICS.map((m, i) => [m.id, i]));

/** Sort key of the default order: category, then the base metric's catalogue place, then base before its slices. */
function defaultKey(id: string): [number, number, number] {
  const def = getMetric(id);
  const category = def ? METRIC_CATEGORIES.indexOf(def.category) : METRIC_CATEGORIES.length;
  const baseId = def?.baseId ?? id;
  const base = catalogueIndex.get(baseId) ?? Number.MAX_SAFE_INTEGER;
  const own = def?.baseId ? (catalogueIndex.get(id) ?? Number.MAX_SAFE_INTEGER) : -1;
  return [category < 0 ? METRIC_CATEGORIES.length : category, base, own];
}

/** Metric ids in the default order (stable for ids the catalogue does not know: they go last, as given). */
export function defaultMetricOrder(ids: readonly string[]): string[] {
  return ids
    .map((id, i) => ({ id, i, k: defaultKey(id) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((x) => x.id);
}

/**
 * The rows to show: with a selection, the selected metrics that the rows have, in the selection's order; without,
 * every row in the default order.
 */
export function selectRows<T extends { metric: string }>(rows: readonly T[], selection: readonly string[] | null): T[] {
  const byId = new Map(rows.map((r) => [r.metric, r]));
  const ids = selection ? selection.filter((id) => byId.has(id)) : defaultMetricOrder(rows.map((r) => r.metric));
  return ids.map((id) => byId.get(id)!);
}

/**
 * Rows grouped by category for figures that draw category headings: categories in the order of their first row,
 * rows in their order within each (so a chosen order is kept, and a category is never split in two).
 */
export function groupByCategory<T extends { category: string }>(rows: readonly T[]): T[] {
  const order: string[] = [];
  for (const r of rows) if (!order.includes(r.category)) order.push(r.category);
  return order.flatMap((c) => rows.filter((r) => r.category === c));
}
