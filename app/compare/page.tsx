import Link from "next/link";
import { Suspense, type ComponentProps } from "react";
import { redirect } from "next/navigation";
import { runColor } from "@/components/charts/palette";
import { CompareCharts } from "@/components/compare-charts";
import { CompareSamples } from "@/components/compare-samples";
import { CompareTable } from "@/components/compare-table";
import { describeMethod } from "@/components/lineage-view";
import { EmptyState } from "@/components/empty-state";
import { histogram } from "@/lib/compare/distribution";
import { lineageLayout, rolesOf } from "@/lib/compare/lineage";
import { compareQuery, compareQuerySchema, first, metricIdSchema } from "@/lib/compare/params";
import { loadAggregates } from "@/lib/compare/runs";
import { sideBySide } from "@/lib/compare/samples";
import { buildComparison } from "@/lib/compare/table";
import { runLabel } from "@/lib/export/table-model";
import { getDatabase, type Database } from "@/lib/db/client";
import { CALIBRATION_SETS, CATEGORY_LABELS, getMetric } from "@/lib/metrics/catalogue";
import { listDerivations } from "@/lib/models/lineage";

export const metadata = { title: "Compare" };

type Search = Record<string, string | string[] | undefined>;

export default async function ComparePage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const db = await getDatabase();

  // A lineage chosen: lay it out from the Derivation table and make the URL say which runs that is.
  const lineage = first(sp.lineage);
  const base = first(sp.base);
  if (lineage || base) {
    const layout = await lineageLayout(db, lineage ? { derivationId: lineage } : { baseModelId: base });
    if (layout && layout.runIds.length >= 2 && layout.refId) redirect(`/compare?${compareQuery(layout.runIds, layout.refId)}`);
    return (
      <>
        <h1>Compare</h1>
        <EmptyState title="This lineage cannot be compared yet" action={<Link className="button secondary" href="/compare">Choose runs</Link>}>
          {layout
            ? `It needs completed runs of at least two of its models; without a completed run: ${layout.withoutRuns.join(", ") || "none"}.`
            : "No such derivation or base model."}
        </EmptyState>
      </>
    );
  }
  // The chooser's checkboxes submit run=a&run=b: canonicalise to runs=a,b.
  const picked = ([] as string[]).concat(sp.run ?? []);
  if (picked.length) redirect(`/compare?${compareQuery(picked, first(sp.ref) && picked.includes(first(sp.ref)!) ? first(sp.ref)! : picked[0])}`);

  const parsed = compareQuerySchema.safeParse({ runs: first(sp.runs) ?? "", ref: first(sp.ref) });
  if (!parsed.success) return <Chooser />;
  const cmp = await buildComparison(db, { runIds: parsed.data.runs, refId: parsed.data.ref });
  if (cmp.runs.length < 2)
    return (
      <>
        <h1>Compare</h1>
        {cmp.missing.length ? <p className="alert error" role="alert">Unknown run{cmp.missing.length > 1 ? "s" : ""}: {cmp.missing.join(", ")}</p> : null}
        <Chooser />
      </>
    );

  const roles = await rolesOf(db, cmp.runs);
  const runs = cmp.runs.map((r) => ({ id: r.id, label: runLabel(r), role: roles[r.id] ?? null }));
  const ids = cmp.runs.map((r) => r.id);
  const query = compareQuery(ids, cmp.refId);
  const perSample = cmp.rows.filter((r) => r.perSample).map((r) => r.metric);
  const metricParam = metricIdSchema.safeParse(first(sp.metric));
  const sampleMetric = metricParam.success && perSample.includes(metricParam.data) ? metricParam.data : perSample.includes("length_words") ? "length_words" : (perSample[0] ?? "length_words");
  const distParam = metricIdSchema.safeParse(first(sp.dist));
  const distMetric = distParam.success && perSample.includes(distParam.data) ? distParam.data : sampleMetric;
  const dirParam = first(sp.dir);
  const dir = dirParam === "asc" || dirParam === "desc" ? dirParam : "item";
  const q = first(sp.q)?.slice(0, 200) || undefined;
  const diffRun = first(sp.diff);
  const page = Math.max(1, Math.min(100_000, Number(first(sp.page)) || 1));
  const chartRows = cmp.rows.map((r) => ({
    metric: r.metric,
    label: r.label,
    shortLabel: r.shortLabel,
    unit: r.unit,
    better: r.better,
    category: r.category,
    perSample: r.perSample,
    cells: r.cells.map((c) => (c ? { value: c.value, lo: c.lo, hi: c.hi, n: c.n } : null)),
    changes: r.deltas.map((d) => ({ runId: d.runId, pct: d.pct, verdict: d.verdict })),
  }));
  // Reliability bins are kept with the ECE aggregate (details.reliability; details.bins accepted too).
  const aggregates = await loadAggregates(db, ids);
  const reliability = CALIBRATION_SETS.map(({ set, label }) => ({
    set,
    label,
    bins: ids.map((id) => {
      const d = aggregates[id]?.[`${set}_ece_10`]?.details as { bins?: unknown; reliability?: unknown } | null | undefined;
      const bins = d?.bins ?? d?.reliability;
      return Array.isArray(bins) ? (bins as never[]) : null;
    }),
  }));
  const categoryLabels: Record<string, string> = { ...CATEGORY_LABELS, other: "Other" };
  return (
    <>
      <h1>Compare</h1>
      {cmp.missing.length ? <p className="alert error" role="alert">Unknown run{cmp.missing.length > 1 ? "s" : ""} left out: {cmp.missing.join(", ")}</p> : null}
      <section className="panel" aria-label="Compared runs">
        <p style={{ marginTop: 0 }}>
          Reference: <strong>{runs.find((r) => r.id === cmp.refId)?.label}</strong>. Every difference and % change is relative to it; choose
          another:
        </p>
        <ul className="compare-runs">
          {cmp.runs.map((r, j) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: runColor(j) }} aria-hidden="true" />
              <Link href={`/runs/${r.id}`}>{runs[j].label}</Link> {runs[j].role ? <span className="badge">{runs[j].role}</span> : null}{" "}
              <span className="muted small">{r.createdAt.slice(0, 10)} · {r.source}</span>{" "}
              {r.status !== "completed" ? <span className="badge warn">{r.status}: results may be partial</span> : null}{" "}
              {r.id === cmp.refId ? (
                <span className="badge good">reference</span>
              ) : (
                <Link className="small" href={`/compare?${compareQuery(ids, r.id)}`}>make reference</Link>
              )}
            </li>
          ))}
        </ul>
        <div className="actions">
          <a className="button secondary" href={`/api/export/compare?${query}&format=latex`} download>Table as LaTeX</a>
          <a className="button secondary" href={`/api/export/compare?${query}&format=csv`} download>Table as CSV</a>
          <a className="button secondary" href={`/api/export/compare?${query}&format=json`} download>Table as JSON</a>
          <Link className="button secondary" href="/compare?choose=1">Choose other runs</Link>
        </div>
      </section>
      <section aria-labelledby="table-h">
        <h2 id="table-h">Metrics</h2>
        {cmp.rows.length === 0 ? (
          <p className="muted">These runs share no metric with the reference.</p>
        ) : (
          <CompareTable
            runs={runs}
            refId={cmp.refId}
            query={query}
            categoryLabels={categoryLabels}
            rows={cmp.rows.map((r) => ({
              metric: r.metric,
              label: r.label,
              unit: r.unit,
              category: r.category,
              pairable: r.pairable,
              cells: r.cells.map((c) => (c ? { value: c.value, lo: c.lo, hi: c.hi, n: c.n } : null)),
              deltas: r.deltas.map((d) => ({ runId: d.runId, diff: d.diff, pct: d.pct, verdict: d.verdict })),
              bestRunId: r.bestRunId,
            }))}
          />
        )}
        <p className="muted small">
          Values: stored means with 95 % percentile-bootstrap CIs (± half-width). Paired statistics pair items by (benchmark, item key, sample index):
          bootstrap CI of the mean difference and a two-sided sign-flip permutation p-value, seeded so a reload gives the same numbers. Blue: for the better,
          vermillion: for the worse, grey: neutral metric (length, readability) — the verdict is also written out.
        </p>
      </section>
      {/* Figures and samples read per-sample values (slower on very large runs): they stream in after the table. */}
      <Suspense fallback={<p className="alert info" role="status">Loading figures…</p>}>
        <ChartsSection
          db={db}
          ids={ids}
          perSample={perSample}
          distMetric={distMetric}
          runs={runs}
          refId={cmp.refId}
          rows={chartRows}
          query={query}
          reliability={reliability}
        />
      </Suspense>
      {perSample.length ? (
        <Suspense fallback={<p className="alert info" role="status" id="samples">Loading side-by-side samples…</p>}>
          <SamplesSection
            db={db}
            ids={ids}
            refId={cmp.refId}
            runs={runs}
            perSample={perSample}
            params={{ metric: sampleMetric, diff: diffRun, dir, q, page }}
          />
        </Suspense>
      ) : null}
    </>
  );
}

