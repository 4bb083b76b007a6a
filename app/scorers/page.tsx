import { IfRole } from "@/components/role-gate";
import { ScorerActions, ScorerForm } from "@/components/scorer-form";
import { getDatabase } from "@/lib/db/client";
import { scorerFromEnv } from "@/lib/scorers/config";
import { listScorers } from "@/lib/scorers/registry";

export const metadata = { title: "Toxicity scorers" };
export const dynamic = "force-dynamic";

function envScorer(): string {
  try {
    const s = scorerFromEnv();
    return s ? `${s.kind} at ${s.url}, ${s.qps} requests/s, key from ${s.apiKeyEnv ? `$${s.apiKeyEnv}` : "nowhere"}` : "none (LINEAGE_SCORER is not set)";
  } catch (err) {
    return `misconfigured: ${(err as Error).message}`;
  }
}

export default async function ScorersPage() {
  const scorers = await listScorers(await getDatabase());
  return (
    <>
      <h1>Toxicity scorers</h1>
      <p className="muted">
        RealToxicityPrompts continuations are scored by the scorer chosen on the new-run form, else by the environment&apos;s: {envScorer()}.
      </p>
      {scorers.length ? (
        <table className="data" aria-label="Scorers">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>URL</th>
              <th className="num">Requests/s</th>
              <th>Key</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {scorers.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.kind}</td>
                <td className="mono">{s.url}</td>
                <td className="num">{s.qps}</td>
                <td>{s.credential}</td>
                <td>
                  <IfRole need="admin">
                    <ScorerActions id={s.id} />
                  </IfRole>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No scorer configured here yet.</p>
      )}
      <IfRole need="admin">
        <h2>Add a scorer</h2>
        <ScorerForm />
      </IfRole>
    </>
  );
}
