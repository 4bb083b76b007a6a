import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DatasetDelete } from "@/components/dataset-delete";
import { DatasetDistribution } from "@/components/dataset-distribution";
import { DatasetLive } from "@/components/dataset-live";
import { DatasetRegisterForm } from "@/components/dataset-register-form";
import { DatasetReselectForm } from "@/components/dataset-reselect-form";
import { formatValue, metricLabel } from "@/components/metric-value";
import { getDatabase } from "@/lib/db/client";
import { formatPctOnScreen, formatShare } from "@/lib/export/format";
import { percentChange } from "@/lib/metrics/statistics";
import { datasetProgress, datasetTargetOptions, getDatasetWithTeachers } from "@/lib/inheritance/datasets";
import { directionWords } from "@/lib/inheritance/export";
import { loadAttributeMetrics } from "@/lib/attributes/store";
import { selectionReport } from "@/lib/inheritance/report";
import { listSelections } from "@/lib/inheritance/selection";
import { resolveDatasetScorer } from "@/lib/inheritance/toxicity";
import { listModels } from "@/lib/models/registry";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Dataset" };

function selectionLabel(s: {
  rule: string;
  target: string | null;
  direction: string | null;
  targetValue: number | null;
  attributeVersion: number | null;
}): string {
  const target = `${metricLabel(s.target ?? "")}${s.attributeVersion !== null ? ` v${s.attributeVersion}` : ""}`;
  return s.rule === "best" ? `best of k · ${directionWords(s)} ${target}` : `random pick (passive) · reported on ${target}`;
}