async function ChartsSection(props: {
  db: Database;
  ids: string[];
  perSample: string[];
  distMetric: string;
  runs: { id: string; label: string; role: string | null }[];
  refId: string;
  rows: ComponentProps<typeof CompareCharts>["rows"];
  query: string;
  reliability: ComponentProps<typeof CompareCharts>["reliability"];
}) {
  const hist = props.perSample.length ? await histogram(props.db, props.ids, props.distMetric, 20) : null;
  const distDef = getMetric(props.distMetric);
  return (
    <CompareCharts
      runs={props.runs}
      refId={props.refId}
      rows={props.rows}
      query={props.query}
      hist={hist ? { metric: props.distMetric, xLabel: distDef ? `${distDef.shortLabel ?? distDef.label}${distDef.unit ? ` (${distDef.unit})` : ""}` : props.distMetric, data: { edges: hist.edges, counts: hist.counts, n: hist.n } } : null}
      distOptions={props.perSample.map((m) => ({ id: m, label: getMetric(m)?.label ?? m }))}
      reliability={props.reliability}
    />
  );
}

async function SamplesSection(props: {
  db: Database;
  ids: string[];
  refId: string;
  runs: { id: string; label: string }[];
  perSample: string[];
  params: { metric: string; diff?: string; dir: "asc" | "desc" | "item"; q?: string; page: number };
}) {
  const { metric, diff, dir, q, page } = props.params;
  const samples = await sideBySide(props.db, { runIds: props.ids, refId: props.refId, metric, diffRunId: diff, dir, page, pageSize: 10, q });
  return (
    <CompareSamples
      data={samples}
      runs={props.runs}
      metrics={props.perSample}
      baseQuery={{ runs: props.ids.join(","), ref: props.refId }}
      params={{ metric, diff: samples.diffRunId ?? undefined, dir, q }}
    />
  );
}

