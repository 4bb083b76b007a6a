"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { controlRunAction } from "@/app/runs/actions";
import type { RunProgress } from "@/lib/runs/runs";

type Live = RunProgress & { metrics: Record<string, number | null> };

const ACTIVE = new Set(["queued", "running"]);

function fmtDuration(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Progress of a run, refreshed every second while it is active, with its controls. */
export function RunLive({ initial }: { initial: Live }) {
  const router = useRouter();
  const client = useQueryClient();
  const { data, error } = useQuery<Live>({
    queryKey: ["run", initial.id],
    queryFn: async () => {
      const res = await fetch(`/api/runs/${initial.id}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.status) ? 1000 : false),
  });
  const run = data ?? initial;
  // When the run stops, refresh the server-rendered parts (results, items).
  const lastStatus = useRef(run.status);
  useEffect(() => {
    if (lastStatus.current !== run.status && !ACTIVE.has(run.status)) router.refresh();
    lastStatus.current = run.status;
  }, [run.status, router]);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const act = (action: "pause" | "resume" | "cancel" | "retry-failed") =>
    start(async () => {
      const r = await controlRunAction(run.id, action);
      setMessage(r.message);
      await client.invalidateQueries({ queryKey: ["run", run.id] });
      router.refresh();
    });
  const failed = run.benchmarks.reduce((a, b) => a + b.failed, 0);
  return (
    <section className="panel" aria-label="Progress">
      <div className="page-head">
        <p style={{ margin: 0 }}>
          Status: <span className="badge" data-testid="run-status">{run.status}</span>
          {run.throughput ? <span className="muted"> · {run.throughput.toFixed(1)} items/s</span> : null}
          {run.etaSeconds !== null ? <span className="muted"> · about {fmtDuration(run.etaSeconds)} left</span> : null}
        </p>
        <div className="actions">
          {ACTIVE.has(run.status) ? (
            <button type="button" className="secondary" disabled={pending} onClick={() => act("pause")}>
              Pause
            </button>
          ) : null}
          {run.status === "paused" || run.status === "failed" ? (
            <button type="button" disabled={pending} onClick={() => act("resume")}>
              Resume
            </button>
          ) : null}
          {failed > 0 && !ACTIVE.has(run.status) ? (
            <button type="button" className="secondary" disabled={pending} onClick={() => act("retry-failed")}>
              Retry {failed} failed item{failed === 1 ? "" : "s"}
            </button>
          ) : null}
          {run.status !== "completed" && run.status !== "cancelled" ? (
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={() => {
                if (window.confirm("Cancel this run? Completed items are kept.")) act("cancel");
              }}
            >
              Cancel
            </button>
          ) : null}
        </div>
      </div>
      <div aria-live="polite">
        {message ? <p className="muted">{message}</p> : null}
        {error ? <div className="alert error">Progress could not be refreshed: {(error as Error).message}</div> : null}
        {run.error ? (
          <div className="alert error" role="alert" data-testid="run-error">
            {run.error}
          </div>
        ) : null}
      </div>
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
