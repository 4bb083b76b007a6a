"use client";
import { controlDatasetAction } from "@/app/datasets/actions";
import type { DatasetProgress } from "@/lib/inheritance/datasets";
import { JobHeader, useLiveJob } from "./live-job";

/** Progress of a dataset per teacher, refreshed every second while it is active, with its controls. */
export function DatasetLive({ initial }: { initial: DatasetProgress }) {
  const { job: ds, error, refresh } = useLiveJob("dataset", `/api/datasets/${initial.id}`, initial);
  return (
    <section className="panel" aria-label="Progress">
      <JobHeader
        job={ds}
        error={error}
        unit="candidates"
        failed={ds.failed}
        failedNoun="candidate"
        cancelQuestion="Cancel this dataset? Generated candidates are kept."
        testId="dataset"
        control={controlDatasetAction}
        onChanged={refresh}
      />
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
        <p className="muted">
          Errors by kind:{" "}
          {Object.entries(ds.errorsByKind)
            .map(([k, n]) => `${k} ${n}`)
            .join(" · ")}
        </p>
      ) : null}
    </section>
  );
}
