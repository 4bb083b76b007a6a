// A judge attribute's reliability, shown rather than assumed: the distribution of its scores over the runs that
// measured it (the comparison's distribution figure), the share of answers that could not be read with examples
// (untrusted text, shown as text), the re-judge form and each re-judge pass's agreement with the first scores.
import type { AttributeDetail } from "@/lib/attributes/store";
import {
  judgedDatasets,
  judgedRuns,
  rejudgeSummaries,
  scoreDistribution,
  unreadableAnswers,
  unreadableCandidateAnswers,
  type RejudgeSummary,
} from "@/lib/attributes/reliability";
import type { Database } from "@/lib/db/client";
import { formatDateTime, formatNumber, formatShare } from "@/lib/export/format";
import { distributionScene } from "@/lib/figures/charts";
import { DOUBLE_COLUMN_IN } from "@/lib/figures/layout";
import { Figure } from "./charts/figure";
import { Isolate } from "./isolate";
import { RejudgeForm } from "./rejudge-form";
import { IfRole } from "./role-gate";

/** The distribution figure shows at most this many runs and datasets (the newest), one line each. */
const RUNS_SHOWN = 6;
const DATASETS_SHOWN = 2;

export async function JudgeReliability({ db, attribute, chosen }: { db: Database; attribute: AttributeDetail; chosen?: string }) {
  const [runs, datasets] = await Promise.all([judgedRuns(db, attribute.metric), judgedDatasets(db, attribute.id)]);
  const shown = runs.slice(0, RUNS_SHOWN);
  const shownSets = datasets.slice(0, DATASETS_SHOWN);
  const [hist, unreadable, unreadableCandidates, passes] = await Promise.all([
    scoreDistribution(
      db,
      attribute,
      shown.map((r) => r.runId),
      shownSets.map((d) => d.datasetId),
    ),
    unreadableAnswers(
      db,
      attribute.metric,
      runs.map((r) => r.runId),
    ),
    unreadableCandidateAnswers(db, attribute.id),
    rejudgeSummaries(db, { attributeId: attribute.id }),
  ]);
  const label = (r: { runName: string; modelName: string }) => r.runName || r.modelName;
  const title = `Distribution of ${attribute.name}`;
  const hidden = [
    runs.length > RUNS_SHOWN ? `the ${RUNS_SHOWN} newest of ${runs.length} runs` : "",
    datasets.length > DATASETS_SHOWN ? `the ${DATASETS_SHOWN} newest of ${datasets.length} datasets` : "",
  ].filter(Boolean);
  return (
    <section aria-labelledby="reliability" className="stack">
      <h2 id="reliability">Judge reliability</h2>
      {runs.length === 0 && datasets.length === 0 ? (
        <p className="muted">No completed run has measured this judge yet: profile a model with it (Also measure, on the new-run form).</p>
      ) : (
        <>
          {hist.edges.length ? (
            <Figure
              name={`attribute-${attribute.metric}-distribution`}
              title={title}
              note={`scores per run (and dataset's candidates), as the share of its outputs${hidden.length ? ` (${hidden.join(", ")})` : ""}`}
              scene={distributionScene(
                {
                  hist,
                  runs: [
                    ...shown.map((r) => ({ id: r.runId, label: `${label(r)} · v${r.version}`, role: null })),
                    ...shownSets.map((d) => ({ id: `dataset:${d.datasetId}`, label: `${d.name} (candidates)`, role: null })),
                  ],
                  xTitle: attribute.name,
                  title,
                },
                { widthIn: DOUBLE_COLUMN_IN, fontPt: 9 },
              )}
            />
          ) : (
            <p className="muted">No output has a readable score yet.</p>
          )}
          <h3>Unreadable answers</h3>
          {runs.length ? (
            <p data-testid="unreadable-share">
              {unreadable.unreadable} of {unreadable.judged} judged outputs ({formatShare(unreadable.judged ? unreadable.unreadable / unreadable.judged : null)}
              ) had no readable score, over {runs.length} run{runs.length === 1 ? "" : "s"}.
            </p>
          ) : null}
          {datasets.length ? (
            <p data-testid="unreadable-share-candidates">
              {unreadableCandidates.unreadable} of {unreadableCandidates.judged} judged dataset candidates (
              {formatShare(unreadableCandidates.judged ? unreadableCandidates.unreadable / unreadableCandidates.judged : null)}) had no readable score, over{" "}
              {datasets.length} dataset{datasets.length === 1 ? "" : "s"}.
            </p>
          ) : null}
          <UnreadableExamples
            examples={[
              ...unreadable.examples.map((e) => ({ key: `i${e.itemId}`, raw: e.raw, error: e.error })),
              ...unreadableCandidates.examples.map((e) => ({ key: `c${e.candidateId}`, raw: e.raw, error: e.error })),
            ].slice(0, 5)}
          />
          <h3>Re-judge</h3>
          <p className="muted">
            Asks the judge again — the version each run measured, through the model client — about a random sample of the run&apos;s outputs that have a
            readable score, and shows how well the two scorings agree: Spearman&apos;s ρ (ranks, ties averaged) and the mean absolute difference.
          </p>
          {runs.length ? (
            <IfRole need="editor">
              <RejudgeForm
                attributeId={attribute.id}
                runs={runs.map((r) => ({ id: r.runId, label: `${label(r)} — ${r.modelName}, v${r.version}, ${r.n} scores, ${formatDateTime(r.createdAt)}` }))}
              />
            </IfRole>
          ) : (
            <p className="muted">Re-judging asks again about a run&apos;s outputs: no completed run has measured this judge.</p>
          )}
        </>
      )}
      {passes.length ? <RejudgeTable passes={passes} chosen={chosen} /> : null}
    </section>
  );
}

