"use client";
import { controlRunAction } from "@/app/runs/actions";
import type { RunProgress } from "@/lib/runs/runs";
import { JobHeader, useLiveJob } from "./live-job";

type Live = RunProgress & { metrics: Record<string, number | null> };

/** Progress of a run, refreshed every second while it is active, with its controls. */
export function RunLive({ initial }: { initial: Live }) {
  const { job: run, error, refresh } = useLiveJob("run", `/api/runs/${initial.id}`, initial);
  const failed = run.benchmarks.reduce((a, b) => a + b.failed, 0);
  return (
    <section className="panel" aria-label="Progress">
      <JobHeader
        job={run}
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
      {Object.keys(run.errorsByKind).length > 0 ? (
        <p className="muted" data-testid="errors-by-kind">
          Errors by kind: {Object.entries(run.errorsByKind).map(([k, n]) => `${k} ${n}`).join(" · ")}
        </p>
      ) : null}
    </section>
  );
}
