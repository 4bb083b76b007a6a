import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { RunsAutoRefresh } from "@/components/runs-auto-refresh";
import { getDatabase } from "@/lib/db/client";
import { listModels } from "@/lib/models/registry";
import { describeProblems, runHealth } from "@/lib/runs/run-state";
import { listRecentRuns } from "@/lib/runs/runs";
import { formatDateTime } from "@/lib/export/format";

export const metadata = { title: "Runs" };

export default async function RunsPage() {
  const db = await getDatabase();
  const [runs, registered] = await Promise.all([listRecentRuns(db), listModels(db)]);
  const runnable = registered.filter((m) => m.runnable).length;
  const models = registered.length;
  const health = await runHealth(db, runs.map((r) => r.id));
  const active = runs.some((r) => r.status === "queued" || r.status === "running");
  return (
    <>
      <div className="page-head">
        <h1>Runs</h1>
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
      </div>
      {active ? <RunsAutoRefresh /> : null}
      {runs.length === 0 ? (
        <EmptyState
          title="No runs yet"
          action={runnable === 0 ? <Link className="button" href="/models">Register a model</Link> : <Link className="button" href="/runs/new">Profile a model</Link>}
        >
          A run profiles one model with a suite of benchmarks.{" "}
          {runnable === 0
            ? "First register a model with an OpenAI-compatible endpoint (base URL and served model id)."
            : "Start one here or with `npx lineage profile`, or import generations you already have."}
        </EmptyState>
      ) : (
        <table className="data" aria-label="Runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Model</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const c = r.items;
              return (
                <tr key={r.id}>
                  <td>
                    <Link href={`/runs/${r.id}`}>{r.name || r.id}</Link>
                    {r.source !== "profile" ? <span className="muted"> · imported</span> : null}
                  </td>
                  <td>
                    <Link href={`/models/${r.model.id}`}>{r.model.name}</Link>
                  </td>
                  <td>
                    <span className="badge" data-state={health.get(r.id)?.state}>
                      {health.get(r.id)?.label ?? r.status}
                    </span>
                    {health.get(r.id)?.problems.length ? <div className="muted small">{describeProblems(health.get(r.id)!)}</div> : null}
                    {r.status === "failed" && r.error ? <div className="muted small">{r.error}</div> : null}
                  </td>
                  <td>
                    {c ? (
                      <>
                        <progress max={c.total || 1} value={c.done + c.failed} aria-label={`progress of ${r.name}`} /> {c.done}/{c.total}
                        {c.failed ? <span className="muted"> · {c.failed} failed</span> : null}
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
      )}
    </>
  );
}
