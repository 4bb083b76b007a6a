import Link from "next/link";
import type { ModelProfile } from "@/lib/compare/profile";
import { HEADLINE_METRICS } from "@/lib/compare/profile";
import { getMetric } from "@/lib/metrics/catalogue";
import { RunsOverTime } from "./charts/runs-over-time";
import { directionLabel, formatValue } from "./metric-value";
import { formatDateTime, unitAfter, withUnit } from "@/lib/export/format";
import { Isolate } from "./isolate";

/**
 * Per benchmark the latest completed result across the model's runs (or every metric of a chosen run), grouped by
 * category, each saying which run and when it comes from; and the runs over time of one series (same suite steps
 * and item set).
 */
export function ModelProfileView({
  modelId,
  profile,
  compareWith,
}: {
  modelId: string;
  profile: ModelProfile;
  compareWith: { href: string; label: string }[];
}) {
  const completed = profile.runs.filter((r) => r.status === "completed");
  const runsFrom = [...new Set(profile.sources.map((s) => s.runId))];
  const seriesRuns = profile.runs.filter((r) => r.series === profile.seriesKey);
  const shownSeries = profile.series.find((s) => s.key === profile.seriesKey);
  const otherSeries = profile.series.filter((s) => s.key !== profile.seriesKey);
  return (
    <>
      <section aria-labelledby="profile-h">
        <div className="page-head">
          <h2 id="profile-h">Profile</h2>
          {completed.length > 1 ? (
            <form method="get" action={`/models/${modelId}#profile-h`} className="actions" aria-label="Choose the profiled run">
              <label>
                Results{" "}
                <select name="run" defaultValue={profile.run?.id ?? ""}>
                  <option value="">latest result of each benchmark</option>
                  {[...completed].reverse().map((r) => (
                    <option key={r.id} value={r.id}>
                      run {r.name} · {formatDateTime(r.createdAt)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="secondary">
                Show
              </button>
            </form>
          ) : null}
        </div>
        {compareWith.length ? (
          <p className="muted" data-testid="compare-with">
            Compare its lineage:{" "}
            {compareWith.map((c, i) => (
              <span key={c.href}>
                {i ? ", " : ""}
                <Link href={c.href}>
                  <Isolate>{c.label}</Isolate>
                </Link>
              </span>
            ))}
            .
          </p>
        ) : null}
        {profile.sources.length === 0 ? (
          profile.run ? (
            <p className="muted">
              Run{" "}
              <Link href={`/runs/${profile.run.id}`}>
                <Isolate>{profile.run.name}</Isolate>
              </Link>{" "}
              has no results yet.
            </p>
          ) : (
            <p className="muted">No completed run yet: profile this model or import its generations to see its metrics here.</p>
          )
        ) : (
          <>
            <p className="muted" data-testid="profile-sources">
              {profile.run ? (
                <>
                  Every result of run{" "}
                  <Link href={`/runs/${profile.run.id}`}>
                    <Isolate>{profile.run.name}</Isolate>
                  </Link>{" "}
                  ({formatDateTime(profile.run.createdAt)} UTC, {profile.run.stateLabel}).
                </>
              ) : (
                <>
                  The latest completed result of each benchmark{runsFrom.length > 1 ? `, from ${runsFrom.length} runs` : ""}:{" "}
                  {profile.sources.map((s, i) => (
                    <span key={s.benchmark} data-benchmark={s.benchmark}>
                      {i ? "; " : ""}
                      {s.benchmark} from{" "}
                      <Link href={`/runs/${s.runId}`}>
                        <Isolate>{s.runName}</Isolate>
                      </Link>{" "}
                      ({formatDateTime(s.at)} UTC
                      {s.failedItems ? `, ${s.failedItems} item(s) failed` : ""})
                    </span>
                  ))}
                  .
                </>
              )}
            </p>
            <table className="data" aria-label="Profile">
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col" className="num">
                    95 % CI
                  </th>
                  <th scope="col" className="num">
                    n
                  </th>
                  <th scope="col">Better</th>
                  <th scope="col">From run</th>
                </tr>
              </thead>
              {profile.groups.map((g) => (
                <tbody key={g.category} className="profile-group">
                  <tr className="category-row">
                    <th scope="rowgroup" colSpan={6}>
                      {g.label}
                    </th>
                  </tr>
                  {g.metrics.map((m) => (
                    <tr key={m.metric} data-metric={m.metric}>
                      <th scope="row" style={{ fontWeight: 500 }}>
                        {m.label}
                        {unitAfter(m.label, m.unit) ? <span className="muted"> ({unitAfter(m.label, m.unit)})</span> : null}
                      </th>
                      <td className="num">{formatValue(m.value)}</td>
                      <td className="num">{m.lo !== null && m.hi !== null ? `${formatValue(m.lo)} – ${formatValue(m.hi)}` : "—"}</td>
                      <td className="num">{m.n}</td>
                      <td className="muted">{directionLabel(m.metric) || "—"}</td>
                      <td className="small" data-col="source" data-run={m.source.runId}>
                        <Link href={`/runs/${m.source.runId}`}>
                          <Isolate>{m.source.runName}</Isolate>
                        </Link>{" "}
                        <span className="muted">{formatDateTime(m.source.at)}</span>
                        {m.source.state !== "completed" ? <span className="badge warn">{m.source.stateLabel}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </>
        )}
      </section>
      <section aria-labelledby="runs-h">
        <h2 id="runs-h">Runs over time</h2>
        {profile.runs.length === 0 ? (
          <p className="muted">No runs of this model yet.</p>
        ) : (
          <>
            <p className="muted small" data-testid="series">
              Only runs that measured the same thing are compared over time (same benchmarks, sampling, decoding, templates and item set):{" "}
              {shownSeries?.label ?? "—"}.
            </p>
            {otherSeries.length ? (
              <form method="get" action={`/models/${modelId}#runs-h`} className="actions" aria-label="Choose the series of runs">
                {profile.run ? <input type="hidden" name="run" value={profile.run.id} /> : null}
                <label>
                  Series{" "}
                  <select name="series" defaultValue={profile.seriesKey ?? ""}>
                    {profile.series.map((s) => (
                      <option key={s.key} value={s.key}>
                        {s.label} — {s.runIds.length} run{s.runIds.length > 1 ? "s" : ""}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className="secondary">
                  Show
                </button>
              </form>
            ) : null}
            <RunsOverTime
              runs={seriesRuns.filter((r) => r.status === "completed")}
              metrics={HEADLINE_METRICS.map((id) => {
                return { id, label: withUnit(getMetric(id)?.label ?? id, getMetric(id)?.unit) };
              })}
            />
            <table className="data" aria-label="Runs of this model">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Source</th>
                  <th scope="col">Created</th>
                  {HEADLINE_METRICS.filter((id) => seriesRuns.some((r) => r.values[id])).map((id) => (
                    <th scope="col" key={id} className="num">
                      {getMetric(id)?.shortLabel ?? id}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...seriesRuns].reverse().map((r) => (
                  <tr key={r.id} data-run={r.id}>
                    <td>
                      <Link href={`/runs/${r.id}`}>
                        <Isolate>{r.name}</Isolate>
                      </Link>
                    </td>
                    <td>
                      <span
                        className={`badge${r.state === "completed" ? "" : r.state === "completed_with_failures" ? " warn" : r.state === "failed" ? " bad" : ""}`}
                        title={r.problems || undefined}
                      >
                        {r.stateLabel}
                      </span>
                    </td>
                    <td>{r.source}</td>
                    <td>{formatDateTime(r.createdAt)}</td>
                    {HEADLINE_METRICS.filter((id) => seriesRuns.some((x) => x.values[id])).map((id) => (
                      <td key={id} className="num">
                        {formatValue(r.values[id]?.value)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {otherSeries.length ? (
              <p className="muted small">
                Not compared with these: {otherSeries.map((s) => `${s.runIds.length} run${s.runIds.length > 1 ? "s" : ""} of ${s.label}`).join("; ")} — choose
                the series above.
              </p>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
