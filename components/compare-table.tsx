"use client";
// The comparison table: values with CIs for every run, and per non-reference run the difference, % change, and
// the paired-bootstrap CI and permutation p-value of the difference (over samples, or over shared items for a
// benchmark-level metric), fetched in small batches. A difference is coloured better / worse only where its test
// is significant after the correction across the table (lib/compare/verdicts.ts), computed once every batch is in.
// Runs that are not fully completed are marked in the header; models of the lineage without a compared run get a
// column that says why.
import Link from "next/link";
import { describeSignificance, VERDICT_TEXT, type Significance, type Verdict } from "@/lib/compare/verdicts";
import { formatDiffOnScreen, formatPctOnScreen, formatPOnScreen, unitAfter } from "@/lib/export/format";
import { directionLabel, formatValue } from "./metric-value";
import { usePairedVerdicts } from "./paired-verdicts";
import type { AbsentMember } from "@/lib/compare/lineage";
import type { PairedStats } from "@/lib/compare/stats";
import { Isolate } from "./isolate";

export interface TableRun {
  id: string;
  label: string;
  role: string | null;
  /** completed, completed_with_failures, … */
  state: string;
  stateLabel: string;
  problems: string;
}

/** A lineage member without a column among the compared runs (lib/compare/lineage.ts says why). */
export type AbsentColumn = AbsentMember;

export interface TableRow {
  metric: string;
  label: string;
  unit: string;
  category: string;
  pairable: boolean;
  cells: ({ value: number | null; lo: number | null; hi: number | null; n: number } | null)[];
  deltas: { runId: string; diff: number | null; pct: number | null }[];
}

/**
 * Where to profile a model: the new-run form preselects only a model with an endpoint (base URL and served model
 * id), so a model without one is sent to its page to add it (or to import its generations).
 */
export function ProfileLink({ modelId, runnable }: { modelId: string; runnable: boolean }) {
  return runnable ? (
    <Link href={`/runs/new?model=${encodeURIComponent(modelId)}`}>Profile it</Link>
  ) : (
    <>
      <Link href={`/models/${encodeURIComponent(modelId)}/edit`}>Add its endpoint to profile it</Link> or{" "}
      <Link href="/runs/import">import its generations</Link>
    </>
  );
}

const COLOURED: Record<Verdict, string> = { better: "better", worse: "worse", different: "different", tie: "", not_significant: "", no_test: "" };

