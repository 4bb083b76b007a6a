import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { getDatabase } from "@/lib/db/client";
import { MODEL_PRESETS } from "@/lib/models/presets";
import { listModels } from "@/lib/models/registry";
import { HEADLINE_METRICS } from "@/lib/compare/profile";
import { formatDate, formatValueCi } from "@/lib/export/format";
import { latestSummary } from "@/lib/leaderboard";
import { getMetric } from "@/lib/metrics/catalogue";
import { metricLabel } from "@/components/metric-value";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Models" };

export default async function ModelsPage() {
  const db = await getDatabase();
  const [models, summary] = await Promise.all([listModels(db), latestSummary(db, HEADLINE_METRICS)]);
  const taken = new Set(models.map((m) => m.preset).filter(Boolean));
  return (
    <>
      <div className="page-head">
        <h1>Models</h1>
        <IfRole need="editor">
          <Link className="button" href="/models/new">
            New model
          </Link>
        </IfRole>
      </div>
      {models.length === 0 ? (
        <EmptyState title="No models yet">
          Register a model behind an OpenAI-compatible endpoint (vLLM, TGI, llama.cpp, Ollama or a hosted API), or start from one of the study&apos;s models
          below and add the URL where you serve it.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data" aria-label="Registered models">
            <thead>
              <tr>
                <th>Name</th>
                {summary.metrics.map((id) => (
                  <th key={id} className="num" data-metric={id} title={`${metricLabel(id)}: the latest completed result, ± half its 95 % CI`}>
                    {getMetric(id)?.shortLabel ?? metricLabel(id)}
                  </th>
                ))}
                <th>Family</th>
                <th>Size</th>
                <th>Endpoint</th>
                <th>API key</th>
                <th>Capabilities</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link href={`/models/${m.id}`}>
                      <Isolate>{m.name}</Isolate>
                    </Link>
                  </td>
                  {summary.metrics.map((id) => {
                    const c = summary.cells.get(m.id)?.[id];
                    return (
                      <td key={id} className="num" data-metric={id} title={c ? `n = ${c.n} · ${formatDate(c.finishedAt)}` : undefined}>
                        {c && c.value !== null ? (
                          <Link href={`/runs/${c.runId}`}>{formatValueCi(c.value, c.ciLow, c.ciHigh)}</Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    );
                  })}
                  <td>{m.family}</td>
                  <td>{m.size}</td>
                  <td className="mono">
                    {m.runnable ? (
                      <>
                        {m.baseUrl} <span className="muted">· {m.servedModelId}</span>
                      </>
                    ) : (
                      <span className="badge warn">needs an endpoint</span>
                    )}
                  </td>
                  <td>
                    {m.credential.kind === "secret"
                      ? m.credential.last4
                        ? `stored …${m.credential.last4}`
                        : "stored (short key)"
                      : m.credential.kind === "env"
                        ? `$${m.credential.variable}`
                        : "none"}
                  </td>
                  <td>{[m.capChat && "chat", m.capEcho && "echo logprobs", m.capEmbeddings && "embeddings"].filter(Boolean).join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {models.length && summary.metrics.length ? (
        <p className="muted small">
          Results: each model&apos;s latest completed result of the paper&apos;s headline metrics, ± half the 95 % bootstrap interval (hover for n and the
          date); every metric on the <Link href="/leaderboard">leaderboard</Link> and the model&apos;s page.
        </p>
      ) : null}
      <h2>Models of the study</h2>
      <p className="muted">
        The six models of “LLM See, LLM Do” (Shimabucoro et al., 2024) with their usual served ids. A preset needs an endpoint before it can run.
      </p>
      <ul className="preset-list" aria-label="Presets">
        {MODEL_PRESETS.map((p) => (
          <li key={p.key}>
            <strong>{p.name}</strong>
            <span className="mono muted">{p.servedModelId}</span>
            <span className="muted">{p.notes}</span>
            {taken.has(p.key) ? (
              <span className="badge good">added</span>
            ) : (
              <Link className="button secondary" href={`/models/new?preset=${p.key}`} aria-label={`Add ${p.name}`}>
                Add {p.name}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
