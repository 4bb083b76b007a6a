import Link from "next/link";
import { loadAttributeMetrics } from "@/lib/attributes/store";
import { CustomMetrics } from "@/components/custom-metrics";
import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { ProfileLink } from "@/components/compare-table";
import { describeMethod } from "@/components/lineage-view";
import { ComparisonView } from "@/components/comparison-view";
import { EmptyState } from "@/components/empty-state";
import { ShareForm } from "@/components/share-form";
import { dashboardEndpoints } from "@/lib/compare/endpoints";
import { lineageLayout } from "@/lib/compare/lineage";
import { compareQuery, compareQuerySchema, first, lineageContextOf, parseSignificance } from "@/lib/compare/params";
import { chooserRuns } from "@/lib/compare/chooser";
import { buildComparison } from "@/lib/compare/table";
import { formatDateTime } from "@/lib/export/format";
import { runLabel } from "@/lib/export/table-model";
import { getDatabase } from "@/lib/db/client";
import { listDerivations } from "@/lib/models/lineage";
import { Isolate } from "@/components/isolate";
import { IfRole } from "@/components/role-gate";

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

  const ids = cmp.runs.map((r) => r.id);
  const customMetrics = await loadAttributeMetrics(db);
  return (
    <>
      <CustomMetrics defs={customMetrics} />
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
      <ComparisonView
        db={db}
        cmp={cmp}
        lineage={lineage}
        significance={significance}
        sp={sp}
        endpoints={dashboardEndpoints(ids, cmp.refId, { significance, lineage })}
      />
      <IfRole need="editor">
        <ShareForm runIds={ids} refId={cmp.refId} significance={significance} lineage={lineage} />
      </IfRole>
    </>
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
