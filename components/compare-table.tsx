"use client";
// The comparison table: values with CIs for every run, and per non-reference run the difference, % change
// (coloured by whether the change is for the better given the metric's direction), and the paired-bootstrap CI and
// permutation p-value of the difference (over samples, or over shared items for a benchmark-level metric), fetched
// in small batches.
import { useQueries } from "@tanstack/react-query";
import type { PairedStats } from "@/lib/compare/stats";
import { directionLabel, formatValue } from "./metric-value";

export interface TableRun {
  id: string;
  label: string;
  role: string | null;
}

export interface TableRow {
  metric: string;
  label: string;
  unit: string;
  category: string;
  pairable: boolean;
  cells: ({ value: number | null; lo: number | null; hi: number | null; n: number } | null)[];
  deltas: { runId: string; diff: number | null; pct: number | null; verdict: string | null }[];
  bestRunId: string | null;
}

const BATCH = 4;

function pct(p: number | null): string {
  if (p === null) return "—";
  const s = Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1);
  return `${p > 0 ? "+" : p < 0 ? "−" : ""}${s.replace("-", "")} %`;
}

function signed(v: number | null): string {
  if (v === null) return "—";
  return `${v > 0 ? "+" : v < 0 ? "−" : ""}${formatValue(Math.abs(v))}`;
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

const VERDICT_TEXT: Record<string, string> = { better: "better", worse: "worse", same: "same", neutral: "neutral metric" };

export function CompareTable({ runs, refId, rows, query, categoryLabels }: { runs: TableRun[]; refId: string; rows: TableRow[]; query: string; categoryLabels: Record<string, string> }) {
  const others = runs.filter((r) => r.id !== refId);
  const pairable = rows.filter((r) => r.pairable).map((r) => r.metric);
  const batches: string[][] = [];
  for (let i = 0; i < pairable.length; i += BATCH) batches.push(pairable.slice(i, i + BATCH));
  const results = useQueries({
    queries: batches.map((metrics) => ({
      queryKey: ["paired", query, metrics],
      staleTime: Infinity,
      queryFn: async (): Promise<Record<string, Record<string, PairedStats>>> => {
        const res = await fetch(`/api/compare/paired?${query}&metrics=${metrics.map(encodeURIComponent).join(",")}`);
        if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
        return res.json();
      },
    })),
  });
  const paired = (metric: string, runId: string): { state: "loading" | "error" | "ok"; stats?: PairedStats; error?: string } => {
    const b = batches.findIndex((x) => x.includes(metric));
    if (b < 0) return { state: "ok" };
    const q = results[b];
    if (q.isError) return { state: "error", error: (q.error as Error).message };
    if (!q.data) return { state: "loading" };
    return { state: "ok", stats: q.data[metric]?.[runId] };
  };
  let lastCategory = "";
  return (
    <div className="table-scroll">
      <table className="data compare-table" aria-label="Comparison">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {runs.map((r) => (
              <th scope="col" key={r.id} className="num">
                {r.label}
                {r.id === refId ? <span className="badge">reference</span> : null}
                {r.role ? <span className="muted"> {r.role}</span> : null}
              </th>
            ))}
            {others.map((r) => (
              <th scope="col" key={`d-${r.id}`} className="num">
                Δ {r.label}
                <div className="muted" style={{ fontWeight: 400 }}>difference · % change · paired 95 % CI · p</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((row) => {
            const out = [];
            if (row.category !== lastCategory) {
              lastCategory = row.category;
              out.push(
                <tr key={`cat-${row.category}`} className="category-row">
                  <th scope="rowgroup" colSpan={1 + runs.length + others.length}>
                    {categoryLabels[row.category] ?? row.category}
                  </th>
                </tr>,
              );
            }
            out.push(
              <tr key={row.metric} data-metric={row.metric}>
                <th scope="row">
                  {row.label}
                  {row.unit && !row.label.includes(`(${row.unit})`) ? <span className="muted"> ({row.unit})</span> : null}
                  <div className="muted small">{directionLabel(row.metric) || "no direction"}</div>
                </th>
                {runs.map((r, j) => {
                  const c = row.cells[j];
                  return (
                    <td key={r.id} className={`num${row.bestRunId === r.id ? " best" : ""}`} data-run={r.id} data-col="value">
                      {c ? (
                        <>
                          {formatValue(c.value)}
                          {c.lo !== null && c.hi !== null ? <span className="muted small"> ± {formatValue((c.hi - c.lo) / 2)}</span> : null}
                          <div className="muted small">n = {c.n}</div>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  );
                })}
                {others.map((r) => {
                  const d = row.deltas.find((x) => x.runId === r.id);
                  const p = row.pairable ? paired(row.metric, r.id) : null;
                  const verdict = d?.verdict ?? null;
                  return (
                    <td key={`d-${r.id}`} className={`num delta ${verdict ? `delta-${verdict}` : ""}`} data-run={r.id} data-col="delta" data-verdict={verdict ?? ""}>
                      <span data-col="diff">{signed(d?.diff ?? null)}</span>{" "}
                      <strong data-col="pct">{pct(d?.pct ?? null)}</strong>
                      {verdict ? <div className="small verdict">{VERDICT_TEXT[verdict]}</div> : null}
                      {p === null ? (
                        <div className="muted small">no per-item results: compare the CIs</div>
                      ) : p.state === "loading" ? (
                        <div className="muted small" aria-busy="true">computing paired statistics…</div>
                      ) : p.state === "error" ? (
                        <div className="small" role="alert">paired statistics failed: {p.error}</div>
                      ) : p.stats && p.stats.n > 0 ? (
                        <div className="small" data-col="paired">
                          [{signed(p.stats.lo)}, {signed(p.stats.hi)}] · p {formatPValue(p.stats.pValue)}
                          {p.stats.pValue !== null && p.stats.pValue < 0.05 ? <span className="badge sig">significant</span> : null}
                          <span className="muted"> · {p.stats.n} {p.stats.over === "items" ? "shared items" : "pairs"}</span>
                        </div>
                      ) : (
                        <div className="muted small">no paired {p.stats?.over === "items" ? "items" : "samples"}</div>
                      )}
                    </td>
                  );
                })}
              </tr>,
            );
            return out;
          })}
        </tbody>
      </table>
    </div>
  );
}
