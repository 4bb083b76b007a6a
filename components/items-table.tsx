import Link from "next/link";
import type { ItemRow } from "@/lib/runs/items";
import { formatValue, metricLabel } from "./metric-value";
import { ItemDetail } from "./item-detail";

export interface ItemsTableProps {
  basePath: string;
  rows: ItemRow[];
  total: number;
  page: number;
  pageSize: number;
  params: Record<string, string | undefined>;
  metrics: string[];
}

function href(basePath: string, params: Record<string, string | undefined>, change: Record<string, string | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...change })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${basePath}?${s}#items` : `${basePath}#items`;
}

/** The items of a run with their outputs (as text, never HTML) and per-item metrics; paged on the server. */
export function ItemsTable({ basePath, rows, total, page, pageSize, params, metrics }: ItemsTableProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // The paper's headline per-sample metrics first, then whatever else the run has.
  const preferred = ["length_words", "mtld", "flesch_reading_ease", "ttr", "expected_max_toxicity"];
  const shown = [...preferred.filter((m) => metrics.includes(m)), ...metrics.filter((m) => !preferred.includes(m))].slice(0, 4);
  return (
    <section aria-labelledby="items-h" id="items">
      <h2 id="items-h">Items</h2>
      <form className="actions" method="get" action={`${basePath}#items`} aria-label="Filter items" style={{ marginBottom: "0.75rem" }}>
        <label>
          Search <input type="search" name="q" defaultValue={params.q ?? ""} placeholder="text in prompt or output" />
        </label>
        <label>
          Status{" "}
          <select name="status" defaultValue={params.status ?? ""}>
            <option value="">all</option>
            <option value="done">done</option>
            <option value="failed">failed</option>
            <option value="pending">pending</option>
          </select>
        </label>
        <label>
          Sort by{" "}
          <select name="sort" defaultValue={params.sort ?? ""}>
            <option value="">item order</option>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {metricLabel(m)}
              </option>
            ))}
          </select>
        </label>
        <select name="dir" defaultValue={params.dir ?? "desc"} aria-label="Sort direction">
          <option value="desc">descending</option>
          <option value="asc">ascending</option>
        </select>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="muted">No items match.</p>
      ) : (
        <table className="data" aria-label="Items">
          <thead>
            <tr>
              <th>Item</th>
              <th>Prompt</th>
              <th>Output</th>
              {shown.map((m) => (
                <th key={m} className="num">
                  {metricLabel(m)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="item-row">
                <td className="mono">
                  {r.itemKey}
                  {r.sampleIndex ? `#${r.sampleIndex}` : ""}
                  <br />
                  <span className={`badge ${r.status === "done" ? "good" : r.status === "failed" ? "bad" : ""}`}>{r.status}</span>
                  {r.attempts > 1 ? <span className="muted"> · {r.attempts} attempts</span> : null}
                </td>
                <td>
                  <pre className="text-output" style={{ maxHeight: "8rem", overflow: "auto" }}>{r.prompt}</pre>
                </td>
                <td>
                  {r.output !== null ? (
                    <pre className="text-output" data-testid="item-output" style={{ maxHeight: "12rem", overflow: "auto" }}>{r.output}</pre>
                  ) : null}
                  {r.error ? <p className="field-error">{r.errorKind ? `${r.errorKind}: ` : ""}{r.error}</p> : null}
                  <ItemDetail itemId={r.id} benchmark={r.benchmark} />
                </td>
                {shown.map((m) => (
                  <td key={m} className="num">
                    {formatValue(r.scores[m])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="actions" aria-label="Item pages" style={{ marginTop: "0.75rem" }}>
        <span className="muted">
          {total} item{total === 1 ? "" : "s"} · page {page} of {pages}
        </span>
        {page > 1 ? <Link href={href(basePath, params, { page: String(page - 1) })}>← Previous</Link> : null}
        {page < pages ? <Link href={href(basePath, params, { page: String(page + 1) })}>Next →</Link> : null}
      </nav>
    </section>
  );
}
