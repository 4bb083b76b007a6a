import Link from "next/link";
import type { ModelProfile } from "@/lib/compare/profile";
import { HEADLINE_METRICS } from "@/lib/compare/profile";
import { getMetric } from "@/lib/metrics/catalogue";
import { RunsOverTime } from "./charts/runs-over-time";
import { directionLabel, formatValue } from "./metric-value";

/** Every metric of the model's latest (or chosen) completed run, grouped by category, and its runs over time. */
export function ModelProfileView({ modelId, profile, compareWith }: { modelId: string; profile: ModelProfile; compareWith: { href: string; label: string }[] }) {
  const completed = profile.runs.filter((r) => r.status === "completed");
  return (
    <>
      <section aria-labelledby="profile-h">
        <div className="page-head">
          <h2 id="profile-h">Profile</h2>
          {completed.length > 1 ? (
            <form method="get" action={`/models/${modelId}#profile-h`} className="actions" aria-label="Choose the profiled run">
              <label>
                Run{" "}
                <select name="run" defaultValue={profile.run?.id}>
                  {[...completed].reverse().map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name} · {r.createdAt.slice(0, 16).replace("T", " ")}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="secondary">Show</button>
            </form>
          ) : null}
        </div>
        {!profile.run ? (
          <p className="muted">No completed run yet: profile this model or import its generations to see its metrics here.</p>
        ) : profile.groups.length === 0 ? (
          <p className="muted">
            Run <Link href={`/runs/${profile.run.id}`}>{profile.run.name}</Link> has no results yet.
          </p>
        ) : (
          <>
            <p className="muted">
              From run <Link href={`/runs/${profile.run.id}`}>{profile.run.name}</Link> ({profile.run.createdAt.slice(0, 16).replace("T", " ")} UTC).
              {compareWith.length ? (
                <>
                  {" "}Compare with{" "}
                  {compareWith.map((c, i) => (
                    <span key={c.href}>
                      {i ? ", " : ""}
                      <Link href={c.href}>{c.label}</Link>
                    </span>
                  ))}
                  .
                </>
              ) : null}
            </p>
            <table className="data" aria-label="Profile">
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">Value</th>
                  <th scope="col" className="num">95 % CI</th>
                  <th scope="col" className="num">n</th>
                  <th scope="col">Better</th>
                </tr>
              </thead>
              {profile.groups.map((g) => (
                <tbody key={g.category} className="profile-group">
                  <tr className="category-row">
                    <th scope="rowgroup" colSpan={5}>{g.label}</th>
                  </tr>
                  {g.metrics.map((m) => (
                    <tr key={m.metric} data-metric={m.metric}>
                      <th scope="row" style={{ fontWeight: 500 }}>
                        {m.label}
                        {m.unit && !m.label.includes(`(${m.unit})`) ? <span className="muted"> ({m.unit})</span> : null}
                      </th>
                      <td className="num">{formatValue(m.value)}</td>
                      <td className="num">{m.lo !== null && m.hi !== null ? `${formatValue(m.lo)} – ${formatValue(m.hi)}` : "—"}</td>
                      <td className="num">{m.n}</td>
                      <td className="muted">{directionLabel(m.metric) || "—"}</td>
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
            <RunsOverTime runs={completed} metrics={HEADLINE_METRICS.map((id) => ({ id, label: `${getMetric(id)?.label ?? id}${getMetric(id)?.unit ? ` (${getMetric(id)!.unit})` : ""}` }))} />
            <table className="data" aria-label="Runs of this model">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Source</th>
                  <th scope="col">Created</th>
                  {HEADLINE_METRICS.filter((id) => profile.runs.some((r) => r.values[id])).map((id) => (
                    <th scope="col" key={id} className="num">{getMetric(id)?.shortLabel ?? id}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...profile.runs].reverse().map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link href={`/runs/${r.id}`}>{r.name}</Link>
                    </td>
                    <td>
                      <span className="badge">{r.status}</span>
                    </td>
                    <td>{r.source}</td>
                    <td>{r.createdAt.replace("T", " ").slice(0, 16)}</td>
                    {HEADLINE_METRICS.filter((id) => profile.runs.some((x) => x.values[id])).map((id) => (
                      <td key={id} className="num">{formatValue(r.values[id]?.value)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}