export default async function DatasetPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ selection?: string }> }) {
  const { id } = await params;
  const sp = await searchParams;
  const db = await getDatabase();
  const ds = await getDatasetWithTeachers(db, id);
  if (!ds) notFound();
  // Custom attributes' labels for the targets (attr_…) shown below.
  await loadAttributeMetrics(db);
  const [progress, selections] = await Promise.all([datasetProgress(db, id), listSelections(db, id)]);
  const current = selections.find((s) => s.id === sp.selection) ?? selections[0] ?? null;
  const ready = ds.status === "completed" && current !== null;
  const scoring = !ready && current !== null && progress?.unscored ? progress.unscored : null;
  const report = ready ? await selectionReport(db, current.id) : null;
  const { promptSet: ps, decoding: dec, filters } = ds;
  const teachers = ds.teachers.map((t) => t.teacher).sort((a, b) => (a.name < b.name ? -1 : 1));
  const models = ready ? (await listModels(db)).map((m) => ({ id: m.id, name: m.name })) : [];
  const snapshot = ds.decoding.scorer;
  const targets = await datasetTargetOptions(db, { scorer: !!snapshot || !!(await resolveDatasetScorer(db)).config, allVersions: true });
  const exportHref = (format: string) => `/api/datasets/${id}/export?format=${format}&selection=${current?.id ?? ""}`;
  return (
    <>
      <p>
        <Link href="/datasets">← Datasets</Link>
      </p>
      <div className="page-head">
        <h1>
          <Isolate>{ds.name}</Isolate>
        </h1>
        {ds.status === "running" || ds.status === "queued" ? null : (
          <IfRole need="admin">
            <DatasetDelete datasetId={id} name={ds.name} />
          </IfRole>
        )}
      </div>
      <div className="grid-2">
        <DatasetLive initial={progress!} />
        <section className="panel" aria-label="How it is built">
          <dl className="facts">
            <dt>Prompt set</dt>
            <dd>
              <Isolate>{ps.name}</Isolate> · {ps.count} prompts
            </dd>
            <dt>Teachers</dt>
            <dd>
              {teachers.map((t, i) => (
                <span key={t.id}>
                  {i ? ", " : ""}
                  <Link href={`/models/${t.id}`}>
                    <Isolate>{t.name}</Isolate>
                  </Link>
                </span>
              ))}{" "}
              <span className="muted">({teachers.length > 1 ? "multi-source" : "single-source"})</span>
            </dd>
            <dt>k</dt>
            <dd>{ds.k} per prompt per teacher</dd>
            <dt>Request</dt>
            <dd>
              {ds.mode === "completion" ? "completions" : "chat"} · template <code>{JSON.stringify(ds.template)}</code>
            </dd>
            <dt>Decoding</dt>
            <dd>
              temperature {String(dec.temperature)} · top_p {String(dec.top_p)} · max_tokens {String(dec.max_tokens)}
            </dd>
            <dt>Filters</dt>
            <dd>
              {[
                filters.dropEmpty !== false ? "drop empty" : null,
                filters.dropTruncated ? "drop truncated" : null,
                filters.minWords ? `≥ ${filters.minWords} words` : null,
              ]
                .filter(Boolean)
                .join(" · ") || "none"}
            </dd>
            <dt>Seed</dt>
            <dd>{ds.seed}</dd>
            <dt>Code version</dt>
            <dd className="mono">{ds.codeVersion || "—"}</dd>
          </dl>
        </section>
      </div>
      {!ready || !report || !current ? (
        <p className="muted" data-testid="selection-pending">
          {scoring
            ? `${scoring} candidate(s) are being scored for the target; the selection appears when they are.`
            : "The selection, its effect and the exports appear here when generation completes."}
        </p>
      ) : (
        <>
          <section aria-labelledby="selection-h">
            <h2 id="selection-h">Selection</h2>
            {selections.length > 1 ? (
              <ul className="checks" aria-label="Selections" style={{ listStyle: "none", padding: 0 }}>
                {selections.map((s) => (
                  <li key={s.id}>
                    {s.id === current.id ? (
                      <strong aria-current="true">{selectionLabel(s)}</strong>
                    ) : (
                      <Link href={`/datasets/${id}?selection=${s.id}`}>{selectionLabel(s)}</Link>
                    )}
                  </li>
                ))}
              </ul>
            ) : null}
            <p data-testid="selection-label">
              {selectionLabel(current)} · {report.selected.count} of {report.prompts} prompts selected · seed {current.seed}
            </p>
            {report.attribute ? (
              <p data-testid="selection-attribute">
                Attribute{" "}
                <Link href={`/attributes/${report.attribute.metric}`}>
                  <Isolate>{report.attribute.name}</Isolate>
                </Link>{" "}
                version {report.attribute.version} · scored by <Isolate>{report.attribute.scoredBy}</Isolate> · scores cached per candidate · {report.unscored}{" "}
                candidate(s) without a readable score (left out, never 0)
              </p>
            ) : null}
            <table className="data" aria-label="Selection effect">
              <thead>
                <tr>
                  <th>{metricLabel(report.target)}</th>
                  <th className="num">n</th>
                  <th className="num">Mean</th>
                  <th className="num">95 % CI</th>
                  <th className="num">vs random pick</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ["all", "All candidates", report.all, percentChange(report.random.mean, report.all.mean)],
                    ["random", "Random pick (passive baseline)", report.random, null],
                    ["selected", "Selected", report.selected, report.changeVsRandom],
                  ] as const
                ).map(([key, label, g, change]) => (
                  <tr key={key} data-set={key}>
                    <td>{label}</td>
                    <td className="num">{g.n}</td>
                    <td className="num">{formatValue(g.mean)}</td>
                    <td className="num">{g.lo !== null ? `${formatValue(g.lo)} – ${formatValue(g.hi)}` : "—"}</td>
                    <td className="num" data-testid={key === "selected" ? "change-vs-random" : undefined}>
                      {key === "random" ? "—" : formatPctOnScreen(change)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <DatasetDistribution report={report} label={metricLabel(report.target)} />
          </section>
          <div className="grid-2">
            <section aria-labelledby="teachers-h">
              <h2 id="teachers-h">Teachers among the selected</h2>
              <table className="data" aria-label="Teacher share">
                <thead>
                  <tr>
                    <th>Teacher</th>
                    <th className="num">Selected</th>
                    <th className="num">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {report.teacherShare.map((t) => (
                    <tr key={t.teacher} data-teacher={t.teacher}>
                      <td>
                        <Isolate>{t.teacher}</Isolate>
                      </td>
                      <td className="num">{t.selected}</td>
                      <td className="num">{formatShare(t.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="export-h">
              <h2 id="export-h">Export</h2>
              <p className="muted">The selected set as JSON Lines for fine-tuning, in prompt order; prompts untemplated.</p>
              <ul>
                <li>
                  <a href={exportHref("chat")} download>
                    OpenAI chat (messages)
                  </a>
                </li>
                <li>
                  <a href={exportHref("alpaca")} download>
                    Alpaca (instruction, input, output)
                  </a>
                </li>
                <li>
                  <a href={exportHref("prompt-completion")} download>
                    prompt / completion (toolkit)
                  </a>
                </li>
                <li>
                  <a href={exportHref("candidates")} download>
                    All candidates with scores
                  </a>
                </li>
                <li>
                  <a href={exportHref("card")} download>
                    Dataset card (Markdown)
                  </a>
                </li>
              </ul>
            </section>
          </div>
          <section aria-labelledby="wins-h">
            <h2 id="wins-h">Biggest wins over the random pick</h2>
            {report.wins.length === 0 ? (
              <p className="muted">No prompt where the selected candidate beats the random pick.</p>
            ) : (
              report.wins.map((w) => (
                <details key={w.promptIndex} className="panel" style={{ marginBottom: "0.5rem" }} data-testid="win">
                  <summary>
                    Prompt {w.promptIndex + 1}: {metricLabel(report.target)} {formatValue(w.random.value)} → {formatValue(w.selected.value)}
                  </summary>
                  <p className="muted">Prompt</p>
                  <pre className="text-output" dir="auto">
                    {w.prompt}
                  </pre>
                  <p className="muted">
                    Selected (<Isolate>{w.selected.teacher}</Isolate>, sample {w.selected.sampleIndex})
                  </p>
                  <pre className="text-output" dir="auto">
                    {w.selected.output}
                  </pre>
                  <p className="muted">
                    Random pick (<Isolate>{w.random.teacher}</Isolate>, sample {w.random.sampleIndex})
                  </p>
                  <pre className="text-output" dir="auto">
                    {w.random.output}
                  </pre>
                </details>
              ))
            )}
          </section>
          <IfRole need="editor">
            <div className="grid-2">
              <section aria-labelledby="reselect-h" className="panel">
                <h2 id="reselect-h">Re-select</h2>
                <DatasetReselectForm
                  datasetId={id}
                  targets={targets}
                  current={{
                    rule: current.rule,
                    target: current.attributeVersion !== null ? `${current.target}@${current.attributeVersion}` : (current.target ?? "mtld"),
                    direction: current.direction,
                    targetValue: current.targetValue,
                  }}
                />
              </section>
              <section aria-labelledby="register-h" className="panel">
                <h2 id="register-h">Register a student trained on this dataset</h2>
                <DatasetRegisterForm
                  datasetId={id}
                  selectionId={current.id}
                  models={models.filter((m) => !teachers.some((t) => t.id === m.id))}
                  summary={`Records the derivation: ${current.rule === "best" ? `active inheritance, ${selectionLabel(current)}, k = ${ds.k}` : "passive inheritance (random pick)"}, ${teachers.length > 1 ? "multi" : "single"}-source from ${teachers.map((t) => t.name).join(", ")}.`}
                />
              </section>
            </div>
          </IfRole>
        </>
      )}
    </>
  );
}
