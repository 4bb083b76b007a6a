// A comparison as the dashboard's /compare page and a reviewer link's /share/<token> page show it: the compared
// runs, the table with its paired statistics, the figures and the side-by-side samples, with their exports. The two
// differ only in where requests go (lib/compare/endpoints.ts) and in what a reviewer link leaves out: links to the
// rest of the dashboard, the choice of reference and the significance form (the link fixes them).
import Link from "next/link";
import { Suspense, type ComponentProps } from "react";
import { runColor } from "@/components/charts/palette";
import type { CompareCharts } from "@/components/compare-charts";
import { JudgedCharts } from "@/components/judged-charts";
import { CompareSamples } from "@/components/compare-samples";
import { CompareTable, ProfileLink } from "@/components/compare-table";
import { PairedProgressNote } from "@/components/paired-progress";
import { histogram } from "@/lib/compare/distribution";
import { withQuery, type CompareEndpoints } from "@/lib/compare/endpoints";
import { absentMembers, lineageRoles, rolesOf, MAX_LINEAGE_RUNS, withoutIds } from "@/lib/compare/lineage";
import { compareQuery, first, metricIdSchema, type LineageContext } from "@/lib/compare/params";
import { loadAggregates } from "@/lib/compare/runs";
import { CORRECTIONS } from "@/lib/metrics/multiple-comparisons";
import { describeSignificance, type Significance } from "@/lib/compare/verdicts";
import { sideBySide } from "@/lib/compare/samples";
import { pairedProgress, type ComparisonTable, type PairedProgress } from "@/lib/compare/table";
import { formatDate, withUnit } from "@/lib/export/format";
import { runLabel } from "@/lib/export/table-model";
import { Isolate } from "@/components/isolate";
import type { Database } from "@/lib/db/client";
import { CALIBRATION_SETS, CATEGORY_LABELS, getMetric } from "@/lib/metrics/catalogue";

type Search = Record<string, string | string[] | undefined>;

