import { EmptyState } from "@/components/empty-state";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const db = await getDb();
  const datasets = await db.dataset.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
  return (
    <>
      <h1>Datasets</h1>
      {datasets.length === 0 ? (
        <EmptyState title="No synthetic datasets yet">
          A dataset holds k candidates per prompt from one or more teachers and the selection that keeps the best one
          for a target metric (active inheritance) or a random one (passive). Register the teacher models first.
        </EmptyState>
      ) : (
        <table className="data" aria-label="Datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th className="num">k</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>
                  <span className="badge">{d.status}</span>
                </td>
                <td className="num">{d.k}</td>
                <td>{d.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
