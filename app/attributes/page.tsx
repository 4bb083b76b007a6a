import Link from "next/link";
import { listAttributes } from "@/lib/attributes/store";
import { DIRECTION_LABELS } from "@/lib/attributes/spec";
import { getDatabase } from "@/lib/db/client";

export const metadata = { title: "Attributes" };
export const dynamic = "force-dynamic";

export default async function AttributesPage() {
  const attributes = await listAttributes(await getDatabase());
  return (
    <>
      <h1>Custom attributes</h1>
      <p className="muted">
        Your own metrics — an LLM judge&apos;s rubric, a classifier&apos;s score, a lexicon — profiled, compared and steered like the built-in ones (see
        docs/attributes.md). Editing one adds a version; runs and datasets record the version they used.
      </p>
      <p>
        <Link href="/attributes/new">New attribute</Link>
      </p>
      {attributes.length ? (
        <table className="data" aria-label="Attributes">
          <thead>
            <tr>
              <th>Name</th>
              <th>Metric id</th>
              <th>Kind</th>
              <th>Unit</th>
              <th>Direction</th>
              <th className="num">Versions</th>
            </tr>
          </thead>
          <tbody>
            {attributes.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/attributes/${a.id}`}>{a.name}</Link>
                </td>
                <td className="mono">{a.metric}</td>
                <td>{a.latest.definition.kind}</td>
                <td>{a.latest.unit}</td>
                <td>{a.latest.direction === "target" ? `closest to ${a.latest.target}` : DIRECTION_LABELS[a.latest.direction]}</td>
                <td className="num">{a.versions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No attribute defined yet.</p>
      )}
    </>
  );
}