function UnreadableExamples({ examples }: { examples: { key: string; raw: string; error: string }[] }) {
  if (!examples.length) return null;
  return (
    <ul className="stack" aria-label="Unreadable answers">
      {examples.map((e) => (
        <li key={e.key}>
          <pre className="mono" dir="auto" style={{ whiteSpace: "pre-wrap" }} data-testid="unreadable-raw">
            {e.raw}
          </pre>
          <span className="muted small">{e.error}</span>
        </li>
      ))}
    </ul>
  );
}

function agreementCell(a: RejudgeSummary["spearman"]) {
  return a.ok ? formatNumber(a.value) : <span title={a.reason}>not defined</span>;
}

function RejudgeTable({ passes, chosen }: { passes: RejudgeSummary[]; chosen?: string }) {
  const current = passes.find((p) => p.id === chosen);
  return (
    <>
      {current ? <RejudgeResult pass={current} /> : null}
      <table className="data" aria-label="Re-judge passes">
        <thead>
          <tr>
            <th>Run</th>
            <th>Version</th>
            <th>Sample</th>
            <th>Seed</th>
            <th>Asked</th>
            <th>Spearman ρ</th>
            <th>Mean |Δ|</th>
            <th>n</th>
            <th>Unreadable</th>
          </tr>
        </thead>
        <tbody>
          {passes.map((p) => (
            <tr key={p.id} data-rejudge={p.id}>
              <td>
                <a href={`/runs/${p.runId}`}>
                  <Isolate>{p.runName || p.modelName}</Isolate>
                </a>
              </td>
              <td>v{p.version}</td>
              <td>
                {p.stored} / {p.sampleSize}
                {p.finishedAt ? "" : " (interrupted: submit again to resume)"}
              </td>
              <td>{p.seed}</td>
              <td>{formatDateTime(p.finishedAt ?? p.createdAt)}</td>
              <td data-col="rho">{agreementCell(p.spearman)}</td>
              <td data-col="mad">{agreementCell(p.meanAbsDiff)}</td>
              <td data-col="n">{p.spearman.n}</td>
              <td>{p.unreadable}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RejudgeResult({ pass }: { pass: RejudgeSummary }) {
  const { spearman: rho, meanAbsDiff: mad } = pass;
  return (
    <div className="panel" role="status" aria-label="Re-judge result" data-testid="rejudge-result">
      <p>
        <strong>
          <Isolate>{pass.runName || pass.modelName}</Isolate>
        </strong>
        , version {pass.version}: {pass.stored} of {pass.sampleSize} outputs judged again (seed {pass.seed}).
      </p>
      <p data-testid="rejudge-rho">
        {rho.ok ? `Spearman ρ = ${formatNumber(rho.value)}` : `Spearman ρ: ${rho.reason}`} · {mad.ok ? `mean |Δ| = ${formatNumber(mad.value)}` : mad.reason} · n
        = {rho.n}
        {rho.dropped ? ` (${rho.dropped} without a readable second score)` : ""}
      </p>
    </div>
  );
}
