import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { RunsAutoRefresh } from "@/components/runs-auto-refresh";
import { getDatabase } from "@/lib/db/client";
import { listModels } from "@/lib/models/registry";
import { parseRunListParams, listRuns, runListFacets, type RunListQuery } from "@/lib/runs/run-list";
import { describeProblems, RUN_STATE_LABEL, type RunState } from "@/lib/runs/run-state";
import { formatDateTime } from "@/lib/export/format";
import { FilterSelect } from "@/components/filter-select";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Runs" };

type Search = Record<string, string | string[] | undefined>;

/** The URL of this list with some parameters changed (empty values dropped, so URLs stay short). */
function listHref(q: RunListQuery, change: Record<string, string | undefined>): string {
  const base: Record<string, string | undefined> = {
    q: q.q,
    model: q.modelId,
    suite: q.suite,
    state: q.state,
    from: q.from,
    to: q.to,
    tag: q.tag,
    sort: q.sort === "created" ? undefined : q.sort,
    dir: q.dir === "desc" ? undefined : q.dir,
    page: q.page > 1 ? String(q.page) : undefined,
  };
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...base, ...change })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `/runs?${s}` : "/runs";
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const q = parseRunListParams(await searchParams);
  const db = await getDatabase();
  const [{ total, rows: runs }, registered, facets] = await Promise.all([listRuns(db, q), listModels(db), runListFacets(db)]);
  const runnable = registered.filter((m) => m.runnable).length;
  const models = registered.length;
  const active = runs.some((r) => r.status === "queued" || r.status === "running");
  const filtered = Boolean(q.q || q.modelId || q.suite || q.state || q.from || q.to || q.tag);
  const pages = Math.max(1, Math.ceil(total / q.pageSize));
  const first = total === 0 ? 0 : (q.page - 1) * q.pageSize + 1;
  const last = Math.min(total, q.page * q.pageSize);
  // A column header sorts by it; clicking the current sort flips its direction.
  const sortLink = (key: RunListQuery["sort"], label: string) => {
    const current = q.sort === key;
    const dir = current ? (q.dir === "desc" ? "asc" : "desc") : key === "created" ? "desc" : "asc";
    return (
      <Link
        href={listHref(q, { sort: key === "created" ? undefined : key, dir: dir === "desc" ? undefined : dir, page: undefined })}
        aria-label={`Sort by ${label.toLowerCase()}`}
      >
        {label}
        {current ? (q.dir === "desc" ? " ▼" : " ▲") : ""}
      </Link>
    );
  };
  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
        <IfRole need="editor">
          <div className="actions">
            {models > 0 ? (
              <Link className="button secondary" href="/runs/import">
                Import generations
              </Link>
            ) : null}
            {runnable > 0 ? (
              <Link className="button" href="/runs/new">
                New run
              </Link>
            ) : null}
          </div>
        </IfRole>
      </div>
      {active ? <RunsAutoRefresh /> : null}
      {total === 0 && !filtered ? (
        <EmptyState
          title="No runs yet"
          action={
            runnable === 0 ? (
              <Link className="button" href="/models">
                Register a model
              </Link>
            ) : (
              <Link className="button" href="/runs/new">
                Profile a model
              </Link>
            )
          }
        >
          A run profiles one model with a suite of benchmarks.{" "}
          {runnable === 0
            ? "First register a model with an OpenAI-compatible endpoint (base URL and served model id)."
            : "Start one here or with `npx lineage profile`, or import generations you already have."}
        </EmptyState>
      ) : (
        <>
          <form className="actions" method="get" action="/runs" aria-label="Filter runs" style={{ marginBottom: "0.75rem", flexWrap: "wrap" }}>
            <label>
              Search <input type="search" name="q" defaultValue={q.q ?? ""} placeholder="run or model name" />
            </label>
            <FilterSelect label="Model" name="model" value={q.modelId} options={registered.map((m) => [m.id, m.name] as const)} />
            <FilterSelect label="Suite" name="suite" value={q.suite} options={facets.suites} />
            <FilterSelect
              label="State"
              name="state"
              value={q.state}
              options={(Object.keys(RUN_STATE_LABEL) as RunState[]).map((s) => [s, RUN_STATE_LABEL[s]] as const)}
            />
            <FilterSelect label="Tag" name="tag" value={q.tag} options={facets.tags} />
            <label>
              From <input type="date" name="from" defaultValue={q.from ?? ""} />
            </label>
            <label>
              To <input type="date" name="to" defaultValue={q.to ?? ""} />
            </label>
            <label>
              Sort by{" "}
              <select name="sort" defaultValue={q.sort}>
                <option value="created">created</option>
                <option value="model">model</option>
                <option value="status">status</option>
              </select>
            </label>
            <select name="dir" defaultValue={q.dir} aria-label="Sort direction">
              <option value="desc">descending</option>
              <option value="asc">ascending</option>
            </select>
            <button type="submit" className="secondary">
              Apply
            </button>
            {filtered ? <Link href="/runs">Clear filters</Link> : null}
          </form>
          <p className="muted" data-testid="runs-count">
            {total === 0 ? "No runs match these filters." : `${first}–${last} of ${total} run${total === 1 ? "" : "s"}`}
          </p>
          {runs.length > 0 ? (
            <table className="data" aria-label="Runs">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>{sortLink("model", "Model")}</th>
                  <th>Suite</th>
                  <th>{sortLink("status", "Status")}</th>
                  <th className="num">Items</th>
                  <th>{sortLink("created", "Created")}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => {
                  const c = r.items;
                  const h = r.health;
                  return (
                    <tr key={r.id} data-testid="run-row">
                      <td>
                        <Link href={`/runs/${r.id}`}>
                          <Isolate>{r.name || r.id}</Isolate>
                        </Link>
                        {r.source !== "profile" ? <span className="muted"> · imported</span> : null}
                        {r.tags.length ? (
                          <div>
                            {r.tags.map((t) => (
                              <Link key={t} className="badge" href={listHref(q, { tag: t, page: undefined })} data-testid="run-tag">
                                <Isolate>{t}</Isolate>
                              </Link>
                            ))}
                          </div>
                        ) : null}
                        {r.comment ? (
                          <div className="muted small" dir="auto">
                            {r.comment}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <Link href={`/models/${r.model.id}`}>
                          <Isolate>{r.model.name}</Isolate>
                        </Link>
                      </td>
                      <td>{r.suite || "—"}</td>
                      <td>
                        <span className="badge" data-state={h?.state}>
                          {h?.label ?? r.status}
                        </span>
                        {h?.problems.length ? <div className="muted small">{describeProblems(h)}</div> : null}
                        {r.status === "failed" && r.error ? <div className="muted small">{r.error}</div> : null}
                      </td>
                      <td className="num" data-testid="run-items">
                        {c ? (
                          <>
                            {c.done + c.failed < c.total ? (
                              <progress max={c.total || 1} value={c.done + c.failed} aria-label={`progress of ${r.name}`} />
                            ) : null}{" "}
                            {c.done + c.failed < c.total ? `${c.done}/${c.total}` : c.total}
                            {c.failed ? <div className="muted small">{c.failed} failed</div> : null}
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>{formatDateTime(r.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
          {pages > 1 ? (
            <nav className="actions" aria-label="Run pages" style={{ marginTop: "0.75rem" }}>
              <span className="muted">
                page {q.page} of {pages}
              </span>
              {q.page > 1 ? <Link href={listHref(q, { page: q.page - 1 > 1 ? String(q.page - 1) : undefined })}>← Previous</Link> : null}
              {q.page < pages ? <Link href={listHref(q, { page: String(q.page + 1) })}>Next →</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
