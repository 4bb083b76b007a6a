import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "Runs" };

export default async function RunsPage() {
  const db = await getDb();
  const [runs, runnable] = await Promise.all([
    db.run.findMany({ orderBy: { createdAt: "desc" }, take: 200, include: { model: { select: { id: true, name: true } } } }),
    db.model.count({ where: { baseUrl: { not: null }, servedModelId: { not: null } } }),
  ]);
  return (
    <>
      <h1>Runs</h1>
      {runs.length === 0 ? (
        <EmptyState
          title="No runs yet"
          action={runnable === 0 ? <Link className="button" href="/models">Register a model</Link> : undefined}
        >
          A run profiles one model with a suite of benchmarks.{" "}
          {runnable === 0
            ? "First register a model with an OpenAI-compatible endpoint (base URL and served model id)."
            : "Profile a model from the command line (see the README) or import existing generations."}
        </EmptyState>
      ) : (
        <table className="data" aria-label="Runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Model</th>
              <th>Status</th>
              <th>Source</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td className="mono">{r.name || r.id}</td>
                <td>
                  <Link href={`/models/${r.model.id}`}>{r.model.name}</Link>
                </td>
                <td>
                  <span className="badge">{r.status}</span>
                </td>
                <td>{r.source}</td>
                <td>{r.createdAt.toISOString().replace("T", " ").slice(0, 16)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