export function CompareTable({
  runs,
  refId,
  rows,
  pairedUrl,
  initialPaired,
  significance,
  absent = [],
  categoryLabels,
  dashboardLinks = true,
}: {
  runs: TableRun[];
  refId: string;
  rows: TableRow[];
  /** the paired statistics' address (lib/compare/endpoints.ts) */
  pairedUrl: string;
  /** paired statistics the server already had, by metric then run */
  initialPaired?: Record<string, Record<string, PairedStats>>;
  significance: Significance;
  absent?: AbsentColumn[];
  categoryLabels: Record<string, string>;
  /** links to runs and models (none on a reviewer link) */
  dashboardLinks?: boolean;
}) {
  const others = runs.filter((r) => r.id !== refId);
  const pv = usePairedVerdicts(
    pairedUrl,
    runs.map((r) => r.id),
    refId,
    rows,
    significance,
    initialPaired,
  );
  const correction = significance.correction === "none" ? "" : " (adjusted)";
  let lastCategory = "";
  return (
    <>
      <div className="table-scroll">
        <table className="data compare-table" aria-label="Comparison">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              {runs.map((r) => (
                <th scope="col" key={r.id} className="num" data-run={r.id} data-state={r.state}>
                  <Isolate>{r.label}</Isolate>
                  {r.id === refId ? <span className="badge">reference</span> : null}
                  {r.role ? <span className="muted"> {r.role}</span> : null}
                  {r.state !== "completed" ? (
                    <div className="small" data-col="run-state">
                      <span className={`badge ${r.state === "completed_with_failures" ? "warn" : "bad"}`} title={r.problems || undefined}>
                        {r.stateLabel}
                      </span>
                      {r.problems ? (
                        <div className="muted problems" style={{ fontWeight: 400 }}>
                          {r.problems}
                        </div>
                      ) : null}
                    </div>
                  ) : null}
                </th>
              ))}
              {absent.map((a) => (
                <th scope="col" key={`absent-${a.modelId}`} className="num absent" data-col="absent" data-model={a.modelId}>
                  <Isolate>{a.name}</Isolate>
                  <span className="muted"> {a.role}</span>
                  <div className="small" style={{ fontWeight: 400 }}>
                    <span className="badge warn">{a.reason}</span>{" "}
                    {!dashboardLinks ? null : a.latestRunId === null ? (
                      <ProfileLink modelId={a.modelId} runnable={a.runnable} />
                    ) : (
                      <Link href={`/runs/${a.latestRunId}`}>its latest run</Link>
                    )}
                  </div>
                </th>
              ))}
              {others.map((r) => (
                <th scope="col" key={`d-${r.id}`} className="num">
                  Δ <Isolate>{r.label}</Isolate>
                  <div className="muted" style={{ fontWeight: 400 }}>
                    difference · % change · paired 95 % CI · p{correction} · verdict
                  </div>
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
                    <th scope="rowgroup" colSpan={1 + runs.length + absent.length + others.length}>
                      {categoryLabels[row.category] ?? row.category}
                    </th>
                  </tr>,
                );
              }
              const best = pv.best(row.metric);
              out.push(
                <tr key={row.metric} data-metric={row.metric}>
                  <th scope="row">
                    {row.label}
                    {unitAfter(row.label, row.unit) ? <span className="muted"> ({unitAfter(row.label, row.unit)})</span> : null}
                    <div className="muted small">{directionLabel(row.metric) || "no direction"}</div>
                  </th>
                  {runs.map((r, j) => {
                    const c = row.cells[j];
                    return (
                      <td key={r.id} className={`num${best === r.id ? " best" : ""}`} data-run={r.id} data-col="value">
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
                  {absent.map((a) => (
                    <td key={`absent-${a.modelId}`} className="num muted" data-col="absent">
                      —
                    </td>
                  ))}
                  {others.map((r) => {
                    const d = row.deltas.find((x) => x.runId === r.id);
                    const p = row.pairable ? pv.paired(row.metric, r.id) : null;
                    const v = pv.verdict(row.metric, r.id);
                    const verdict = v?.verdict ?? null;
                    const hasValues = d?.diff !== null && d?.diff !== undefined;
                    const state = !hasValues ? "" : pv.error ? "unavailable" : !pv.done ? "pending" : (verdict ?? "");
                    return (
                      <td
                        key={`d-${r.id}`}
                        className={`num delta ${verdict && COLOURED[verdict] ? `delta-${COLOURED[verdict]}` : ""}`}
                        data-run={r.id}
                        data-col="delta"
                        data-verdict={state}
                      >
                        <span data-col="diff">{formatDiffOnScreen(d?.diff)}</span> <strong data-col="pct">{formatPctOnScreen(d?.pct)}</strong>
                        {p === null ? (
                          <div className="muted small">no per-item results: compare the CIs</div>
                        ) : p.state === "loading" ? (
                          <div className="muted small" aria-busy="true">
                            computing paired statistics…
                          </div>
                        ) : p.state === "error" ? (
                          <div className="small" role="alert">
                            paired statistics failed: {p.error}
                          </div>
                        ) : p.stats && p.stats.n > 0 ? (
                          <div className="small" data-col="paired">
                            [{formatDiffOnScreen(p.stats.lo)}, {formatDiffOnScreen(p.stats.hi)}] · p {formatPOnScreen(p.stats.pValue)}
                            {v?.pAdjusted !== null && v?.pAdjusted !== undefined && significance.correction !== "none" ? (
                              <span data-col="p-adjusted"> (adj. {formatPOnScreen(v.pAdjusted)})</span>
                            ) : null}
                            <span className="muted">
                              {" "}
                              · {p.stats.n} {p.stats.over === "items" ? "shared items" : "pairs"}
                            </span>
                          </div>
                        ) : (
                          <div className="muted small">no paired {p.stats?.over === "items" ? "items" : "samples"}</div>
                        )}
                        {!hasValues ? null : state === "pending" ? (
                          <div className="muted small" data-col="verdict">
                            verdict after every paired test
                          </div>
                        ) : state === "unavailable" ? (
                          <div className="muted small" data-col="verdict">
                            no verdict (paired statistics failed)
                          </div>
                        ) : verdict === "better" || verdict === "worse" || verdict === "different" ? (
                          <div className="small verdict" data-col="verdict">
                            {VERDICT_TEXT[verdict]}
                          </div>
                        ) : verdict ? (
                          <div className="muted small" data-col="verdict">
                            {verdict === "no_test" ? "— (no paired test)" : VERDICT_TEXT[verdict]}
                          </div>
                        ) : null}
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
      <p className="small" data-testid="significance-note">
        Verdicts: a difference is better or worse only where its paired test is significant — {describeSignificance(significance, pv.tests)}
        {pv.done ? "" : " (counted once every paired test is in)"}. Everything else reads “no significant difference” (or “—” where no test exists). Equal
        values, or equal distances to a target, within a relative 10⁻⁹ are ties.
      </p>
    </>
  );
}
