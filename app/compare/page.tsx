import Link from "next/link";
import { Suspense, type ComponentProps, type ReactNode } from "react";
import { redirect } from "next/navigation";
import { runColor } from "@/components/charts/palette";
import type { CompareCharts } from "@/components/compare-charts";
import { JudgedCharts } from "@/components/judged-charts";
import { CompareSamples } from "@/components/compare-samples";
import { CompareTable, ProfileLink } from "@/components/compare-table";
import { PairedProgressNote } from "@/components/paired-progress";
import { describeMethod } from "@/components/lineage-view";
import { EmptyState } from "@/components/empty-state";
import { histogram } from "@/lib/compare/distribution";
import { absentMembers, lineageLayout, lineageRoles, rolesOf, MAX_LINEAGE_RUNS } from "@/lib/compare/lineage";
import { compareQuery, compareQuerySchema, first, lineageContextOf, metricIdSchema, parseSignificance } from "@/lib/compare/params";
import { loadAggregates } from "@/lib/compare/runs";
import { CORRECTIONS } from "@/lib/metrics/multiple-comparisons";
import { describeSignificance, type Significance } from "@/lib/compare/verdicts";
import { chooserRuns } from "@/lib/compare/chooser";
import { sideBySide } from "@/lib/compare/samples";
import { buildComparison, pairedProgress, type PairedProgress } from "@/lib/compare/table";
import { formatDate, formatDateTime, withUnit } from "@/lib/export/format";
import { runLabel } from "@/lib/export/table-model";
import { getDatabase, type Database } from "@/lib/db/client";
import { CALIBRATION_SETS, CATEGORY_LABELS, getMetric } from "@/lib/metrics/catalogue";
import { listDerivations } from "@/lib/models/lineage";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Compare" };

type Search = Record<string, string | string[] | undefined>;