export async function ComparisonView({
  db,
  cmp,
  lineage,
  significance,
  sp,
  endpoints,
}: {
  db: Database;
  cmp: ComparisonTable;
  lineage: LineageContext | null;
  significance: Significance;
  /** the page's search parameters: the samples' and figures' choices */
  sp: Search;
  endpoints: CompareEndpoints;
}) {
  const links = endpoints.dashboardLinks;
  // Roles from the lineage the comparison was laid out from; without one, only when one derivation relates the runs.
  const fromLineage = lineage ? await lineageRoles(db, lineage, cmp.runs) : null;
  const roles = fromLineage?.roles ?? (await rolesOf(db, cmp.runs));
  const members = lineage ? await absentMembers(db, lineage, cmp.runs) : [];
  const absent = links ? members : withoutIds(members);
  const runs = cmp.runs.map((r) => ({
    id: r.id,
    label: runLabel(r),
    role: roles[r.id] ?? null,
    state: r.state,
    stateLabel: r.stateLabel,
    problems: r.problems,
  }));
  const ids = cmp.runs.map((r) => r.id);
  // What is already computed renders with the page; the rest is computed off the web process (see PairedProgressNote).
  const progress = pairedProgress(db, cmp);
  const perSample = cmp.rows.filter((r) => r.perSample).map((r) => r.metric);
  const metricParam = metricIdSchema.safeParse(first(sp.metric));
  const sampleMetric =
    metricParam.success && perSample.includes(metricParam.data)
      ? metricParam.data
      : perSample.includes("length_words")
        ? "length_words"
        : (perSample[0] ?? "length_words");
  const distParam = metricIdSchema.safeParse(first(sp.dist));
  const distMetric = distParam.success && perSample.includes(distParam.data) ? distParam.data : sampleMetric;
  const dirParam = first(sp.dir);
  const dir = dirParam === "asc" || dirParam === "desc" ? dirParam : "item";
  const q = first(sp.q)?.slice(0, 200) || undefined;
  const bench = first(sp.bench)?.slice(0, 100) || undefined;
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
    // Verdicts with significance are computed in the browser once every paired test is in.
    changes: r.deltas.map((d) => ({ runId: d.runId, pct: d.pct, verdict: null })),
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
      {lineage && !fromLineage ? (
        <p className="alert error" role="alert">
          No such derivation or base model: roles are not shown.
        </p>
      ) : null}
      <section className="panel" aria-label="Compared runs">
        <p style={{ marginTop: 0 }}>
          Reference:{" "}
          <strong>
            <Isolate>{runs.find((r) => r.id === cmp.refId)?.label}</Isolate>
          </strong>
          . Every difference and % change is relative to it
          {links ? "; choose another:" : "."}
        </p>
        <ul className="compare-runs">
          {cmp.runs.map((r, j) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: runColor(j) }} aria-hidden="true" />
              {links ? (
                <Link href={`/runs/${r.id}`}>
                  <Isolate>{runs[j].label}</Isolate>
                </Link>
              ) : (
                <strong>
                  <Isolate>{runs[j].label}</Isolate>
                </strong>
              )}{" "}
              {runs[j].role ? <span className="badge">{runs[j].role}</span> : null}{" "}
              <span className="muted small">
                {formatDate(r.createdAt)} · {r.source}
              </span>{" "}
              {r.state !== "completed" ? (
                <span className={`badge problems ${r.state === "completed_with_failures" ? "warn" : "bad"}`} data-testid="run-state">
                  {r.stateLabel}: results may be partial{r.problems ? ` — ${r.problems}` : ""}
                </span>
              ) : null}{" "}
              {r.id === cmp.refId ? (
                <span className="badge good">reference</span>
              ) : !links ? null : (
                <Link className="small" href={`/compare?${compareQuery(ids, r.id, { significance, lineage })}`}>
                  make reference
                </Link>
              )}
            </li>
          ))}
          {absent.map((a) => (
            <li key={a.modelId} data-model={a.modelId}>
              <span className="swatch" style={{ background: "#ffffff" }} aria-hidden="true" />
              {links ? (
                <Link href={`/models/${a.modelId}`}>
                  <Isolate>{a.name}</Isolate>
                </Link>
              ) : (
                <Isolate>{a.name}</Isolate>
              )}{" "}
              <span className="badge">{a.role}</span> <span className="badge warn">{a.reason}</span>{" "}
              {!links ? null : a.latestRunId === null ? (
                <span className="small">
                  <ProfileLink modelId={a.modelId} runnable={a.runnable} />
                </span>
              ) : (
                <span className="muted small">a comparison holds at most {MAX_LINEAGE_RUNS} runs</span>
              )}
            </li>
          ))}
        </ul>
        <div className="actions">
          <a className="button secondary" href={withQuery(endpoints.exportUrl, "format=latex")} download>
            Table as LaTeX
          </a>
          <a className="button secondary" href={withQuery(endpoints.exportUrl, "format=csv")} download>
            Table as CSV
          </a>
          <a className="button secondary" href={withQuery(endpoints.exportUrl, "format=json")} download>
            Table as JSON
          </a>
          {links ? (
            <Link className="button secondary" href="/compare?choose=1">
              Choose other runs
            </Link>
          ) : null}
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
            pairedUrl={endpoints.pairedUrl}
            initialPaired={progress.stats}
            significance={significance}
            absent={absent}
            dashboardLinks={links}
            categoryLabels={categoryLabels}
            rows={cmp.rows.map((r) => ({
              metric: r.metric,
              label: r.label,
              unit: r.unit,
              category: r.category,
              pairable: r.pairable,
              cells: r.cells.map((c) => (c ? { value: c.value, lo: c.lo, hi: c.hi, n: c.n } : null)),
              deltas: r.deltas.map((d) => ({ runId: d.runId, diff: d.diff, pct: d.pct })),
            }))}
          />
        )}
        <PairedProgressNote progress={progress} href={endpoints.self} />
        {links ? (
          <form method="get" action="/compare" className="actions" aria-label="Significance" style={{ marginTop: "0.5rem" }}>
            <input type="hidden" name="runs" value={ids.join(",")} />
            <input type="hidden" name="ref" value={cmp.refId} />
            {lineage ? (
              "derivationId" in lineage ? (
                <input type="hidden" name="lineage" value={lineage.derivationId} />
              ) : (
                <input type="hidden" name="base" value={lineage.baseModelId} />
              )
            ) : null}
            <label>
              Significance level α{" "}
              <input type="number" name="alpha" min={0.0001} max={0.5} step="any" defaultValue={significance.alpha} style={{ width: "6rem" }} />
            </label>
            <label>
              Multiple-comparison correction{" "}
              <select name="correction" defaultValue={significance.correction}>
                {CORRECTIONS.map((c) => (
                  <option key={c} value={c}>
                    {c === "holm" ? "Holm (family-wise error)" : c === "bh" ? "Benjamini–Hochberg (false discovery rate)" : "none"}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="secondary">
              Apply
            </button>
          </form>
        ) : null}
        <p className="muted small">
          Values: stored means with 95 % percentile-bootstrap CIs (± half-width). Paired statistics pair items by (benchmark, item key, sample index): bootstrap
          CI of the mean difference and a two-sided sign-flip permutation p-value, seeded so a reload gives the same numbers. A difference is coloured only
          where it is significant ({describeSignificance(significance, null)}): blue for the better, vermillion for the worse, grey for a metric without a
          direction (length, readability) — the verdict is also written out. Bold: the best value of a row where the tests back it.
        </p>
      </section>
      {/* Figures and samples read per-sample values (slower on very large runs): they stream in after the table. */}
      <Suspense
        fallback={
          <p className="alert info" role="status">
            Loading figures…
          </p>
        }
      >
        <ChartsSection
          db={db}
          ids={ids}
          perSample={perSample}
          distMetric={distMetric}
          runs={runs}
          refId={cmp.refId}
          rows={chartRows}
          endpoints={endpoints}
          initialPaired={progress.stats}
          significance={significance}
          pairable={cmp.rows.filter((r) => r.pairable).map((r) => r.metric)}
          reliability={reliability}
        />
      </Suspense>
      {perSample.length ? (
        <Suspense
          fallback={
            <p className="alert info" role="status" id="samples">
              Loading side-by-side samples…
            </p>
          }
        >
          <SamplesSection
            db={db}
            ids={ids}
            refId={cmp.refId}
            runs={runs}
            perSample={perSample}
            params={{ metric: sampleMetric, diff: diffRun, dir, q, page, bench }}
            endpoints={endpoints}
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
  endpoints: CompareEndpoints;
  initialPaired: PairedProgress["stats"];
  significance: Significance;
  pairable: string[];
  reliability: ComponentProps<typeof CompareCharts>["reliability"];
}) {
  const hist = props.perSample.length ? await histogram(props.db, props.ids, props.distMetric, 20) : null;
  const distDef = getMetric(props.distMetric);
  return (
    <JudgedCharts
      runs={props.runs}
      refId={props.refId}
      rows={props.rows}
      exportUrl={props.endpoints.exportUrl}
      figureUrl={props.endpoints.figureUrl}
      page={props.endpoints.page}
      pairedUrl={props.endpoints.pairedUrl}
      initialPaired={props.initialPaired}
      significance={props.significance}
      pairable={props.pairable}
      hist={
        hist
          ? {
              metric: props.distMetric,
              xLabel: distDef ? withUnit(distDef.shortLabel ?? distDef.label, distDef.unit) : props.distMetric,
              data: { edges: hist.edges, counts: hist.counts, n: hist.n },
            }
          : null
      }
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
  params: { metric: string; diff?: string; dir: "asc" | "desc" | "item"; q?: string; page: number; bench?: string };
  endpoints: CompareEndpoints;
}) {
  const { metric, diff, dir, q, page, bench } = props.params;
  const samples = await sideBySide(props.db, { runIds: props.ids, refId: props.refId, metric, diffRunId: diff, dir, page, pageSize: 10, q, benchmark: bench });
  return (
    <CompareSamples
      data={samples}
      runs={props.runs}
      metrics={props.perSample}
      baseQuery={props.endpoints.pageQuery}
      page={props.endpoints.page}
      exportUrl={props.endpoints.exportUrl}
      params={{ metric, diff: samples.diffRunId ?? undefined, dir, q }}
    />
  );
}
