import Link from "next/link";
import { CustomMetrics } from "@/components/custom-metrics";
import { EmptyState } from "@/components/empty-state";
import { getDatabase } from "@/lib/db/client";
import { formatDate, formatValueCi } from "@/lib/export/format";
import { CATEGORIES, CATEGORY_LABEL, leaderboard, leaderboardPage, leaderboardParams } from "@/lib/leaderboard";
import { getMetric } from "@/lib/metrics/catalogue";
import { listDerivations } from "@/lib/models/lineage";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Leaderboard" };

const BETTER: Record<string, string> = { higher: "higher is better", lower: "lower is better", neutral: "no better direction" };

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = leaderboardParams.parse(await searchParams);
  const db = await getDatabase();
  const [board, derivations] = await Promise.all([leaderboard(db, params), listDerivations(db.prisma)]);
  const query = (over: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({
      category: board.params.category,
      sort: board.params.sort,
      dir: board.params.dir,
      lineage: board.params.lineage,
      page: board.params.page > 1 ? String(board.params.page) : undefined,
      ...over,
    }))
      if (v) q.set(k, v);
    return q.toString();
  };
  const { rows: shown, page, pages, first } = leaderboardPage(board);
  return (
    <>
      <CustomMetrics defs={board.customMetrics} />
      <div className="page-head">
        <h1>Leaderboard</h1>
        <div className="actions">
          <a className="button secondary" href={`/api/leaderboard/export?${query({ format: "csv", page: undefined })}`}>
            CSV
          </a>
          <a className="button secondary" href={`/api/leaderboard/export?${query({ format: "latex", page: undefined })}`}>
            LaTeX
          </a>
        </div>
      </div>
      <form method="get" className="actions" aria-label="Leaderboard view">
        <label htmlFor="f-category">Category</label>
        <select id="f-category" name="category" defaultValue={board.params.category}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABEL[c]}
            </option>
          ))}
        </select>
        <label htmlFor="f-lineage">Lineage</label>
        <select id="f-lineage" name="lineage" defaultValue={board.params.lineage ?? ""}>
          <option value="">all models</option>
          {derivations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.student.name} and its parents
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          Show
        </button>
      </form>
      {board.rows.length === 0 ? (
        <EmptyState
          title="No completed results in this category"
          action={
            <Link className="button" href="/runs/new">
              Profile a model
            </Link>
          }
        >
          The leaderboard shows each model&apos;s latest completed result per metric.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data" aria-label="Leaderboard">
            <thead>
              <tr>
                <th scope="col">Model</th>
                {board.metrics.map((m) => {
                  const def = getMetric(m);
                  const sorted = board.params.sort === m;
                  const nextDir = sorted && board.params.dir === "best" ? "worst" : "best";
                  return (
                    <th key={m} scope="col" className="num" aria-sort={sorted ? (board.params.dir === "best" ? "descending" : "ascending") : undefined}>
                      <Link
                        href={`/leaderboard?${query({ sort: m, dir: nextDir, page: undefined })}`}
                        title={`${def?.label ?? m}: ${def ? (BETTER[def.better] ?? `closest to ${def.better.slice(7)} is best`) : ""}. Sort ${nextDir} first.`}
                      >
                        {def?.shortLabel ?? def?.label ?? m}
                        {sorted ? (board.params.dir === "best" ? " ▼" : " ▲") : ""}
                      </Link>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.model.id}>
                  <th scope="row">
                    <Link href={`/models/${r.model.id}`}>
                      <Isolate>{r.model.name}</Isolate>
                    </Link>
                    {r.model.size ? <span className="muted"> · {r.model.size}</span> : null}
                  </th>
                  {board.metrics.map((m) => {
                    const c = r.cells[m];
                    if (!c || c.value === null)
                      return (
                        <td key={m} className="num muted">
                          —
                        </td>
                      );
                    const best = board.best[m]?.includes(r.model.id);
                    const text = formatValueCi(c.value, c.ciLow, c.ciHigh);
                    // A plain link: thousands of next/link cells would each be a client component (and a prefetch).
                    return (
                      <td key={m} className="num" {...(best ? { "data-best": "true" } : {})}>
                        <a href={`/runs/${c.runId}`} title={`n = ${c.n} · run ${c.runId}${c.finishedAt ? ` · ${formatDate(c.finishedAt)}` : ""}`}>
                          {best ? <strong>{text}</strong> : text}
                        </a>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="actions" aria-label="Leaderboard pages" style={{ marginTop: "0.75rem" }}>
          <span className="muted">
            models {first}–{first + shown.length - 1} of {board.rows.length}, page {page} of {pages}
          </span>
          {page > 1 ? <Link href={`/leaderboard?${query({ page: page - 1 > 1 ? String(page - 1) : undefined })}`}>← Previous</Link> : null}
          {page < pages ? <Link href={`/leaderboard?${query({ page: String(page + 1) })}`}>Next →</Link> : null}
        </nav>
      ) : null}
      <p className="muted">
        Each cell is the model&apos;s latest completed result for that metric, ± half its 95 % bootstrap interval (hover for n and the run). Bold: the best
        value of the column in the metric&apos;s better direction; metrics with no better direction (length, readability) mark none.
        {board.lineageName ? (
          <>
            {" "}
            Showing <Isolate>{board.lineageName}</Isolate> and its parents.
          </>
        ) : null}
      </p>
    </>
  );
}
