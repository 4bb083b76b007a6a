import Link from "next/link";
import { withQuery } from "@/lib/compare/endpoints";
import type { SideBySidePage } from "@/lib/compare/samples";
import { formatValue, metricLabel } from "./metric-value";
import { Isolate } from "./isolate";

export interface SamplesRun {
  id: string;
  label: string;
}

/** Side-by-side outputs (as text, never HTML) for the same prompt, sorted by a per-sample difference; paged on the server. */
export function CompareSamples({
  data,
  runs,
  metrics,
  baseQuery,
  params,
  page,
  exportUrl,
}: {
  data: SideBySidePage;
  runs: SamplesRun[];
  metrics: string[];
  /** what identifies the comparison in the page's address (runs and reference; nothing on a reviewer link) */
  baseQuery: Record<string, string>;
  /** the page itself (/compare or /share/<token>) and the export's address (lib/compare/endpoints.ts) */
  page: string;
  exportUrl: string;
  params: { metric: string; diff?: string; dir: string; q?: string };
}) {
  const label = (id: string) => runs.find((r) => r.id === id)?.label ?? id;
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const href = (n: number) => {
    const p = new URLSearchParams({ ...baseQuery, metric: params.metric, dir: params.dir, bench: data.benchmark ?? "all", page: String(n) });
    if (params.diff) p.set("diff", params.diff);
    if (params.q) p.set("q", params.q);
    return `${page}?${p.toString()}#samples`;
  };
  const exportQuery = (format: string) => {
    const p = new URLSearchParams({ metric: params.metric, dir: params.dir, bench: data.benchmark ?? "all", format });
    if (data.diffRunId) p.set("diff", data.diffRunId);
    return p.toString();
  };
  return (
    <section aria-labelledby="samples-h" id="samples">
      <h2 id="samples-h">Side-by-side samples</h2>
      <form className="actions" method="get" action={`${page}#samples`} aria-label="Sort samples" style={{ marginBottom: "0.75rem" }}>
        {Object.entries(baseQuery).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <label>
          Metric{" "}
          <select name="metric" defaultValue={params.metric}>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {metricLabel(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Benchmark{" "}
          <select name="bench" defaultValue={data.benchmark ?? "all"}>
            <option value="all">all benchmarks</option>
            {data.benchmarks.map((b) => (
              <option key={b.benchmark} value={b.benchmark}>
                {b.benchmark} ({b.withValues === b.items ? b.items : `${b.withValues} of ${b.items}`} with values)
              </option>
            ))}
          </select>
        </label>
        <label>
          Difference of{" "}
          <select name="diff" defaultValue={data.diffRunId ?? ""}>
            {data.runIds.slice(1).map((id) => (
              <option key={id} value={id}>
                {label(id)} − {label(data.refId)}
              </option>
            ))}
          </select>
        </label>
        <select name="dir" defaultValue={params.dir} aria-label="Sort by the difference">
          <option value="item">item order</option>
          <option value="desc">largest increase first</option>
          <option value="asc">largest decrease first</option>
        </select>
        <label>
          Prompt contains <input type="search" name="q" defaultValue={params.q ?? ""} />
        </label>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      <p className="actions">
        <a className="button secondary" href={withQuery(exportUrl, exportQuery("samples-csv"))} download>
          Samples as CSV
        </a>
        <a className="button secondary" href={withQuery(exportUrl, exportQuery("samples-json"))} download>
          Samples as JSON
        </a>
      </p>
      {data.total === 0 ? (
        <p className="muted">
          No completed items in the reference run{data.benchmark ? ` on ${data.benchmark}` : ""}
          {params.q ? " match this search" : ""}.
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data samples-table" aria-label="Side-by-side samples">
              <thead>
                <tr>
                  <th scope="col">Prompt</th>
                  {data.runIds.map((id) => (
                    <th scope="col" key={id}>
                      <Isolate>{label(id)}</Isolate>
                      {id === data.refId ? <span className="badge">reference</span> : null}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Δ {metricLabel(params.metric)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={`${r.benchmark}/${r.itemKey}/${r.sampleIndex}`} data-testid="sample-row">
                    <td>
                      <div className="muted small mono">
                        {r.benchmark} · {r.itemKey}
                        {r.sampleIndex ? ` #${r.sampleIndex}` : ""}
                      </div>
                      <div className="text-output" dir="auto">
                        {r.prompt}
                      </div>
                    </td>
                    {r.outputs.map((o, j) => (
                      <td key={data.runIds[j]} data-run={data.runIds[j]}>
                        <div className="text-output" data-testid="sample-output" dir="auto">
                          {o ?? <span className="muted">no output</span>}
                        </div>
                        <div className="muted small">
                          {metricLabel(params.metric)}: {formatValue(r.values[j])}
                        </div>
                      </td>
                    ))}
                    <td className="num" data-col="sample-diff">
                      {r.diff === null ? "—" : `${r.diff > 0 ? "+" : ""}${formatValue(r.diff)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="actions" aria-label="Sample pages" style={{ marginTop: "0.5rem" }}>
            {data.page > 1 ? <Link href={href(data.page - 1)}>← Previous</Link> : null}
            <span className="muted">
              page {data.page} of {pages} · {data.total} prompts
            </span>
            {data.page < pages ? <Link href={href(data.page + 1)}>Next →</Link> : null}
          </nav>
        </>
      )}
    </section>
  );
}
