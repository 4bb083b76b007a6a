"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { controlDatasetAction } from "@/app/datasets/actions";
import type { DatasetProgress } from "@/lib/inheritance/datasets";

const ACTIVE = new Set(["queued", "running"]);

function fmtDuration(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Progress of a dataset per teacher, refreshed every second while it is active, with its controls. */
export function DatasetLive({ initial }: { initial: DatasetProgress }) {
  const router = useRouter();
  const client = useQueryClient();
  const { data, error } = useQuery<DatasetProgress>({
    queryKey: ["dataset", initial.id],
    queryFn: async () => {
      const res = await fetch(`/api/datasets/${initial.id}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.status) ? 1000 : false),
  });
  const ds = data ?? initial;
  // When generation stops, refresh the server-rendered parts (selection, charts, exports).
  const lastStatus = useRef(ds.status);
  useEffect(() => {
    if (lastStatus.current !== ds.status && !ACTIVE.has(ds.status)) router.refresh();
    lastStatus.current = ds.status;
  }, [ds.status, router]);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const act = (action: "pause" | "resume" | "cancel" | "retry-failed") =>
    start(async () => {
      const r = await controlDatasetAction(ds.id, action);
      setMessage(r.message);
      await client.invalidateQueries({ queryKey: ["dataset", ds.id] });
      router.refresh();
    });
  return (
    <section className="panel" aria-label="Progress">
      <div className="page-head">
        <p style={{ margin: 0 }}>
          Status: <span className="badge" data-testid="dataset-status">{ds.status}</span>
          {ds.throughput ? <span className="muted"> · {ds.throughput.toFixed(1)} candidates/s</span> : null}
          {ds.etaSeconds !== null ? <span className="muted"> · about {fmtDuration(ds.etaSeconds)} left</span> : null}
        </p>
        <div className="actions">
          {ACTIVE.has(ds.status) ? (
            <button type="button" className="secondary" disabled={pending} onClick={() => act("pause")}>
              Pause
            </button>
          ) : null}
          {ds.status === "paused" || ds.status === "failed" ? (
            <button type="button" disabled={pending} onClick={() => act("resume")}>
              Resume
            </button>
          ) : null}
          {ds.failed > 0 && !ACTIVE.has(ds.status) ? (
            <button type="button" className="secondary" disabled={pending} onClick={() => act("retry-failed")}>
              Retry {ds.failed} failed candidate{ds.failed === 1 ? "" : "s"}
            </button>
          ) : null}
          {ds.status !== "completed" && ds.status !== "cancelled" ? (
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={() => {
                if (window.confirm("Cancel this dataset? Generated candidates are kept.")) act("cancel");
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
        {ds.error ? (
          <div className={`alert ${ds.status === "completed" ? "" : "error"}`} role="alert" data-testid="dataset-error">
            {ds.error}
          </div>
        ) : null}
      </div>
      <div className="page-head" style={{ marginTop: "0.75rem" }}>
        <strong>All candidates</strong>
        <span className="muted" data-testid="dataset-progress">
          {ds.done} / {ds.total} done{ds.failed ? ` · ${ds.failed} failed` : ""}
        </span>
      </div>
      <progress max={ds.total || 1} value={ds.done + ds.failed} aria-label="Dataset progress" style={{ width: "100%" }} />
      {ds.teachers.map((t) => (
        <div key={t.teacherId} style={{ marginTop: "0.5rem" }}>
          <div className="page-head">
            <span>{t.teacher}</span>
            <span className="muted" data-testid={`teacher-progress-${t.teacher}`}>
              {t.done} / {t.total}
              {t.failed ? ` · ${t.failed} failed` : ""}
            </span>
          </div>
          <progress max={t.total || 1} value={t.done + t.failed} aria-label={`${t.teacher} progress`} style={{ width: "100%" }} />
        </div>
      ))}
      {ds.unscored !== null && ds.unscored > 0 ? (
        <p className="muted" data-testid="dataset-unscored">
          Toxicity scoring: {ds.unscored} candidate{ds.unscored === 1 ? "" : "s"} to score
        </p>
      ) : null}
      {Object.keys(ds.errorsByKind).length > 0 ? (
        <p className="muted">Errors by kind: {Object.entries(ds.errorsByKind).map(([k, n]) => `${k} ${n}`).join(" · ")}</p>
      ) : null}
    </section>
  );
}
