import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { FamilyTree } from "@/components/family-tree";
import { getDatabase } from "@/lib/db/client";
import { getMetric } from "@/lib/metrics/catalogue";
import { familyTree, metricsWithValues } from "@/lib/models/family-tree-data";

export const metadata = { title: "Family tree" };

export default async function FamilyTreePage({ searchParams }: { searchParams: Promise<{ metric?: string }> }) {
  const sp = await searchParams;
  const db = await getDatabase();
  const metrics = await metricsWithValues(db);
  const metric = sp.metric && getMetric(sp.metric) ? sp.metric : metrics.includes("mtld") ? "mtld" : (metrics[0] ?? null);
  const layout = await familyTree(db, metric);
  return (
    <>
      <div className="page-head">
        <h1>Family tree</h1>
        <IfRole need="editor">
          <div className="actions">
            <Link className="button secondary" href="/lineage/new">
              Record a derivation
            </Link>
          </div>
        </IfRole>
      </div>
      {layout.nodes.length === 0 ? (
        <EmptyState
          title="No lineage recorded yet"
          action={
            <Link className="button" href="/lineage/new">
              Record a derivation
            </Link>
          }
        >
          Record how a student was made (its base model, teachers, method and dataset) to see the family tree here.
        </EmptyState>
      ) : (
        <>
          <form method="get" className="actions" aria-label="Colour the tree">
            <label htmlFor="f-metric">Colour by</label>
            <select id="f-metric" name="metric" defaultValue={metric ?? ""}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {getMetric(m)?.label ?? m}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              Show
            </button>
            <a className="button secondary" href={`/api/lineage/figure?format=svg${metric ? `&metric=${encodeURIComponent(metric)}` : ""}`} download>
              Download SVG
            </a>
            <a className="button secondary" href={`/api/lineage/figure?format=pdf${metric ? `&metric=${encodeURIComponent(metric)}` : ""}`} download>
              Download PDF
            </a>
          </form>
          <div className="figure-scroll" style={{ overflowX: "auto" }}>
            <FamilyTree layout={layout} />
          </div>
          <p className="muted">
            {layout.nodes.length} models in {new Set(layout.edges.map((e) => e.derivationId)).size} derivations
            {layout.unconnected ? ` · ${layout.unconnected} model${layout.unconnected === 1 ? "" : "s"} without recorded lineage not shown` : ""}. Click a model
            for its page, an edge for the lineage comparison.
          </p>
        </>
      )}
    </>
  );
}
