import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { getDatabase } from "@/lib/db/client";
import { listDatasets } from "@/lib/inheritance/datasets";
import { metricLabel } from "@/components/metric-value";
import { formatDate } from "@/lib/export/format";
import { Isolate } from "@/components/isolate";

export const metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const datasets = await listDatasets(await getDatabase());
  const newButton = (
    <IfRole need="editor">
      <Link className="button" href="/datasets/new">
        New dataset
      </Link>
    </IfRole>
  );
  return (
    <>
      <div className="page-head">
        <h1>Datasets</h1>
        {datasets.length ? newButton : null}
      </div>
      {datasets.length === 0 ? (
        <EmptyState title="No synthetic datasets yet" action={newButton}>
          A dataset holds k candidates per prompt from one or more teachers and the selection that keeps the best one for a target metric (active inheritance)
          or a random one (passive). Register the teacher models first.
        </EmptyState>
      ) : (
        <table className="data" aria-label="Datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Selection</th>
              <th>Teachers</th>
              <th className="num">Prompts</th>
              <th className="num">k</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => {
              const s = d.selections[0];
              return (
                <tr key={d.id}>
                  <td>
                    <Link href={`/datasets/${d.id}`}>
                      <Isolate>{d.name}</Isolate>
                    </Link>
                  </td>
                  <td>
                    <span className="badge">{d.status}</span>
                  </td>
                  <td>{s ? (s.rule === "best" ? `${s.direction === "min" ? "min" : "max"} ${metricLabel(s.target ?? "")}` : "random (passive)") : "—"}</td>
                  <td>
                    {d.teachers
                      .map((t) => t.teacher.name)
                      .sort()
                      .map((name, k) => (
                        <span key={name}>
                          {k ? ", " : ""}
                          <Isolate>{name}</Isolate>
                        </span>
                      ))}
                  </td>
                  <td className="num">{d._count.prompts}</td>
                  <td className="num">{d.k}</td>
                  <td>{formatDate(d.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