async function Chooser() {
  const db = await getDatabase();
  const [runs, derivations] = await Promise.all([
    db.prisma.run.findMany({ where: { status: "completed" }, orderBy: { createdAt: "desc" }, take: 200, include: { model: { select: { name: true } } } }),
    listDerivations(db.prisma),
  ]);
  const bases = [...new Map(derivations.filter((d) => d.base).map((d) => [d.base!.id, d.base!])).values()];
  return (
    <>
      <h1>Compare</h1>
      {runs.length < 2 ? (
        <EmptyState title="Nothing to compare yet" action={<Link className="button secondary" href="/runs">Go to runs</Link>}>
          Comparison lays out base, student(s) and teacher(s) side by side, with the change of every metric and its significance. It needs at least two
          completed runs ({runs.length} so far).
        </EmptyState>
      ) : (
        <div className="grid-2">
          <form className="panel" method="get" action="/compare" aria-labelledby="choose-h">
            <h2 id="choose-h" style={{ marginTop: 0 }}>Choose runs</h2>
            <p className="muted">Two to eight completed runs; the first one checked is the reference unless you pick one.</p>
            <fieldset>
              <legend>Runs</legend>
              {runs.map((r) => (
                <label key={r.id} className="choose-run">
                  <input type="checkbox" name="run" value={r.id} /> {r.model.name}
                  {r.name && r.name !== r.model.name ? ` (${r.name})` : ""} <span className="muted small">{r.createdAt.toISOString().slice(0, 16).replace("T", " ")}</span>
                </label>
              ))}
            </fieldset>
            <label>
              Reference{" "}
              <select name="ref" defaultValue="">
                <option value="">first checked</option>
                {runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.model.name}
                    {r.name && r.name !== r.model.name ? ` (${r.name})` : ""}
                  </option>
                ))}
              </select>
            </label>
            <div className="actions" style={{ marginTop: "0.75rem" }}>
              <button type="submit">Compare</button>
            </div>
          </form>
          <section className="panel" aria-labelledby="lineage-choose-h">
            <h2 id="lineage-choose-h" style={{ marginTop: 0 }}>Or choose a lineage</h2>
            <p className="muted">Base vs student(s) vs teacher(s), each model by its latest completed run, the base as reference.</p>
            {derivations.length === 0 ? (
              <p className="muted">No derivation recorded yet: record one on a student model&apos;s page.</p>
            ) : (
              <ul>
                {bases.map((b) => (
                  <li key={b.id}>
                    <Link href={`/compare?base=${b.id}`}>Everything derived from {b.name}</Link>
                  </li>
                ))}
                {derivations.map((d) => (
                  <li key={d.id}>
                    <Link href={`/compare?lineage=${d.id}`}>
                      {d.base?.name ?? "?"} → {d.student.name} ← {d.teachers.map((t) => t.name).join(", ")}
                    </Link>{" "}
                    <span className="muted small">{describeMethod(d)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  );
}
