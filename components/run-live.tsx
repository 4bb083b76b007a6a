"use client";
import { controlRunAction } from "@/app/runs/actions";
import { RUN_STATE_LABEL, runState } from "@/lib/runs/run-state";
import type { RunProgress } from "@/lib/runs/runs";
import { JobHeader, useLiveJob } from "./live-job";

type Live = RunProgress & { metrics: Record<string, number | null> };

/** Progress of a run, refreshed every second while it is active, with its controls. */
export function RunLive({ initial }: { initial: Live }) {
  const { job: run, error, refresh } = useLiveJob("run", `/api/runs/${initial.id}`, initial);
  const failed = run.benchmarks.reduce((a, b) => a + b.failed, 0);
  const problems = run.benchmarks
    .filter((b) => b.status === "failed" || b.status === "unsupported" || (b.status === "completed" && b.failed > 0))
    .map((b) => ({ benchmark: b.benchmark, status: b.status, reason: b.reason, failedItems: b.failed }));
  const state = runState(run.status, problems);
  return (
    <section className="panel" aria-label="Progress">
      <JobHeader
        job={run}
        stateLabel={RUN_STATE_LABEL[state]}
        error={error}
        unit="items"
        failed={failed}
        failedNoun="item"
        cancelQuestion="Cancel this run? Completed items are kept."
        testId="run"
        control={controlRunAction}
        onChanged={refresh}
      />
      {run.benchmarks.map((b) => {
        const pct = b.total ? Math.round((100 * (b.done + b.failed)) / b.total) : 0;
        return (
          <div key={b.benchmark} style={{ marginTop: "0.75rem" }}>
            <div className="page-head">
              <strong>{b.benchmark}</strong>
              <span className="muted" data-testid={`progress-${b.benchmark}`}>
                {b.done} / {b.total} done{b.failed ? ` · ${b.failed} failed` : ""} · {b.status}
              </span>
            </div>
            <progress max={b.total || 1} value={b.done + b.failed} aria-label={`${b.benchmark} progress`} style={{ width: "100%" }}>
              {pct}%
            </progress>
            {b.reason ? <p className="muted">{b.reason}</p> : null}
          </div>
        );
      })}
      {run.queue ? (
        <p className="muted" data-testid="run-queue">
          Queued behind {run.queue.ahead} job{run.queue.ahead === 1 ? "" : "s"}; {run.queue.active} executing now. The dashboard executes {run.queue.slots} run
          {run.queue.slots === 1 ? "" : "s"} or dataset{run.queue.slots === 1 ? "" : "s"} at once (LINEAGE_WORKER_JOBS); more workers:{" "}
          <code>npm run worker</code>.
        </p>
      ) : null}
      {run.notes.length > 0 ? (
        <div style={{ marginTop: "0.75rem" }} data-testid="run-notes">
          <strong>Notes</strong>
          <ul className="muted">
            {run.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {Object.keys(run.errorsByKind).length > 0 ? (
        <p className="muted" data-testid="errors-by-kind">
          Errors by kind:{" "}
          {Object.entries(run.errorsByKind)
            .map(([k, n]) => `${k} ${n}`)
            .join(" · ")}
        </p>
      ) : null}
    </section>
  );
}