export default async function ComparePage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const db = await getDatabase();
  const { significance, error: significanceError } = parseSignificance({ alpha: first(sp.alpha), correction: first(sp.correction) });
  const lineage = lineageContextOf({ lineage: first(sp.lineage), base: first(sp.base) });

  // A lineage chosen: lay it out from the Derivation table and make the URL say which runs that is (and which
  // lineage, so that the roles and the members without a run come from it).
  if (lineage && !first(sp.runs)) {
    const layout = await lineageLayout(db, lineage);
    if (layout && layout.runIds.length >= 2 && layout.refId) redirect(`/compare?${compareQuery(layout.runIds, layout.refId, { lineage, significance })}`);
    return (
      <>
        <h1>Compare</h1>
        <EmptyState
          title="This lineage cannot be compared yet"
          action={
            <Link className="button secondary" href="/compare">
              Choose runs
            </Link>
          }
        >
          {layout ? "It needs completed runs of at least two of its models." : "No such derivation or base model."}
        </EmptyState>
        {layout ? (
          <ul aria-label="Models of the lineage">
            {layout.members.map((m) => (
              <li key={m.modelId} data-model={m.modelId}>
                <Link href={`/models/${m.modelId}`}>
                  <Isolate>{m.name}</Isolate>
                </Link>{" "}
                <span className="badge">{m.role}</span>{" "}
                {m.runId ? (
                  <Link href={`/runs/${m.runId}`}>latest completed run</Link>
                ) : (
                  <>
                    <span className="badge warn">no completed run</span> <ProfileLink modelId={m.modelId} runnable={m.runnable} />
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }
  // The chooser's checkboxes submit run=a&run=b: canonicalise to runs=a,b.
  const picked = ([] as string[]).concat(sp.run ?? []);
  if (picked.length)
    redirect(`/compare?${compareQuery(picked, first(sp.ref) && picked.includes(first(sp.ref)!) ? first(sp.ref)! : picked[0], { significance })}`);

  const parsed = compareQuerySchema.safeParse({ runs: first(sp.runs) ?? "", ref: first(sp.ref) });
  if (!parsed.success) return <Chooser />;
  const cmp = await buildComparison(db, { runIds: parsed.data.runs, refId: parsed.data.ref, significance });
  // Fewer than two runs: back to the chooser with the one chosen still checked, saying what is missing.
  if (cmp.runs.length < 2)
    return (
      <Chooser
        checked={cmp.runs.map((r) => r.id)}
        notice={
          <>
            {cmp.missing.length ? (
              <p className="alert error" role="alert">
                Unknown run{cmp.missing.length > 1 ? "s" : ""}: {cmp.missing.join(", ")}
              </p>
            ) : null}
            {cmp.runs.length === 1 ? (
              <p className="alert info" role="status" data-testid="pick-another">
                A comparison needs two runs: <Isolate>{runLabel(cmp.runs[0])}</Isolate> is checked below, pick at least one other run to compare it with.
              </p>
            ) : null}
          </>
        }
      />
    );

  // Roles from the lineage the comparison was laid out from; without one, only when one derivation relates the runs.
  const fromLineage = lineage ? await lineageRoles(db, lineage, cmp.runs) : null;
  const roles = fromLineage?.roles ?? (await rolesOf(db, cmp.runs));
  const absent = lineage ? await absentMembers(db, lineage, cmp.runs) : [];
  const runs = cmp.runs.map((r) => ({
    id: r.id,
    label: runLabel(r),
    role: roles[r.id] ?? null,
    state: r.state,
    stateLabel: r.stateLabel,
    problems: r.problems,
  }));
  const ids = cmp.runs.map((r) => r.id);
  const query = compareQuery(ids, cmp.refId, { significance, lineage });
  // What is already computed renders with the page; the rest is computed off the web process (see PairedProgressNote).
  const progress = pairedProgress(db, cmp);
  const pairedQuery = compareQuery(ids, cmp.refId);
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
      <h1>Compare</h1>
      {cmp.missing.length ? (
        <p className="alert error" role="alert">
          Unknown run{cmp.missing.length > 1 ? "s" : ""} left out: {cmp.missing.join(", ")}
        </p>
      ) : null}
      {significanceError ? (
        <p className="alert error" role="alert">
          {significanceError}; using α = 0.05 with Holm&apos;s correction.
        </p>
      ) : null}
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
          . Every difference and % change is relative to it; choose another:
        </p>
        <ul className="compare-runs">
          {cmp.runs.map((r, j) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: runColor(j) }} aria-hidden="true" />
              <Link href={`/runs/${r.id}`}>
                <Isolate>{runs[j].label}</Isolate>
              </Link>{" "}
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
              ) : (
                <Link className="small" href={`/compare?${compareQuery(ids, r.id, { significance, lineage })}`}>
                  make reference
                </Link>
              )}
            </li>
          ))}
          {absent.map((a) => (
            <li key={a.modelId} data-model={a.modelId}>
              <span className="swatch" style={{ background: "#ffffff" }} aria-hidden="true" />
              <Link href={`/models/${a.modelId}`}>
                <Isolate>{a.name}</Isolate>
              </Link>{" "}
              <span className="badge">{a.role}</span> <span className="badge warn">{a.reason}</span>{" "}
              {a.latestRunId === null ? (
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
          <a className="button secondary" href={`/api/export/compare?${query}&format=latex`} download>
            Table as LaTeX
          </a>
          <a className="button secondary" href={`/api/export/compare?${query}&format=csv`} download>
            Table as CSV
          </a>
          <a className="button secondary" href={`/api/export/compare?${query}&format=json`} download>
            Table as JSON
          </a>
          <Link className="button secondary" href="/compare?choose=1">
            Choose other runs
          </Link>
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
            pairedQuery={pairedQuery}
            initialPaired={progress.stats}
            significance={significance}
            absent={absent}
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
        <PairedProgressNote progress={progress} href={`/compare?${query}`} />
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
          query={query}
          pairedQuery={pairedQuery}
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
  pairedQuery: string;
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
      query={props.query}
      pairedQuery={props.pairedQuery}
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
}) {
  const { metric, diff, dir, q, page, bench } = props.params;
  const samples = await sideBySide(props.db, { runIds: props.ids, refId: props.refId, metric, diffRunId: diff, dir, page, pageSize: 10, q, benchmark: bench });
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

/** A run in the chooser: its model, and its own name when that says more. */
function chooserLabel(r: { modelName: string; name: string | null }): string {
  return r.name && r.name !== r.modelName ? `${r.modelName} (${r.name})` : r.modelName;
}

async function Chooser({ checked = [], notice = null }: { checked?: string[]; notice?: ReactNode } = {}) {
  const db = await getDatabase();
  const [listed, derivations] = await Promise.all([chooserRuns(db), listDerivations(db.prisma)]);
  const runs = listed.filter((r) => r.offered);
  const notOffered = listed.filter((r) => !r.offered);
  const bases = [...new Map(derivations.filter((d) => d.base).map((d) => [d.base!.id, d.base!])).values()];
  return (
    <>
      <h1>Compare</h1>
      {notice}
      {runs.length < 2 ? (
        <EmptyState
          title="Nothing to compare yet"
          action={
            <Link className="button secondary" href="/runs">
              Go to runs
            </Link>
          }
        >
          Comparison lays out base, student(s) and teacher(s) side by side, with the change of every metric and its significance. It needs at least two
          completed runs ({runs.length} so far).
        </EmptyState>
      ) : (
        <div className="grid-2">
          <form className="panel" method="get" action="/compare" aria-labelledby="choose-h">
            <h2 id="choose-h" style={{ marginTop: 0 }}>
              Choose runs
            </h2>
            <p className="muted">Two to eight completed runs; the first one checked is the reference unless you pick one.</p>
            <fieldset>
              <legend>Runs</legend>
              {runs.map((r) => (
                <label key={r.id} className="choose-run" data-run={r.id}>
                  <input type="checkbox" name="run" value={r.id} defaultChecked={checked.includes(r.id)} /> <Isolate>{chooserLabel(r)}</Isolate>{" "}
                  <span className="muted small">{formatDateTime(r.createdAt)}</span>
                  {r.state !== "completed" ? (
                    <>
                      {" "}
                      <span className="badge warn" data-testid="run-state">
                        {r.stateLabel}
                      </span>{" "}
                      <span className="muted small problems">{r.problems}</span>
                    </>
                  ) : null}
                </label>
              ))}
            </fieldset>
            {notOffered.length ? (
              <details>
                <summary className="muted small">
                  {notOffered.length} run{notOffered.length > 1 ? "s" : ""} that cannot be compared
                </summary>
                <ul className="small">
                  {notOffered.map((r) => (
                    <li key={r.id} data-run={r.id}>
                      <Link href={`/runs/${r.id}`}>
                        <Isolate>{chooserLabel(r)}</Isolate>
                      </Link>{" "}
                      <span className="muted">{formatDateTime(r.createdAt)}</span> — {r.reason}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            <label>
              Reference{" "}
              <select name="ref" defaultValue="">
                <option value="">first checked</option>
                {runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    {chooserLabel(r)}
                  </option>
                ))}
              </select>
            </label>
            <div className="actions" style={{ marginTop: "0.75rem" }}>
              <button type="submit">Compare</button>
            </div>
          </form>
          <section className="panel" aria-labelledby="lineage-choose-h">
            <h2 id="lineage-choose-h" style={{ marginTop: 0 }}>
              Or choose a lineage
            </h2>
            <p className="muted">Base vs student(s) vs teacher(s), each model by its latest completed run, the base as reference.</p>
            {derivations.length === 0 ? (
              <p className="muted">No derivation recorded yet: record one on a student model&apos;s page.</p>
            ) : (
              <ul>
                {bases.map((b) => (
                  <li key={b.id}>
                    <Link href={`/compare?base=${b.id}`}>
                      Everything derived from <Isolate>{b.name}</Isolate>
                    </Link>
                  </li>
                ))}
                {derivations.map((d) => (
                  <li key={d.id}>
                    <Link href={`/compare?lineage=${d.id}`}>
                      <Isolate>{d.base?.name ?? "?"}</Isolate> → <Isolate>{d.student.name}</Isolate> ←{" "}
                      {d.teachers.map((t, k) => (
                        <span key={t.id}>
                          {k ? ", " : ""}
                          <Isolate>{t.name}</Isolate>
                        </span>
                      ))}
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
