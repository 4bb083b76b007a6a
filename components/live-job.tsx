"use client";
// What a run page and a dataset page share: progress polled every second while the job is active, a refresh of
// the server-rendered parts when it stops, and the pause / resume / retry / cancel controls.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useActionState, useEffect, useRef } from "react";
import type { Notice } from "@/lib/forms";
import type { JobControl } from "@/lib/runs/job-control";

export const ACTIVE_STATUSES = new Set(["queued", "running"]);

/** The controls the action accepts (JOB_CONTROLS in lib/runs/job-control.ts). */
export type JobAction = JobControl;

interface LiveJob {
  id: string;
  status: string;
  error: string | null;
  throughput: number | null;
  etaSeconds: number | null;
}

export function formatDuration(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function useLiveJob<T extends LiveJob>(kind: "run" | "dataset", url: string, initial: T) {
  const router = useRouter();
  const client = useQueryClient();
  const { data, error } = useQuery<T>({
    queryKey: [kind, initial.id],
    queryFn: async () => {
      const res = await fetch(url, { cache: "no-store" });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ACTIVE_STATUSES.has(q.state.data.status) ? 1000 : false),
  });
  const job = data ?? initial;
  const lastStatus = useRef(job.status);
  useEffect(() => {
    if (lastStatus.current !== job.status && !ACTIVE_STATUSES.has(job.status)) router.refresh();
    lastStatus.current = job.status;
  }, [job.status, router]);
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: [kind, initial.id] });
    router.refresh();
  };
  return { job, error: error as Error | null, refresh };
}

/** Status line, controls and messages of a run or a dataset. */
export function JobHeader({
  job,
  error,
  unit,
  failed,
  failedNoun,
  cancelQuestion,
  testId,
  control,
  onChanged,
  stateLabel,
}: {
  job: LiveJob;
  error: Error | null;
  /** What the throughput counts, e.g. "items". */
  unit: string;
  failed: number;
  failedNoun: string;
  cancelQuestion: string;
  testId: string;
  /** A server action reading the hidden `id` and the pressed button's `control` (a JobAction). */
  control: (prev: Notice, form: FormData) => Promise<Notice>;
  onChanged: () => Promise<void>;
  /** How to name the state when it says more than the status ("completed with failures"). */
  stateLabel?: string;
}) {
  // A form, so that the controls work before hydration and without JavaScript.
  const [notice, action, pending] = useActionState<Notice, FormData>(control, null);
  // Once per control (a new notice), not whenever the parent passes a new callback.
  const changed = useRef(onChanged);
  changed.current = onChanged;
  useEffect(() => {
    if (notice) void changed.current();
  }, [notice]);
  const button = (value: JobAction, label: ReactNode, className?: string, confirm?: string) => (
    <button
      type="submit"
      name="control"
      value={value}
      className={className}
      disabled={pending}
      onClick={confirm ? (e) => void (!window.confirm(confirm) && e.preventDefault()) : undefined}
    >
      {label}
    </button>
  );
  const active = ACTIVE_STATUSES.has(job.status);
  return (
    <>
      <div className="page-head">
        <p style={{ margin: 0 }}>
          Status:{" "}
          <span className="badge" data-testid={`${testId}-status`}>
            {stateLabel ?? job.status}
          </span>
          {job.throughput ? (
            <span className="muted">
              {" "}
              · {job.throughput.toFixed(1)} {unit}/s
            </span>
          ) : null}
          {job.etaSeconds !== null ? <span className="muted"> · about {formatDuration(job.etaSeconds)} left</span> : null}
        </p>
        <form action={action} className="actions" aria-label="Controls">
          <input type="hidden" name="id" value={job.id} />
          {active ? button("pause", "Pause", "secondary") : null}
          {job.status === "paused" || job.status === "failed" ? button("resume", "Resume") : null}
          {failed > 0 && !active ? button("retry-failed", `Retry ${failed} failed ${failedNoun}${failed === 1 ? "" : "s"}`, "secondary") : null}
          {job.status !== "completed" && job.status !== "cancelled" ? button("cancel", "Cancel", "danger", cancelQuestion) : null}
        </form>
      </div>
      <div aria-live="polite">
        {notice ? <p className={notice.ok ? "muted" : "alert error"}>{notice.message}</p> : null}
        {error ? <div className="alert error">Progress could not be refreshed: {error.message}</div> : null}
        {job.error ? (
          <div className={`alert ${job.status === "completed" ? "" : "error"}`} role="alert" data-testid={`${testId}-error`}>
            {job.error}
          </div>
        ) : null}
      </div>
    </>
  );
}
