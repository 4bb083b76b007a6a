import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { cache } from "react";
import { loadAttributeMetrics } from "@/lib/attributes/store";
import { notFound } from "next/navigation";
import { ItemsTable } from "@/components/items-table";
import { directionLabel, formatValue, metricLabel } from "@/components/metric-value";
import { RunAnnotationsForm } from "@/components/run-annotations-form";
import { RunLive } from "@/components/run-live";
import { getDatabase } from "@/lib/db/client";
import { getMetric } from "@/lib/metrics/catalogue";
import { runAggregates } from "@/lib/runs/aggregates";
import { itemBenchmarks, itemField, itemScoreKeys, listItems } from "@/lib/runs/items";
import { completedStamp } from "@/lib/runs/run-cache";
import { getRun, runMetrics, runProgress } from "@/lib/runs/runs";
import { formatDateTime, unitAfter } from "@/lib/export/format";
import { Isolate } from "@/components/isolate";

type Search = { page?: string; status?: string; q?: string; sort?: string; dir?: string; benchmark?: string };

// One read of the run for the title and the page.
const loadRun = cache(async (id: string) => getRun(await getDatabase(), id));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = await loadRun(id);
  return { title: run ? run.name || `Run of ${run.model.name}` : "Run not found" };
}

export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { id } = await params;
  const sp = await searchParams;
  const db = await getDatabase();
  const run = await loadRun(id);
  if (!run) notFound();
  // A completed run's figures are kept in memory (lib/runs/run-cache.ts); only a page of its items is read.
  const stamp = completedStamp(run);
  const [progress, metrics, aggregates] = await Promise.all([
    runProgress(db, id),
    runMetrics(db, id, stamp),
    runAggregates(db, id, stamp),
    loadAttributeMetrics(db),
  ]);
  const page = Math.max(1, Number(sp.page) || 1);
  const status = sp.status === "done" || sp.status === "failed" || sp.status === "pending" ? sp.status : undefined;
  const benchmarks = await itemBenchmarks(db, id, stamp);
  // A run of one benchmark shows that benchmark's own columns without asking.
  const benchmark = benchmarks.some((b) => b.benchmark === sp.benchmark) ? sp.benchmark : benchmarks.length === 1 ? benchmarks[0].benchmark : undefined;
  const scoreKeys = await itemScoreKeys(db, id, benchmark, stamp);
  const sortField = sp.sort?.startsWith("field:") && itemField(benchmark, sp.sort.slice(6)) ? sp.sort.slice(6) : undefined;
  const sortMetric = !sortField && sp.sort && scoreKeys.includes(sp.sort) ? sp.sort : undefined;
  const pageSize = 25;
  const dir = sp.dir === "asc" ? "asc" : "desc";
  const items = await listItems(db, id, { page, pageSize, status, benchmark, q: sp.q?.slice(0, 200) || undefined, sortMetric, sortField, dir }, stamp);
  const suite = run.suite as { name?: string; benchmarks?: Record<string, unknown>[] };
  const metricIds = aggregates.map((a) => a.metric).sort((a, b) => (getMetric(a)?.label ?? a).localeCompare(getMetric(b)?.label ?? b));
  return (
    <>
      <p>
        <Link href="/runs">← Runs</Link>
      </p>
      <h1>
        <Isolate>{run.name || "Run"}</Isolate>{" "}
        <span className="muted" style={{ fontSize: "1rem" }}>
          of{" "}
          <Link href={`/models/${run.model.id}`}>
            <Isolate>{run.model.name}</Isolate>
          </Link>
        </span>
      </h1>
      <div className="grid-2">
        <RunLive initial={{ ...progress!, metrics }} />
        <section className="panel" aria-label="Suite">
          <dl className="facts">
            <dt>Run id</dt>
            <dd className="mono">{run.id}</dd>
            <dt>Source</dt>
            <dd>{run.source === "profile" ? "profiled here" : run.source.replace("import:", "imported ")}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(run.createdAt, { seconds: true })} UTC</dd>
            {run.startedAt ? (
              <>
                <dt>Started</dt>
                <dd>{formatDateTime(run.startedAt, { seconds: true })} UTC</dd>
              </>
            ) : null}
            {run.finishedAt ? (
              <>
                <dt>Finished</dt>
                <dd>{formatDateTime(run.finishedAt, { seconds: true })} UTC</dd>
              </>
            ) : null}
            <dt>Code version</dt>
            <dd className="mono">{run.codeVersion || "—"}</dd>
          </dl>
          <IfRole need="editor">
            <RunAnnotationsForm runId={run.id} tags={run.tags} comment={run.comment} />
          </IfRole>
          <details style={{ marginTop: "0.5rem" }}>
            <summary>Suite snapshot</summary>
            <pre className="text-output mono">{JSON.stringify(suite, null, 2)}</pre>
          </details>
        </section>
      </div>
      <section aria-labelledby="results-h">
        <h2 id="results-h">Results</h2>
        {aggregates.length === 0 ? (
          <p className="muted">Results appear here when a benchmark completes.</p>
        ) : (
          <table className="data" aria-label="Results">
            <thead>
              <tr>
                <th>Metric</th>
                <th className="num">Value</th>
                <th className="num">95 % CI</th>
                <th className="num">n</th>
                <th>Direction</th>
              </tr>
            </thead>
            <tbody>
              {metricIds.map((m) => {
                const a = aggregates.find((x) => x.metric === m)!;
                const unit = unitAfter(metricLabel(m), getMetric(m)?.unit);
                return (
                  <tr key={m} data-metric={m}>
                    <td>
                      {metricLabel(m)}
                      {unit ? <span className="muted"> ({unit})</span> : null}
                    </td>
                    <td className="num">{formatValue(a.value)}</td>
                    <td className="num">{a.ciLow !== null ? `${formatValue(a.ciLow)} – ${formatValue(a.ciHigh)}` : "—"}</td>
                    <td className="num">{a.n}</td>
                    <td className="muted">{directionLabel(m)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <ItemsTable
        basePath={`/runs/${run.id}`}
        rows={items.rows}
        total={items.total}
        page={page}
        pageSize={pageSize}
        params={{ status, q: sp.q, benchmark, sort: sortField ? `field:${sortField}` : sortMetric, dir: sortField || sortMetric ? dir : undefined }}
        benchmarks={benchmarks}
        metrics={scoreKeys.filter((k) => getMetric(k)?.perSample !== false)}
      />
    </>
  );
}
