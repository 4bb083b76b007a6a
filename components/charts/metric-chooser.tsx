"use client";
// Which metrics the figures show and in which order, kept in the URL (`metrics=id,id,…`, lib/export/metric-selection):
// check or uncheck a metric, move a checked one up or down, or go back to every metric in the default order.
import { useMemo } from "react";
import { defaultMetricOrder, formatMetricsParam, METRICS_PARAM } from "@/lib/export/metric-selection";
import { CATEGORY_NAMES } from "@/lib/figures/data";

export interface ChooserMetric {
  metric: string;
  label: string;
  category: string;
}

export function MetricChooser({
  metrics,
  selection,
  onChange,
}: {
  metrics: ChooserMetric[];
  selection: string[] | null;
  onChange: (ids: string[] | null) => void;
}) {
  const ordered = useMemo(() => defaultMetricOrder(metrics.map((m) => m.metric)), [metrics]);
  const byId = new Map(metrics.map((m) => [m.metric, m]));
  const chosen = (selection ?? ordered).filter((id) => byId.has(id));
  const rest = ordered.filter((id) => !chosen.includes(id));
  const set = (ids: string[]) => onChange(ids.length === ordered.length && ids.every((id, k) => id === ordered[k]) ? null : ids);
  const move = (id: string, by: number) => {
    const ids = [...chosen];
    const at = ids.indexOf(id);
    const to = at + by;
    if (at < 0 || to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    set(ids);
  };
  return (
    <details className="panel metric-chooser" data-testid="metric-chooser">
      <summary>
        Metrics in the figures: {chosen.length} of {ordered.length}
        {selection ? " (chosen)" : " (all, default order)"}
      </summary>
      <p className="muted small">
        Kept in the address (<code>{METRICS_PARAM}=</code>), so a link reproduces the figures. The heatmap groups the chosen metrics by category, in the order
        of their first metric.
      </p>
      <ol className="chosen-metrics" aria-label="Chosen metrics, in order">
        {chosen.map((id, k) => (
          <li key={id}>
            <label>
              <input type="checkbox" checked disabled={chosen.length === 1} onChange={() => set(chosen.filter((x) => x !== id))} /> {byId.get(id)!.label}{" "}
              <span className="muted small">{CATEGORY_NAMES[byId.get(id)!.category] ?? byId.get(id)!.category}</span>
            </label>{" "}
            <button type="button" className="secondary small" aria-label={`Move ${byId.get(id)!.label} up`} disabled={k === 0} onClick={() => move(id, -1)}>
              ↑
            </button>{" "}
            <button
              type="button"
              className="secondary small"
              aria-label={`Move ${byId.get(id)!.label} down`}
              disabled={k === chosen.length - 1}
              onClick={() => move(id, 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      {rest.length ? (
        <fieldset>
          <legend>Not shown</legend>
          {rest.map((id) => (
            <label key={id} className="choose-run">
              <input type="checkbox" checked={false} onChange={() => set([...chosen, id])} /> {byId.get(id)!.label}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => onChange(null)} disabled={!selection}>
          All metrics, default order
        </button>
      </div>
    </details>
  );
}

export function metricsParamValue(ids: string[] | null): string | null {
  return ids?.length ? formatMetricsParam(ids) : null;
}
