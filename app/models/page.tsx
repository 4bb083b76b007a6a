import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { getDatabase } from "@/lib/db/client";
import { MODEL_PRESETS } from "@/lib/models/presets";
import { listModels } from "@/lib/models/registry";

export const metadata = { title: "Models" };

export default async function ModelsPage() {
  const models = await listModels(await getDatabase());
  const taken = new Set(models.map((m) => m.preset).filter(Boolean));
  return (
    <>
      <div className="page-head">
        <h1>Models</h1>
        <Link className="button" href="/models/new">
          New model
        </Link>
      </div>
      {models.length === 0 ? (
        <EmptyState title="No models yet">
          Register a model behind an OpenAI-compatible endpoint (vLLM, TGI, llama.cpp, Ollama or a hosted API), or start from one of the study&apos;s models
          below and add the URL where you serve it.
        </EmptyState>
      ) : (
        <table className="data" aria-label="Registered models">
          <thead>
            <tr>
              <th>Name</th>
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
                  <Link href={`/models/${m.id}`}>{m.name}</Link>
                </td>
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
      )}
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
