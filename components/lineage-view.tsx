import Link from "next/link";
import type { DerivationView, ModelRef } from "@/lib/models/lineage";
import { getMetric } from "@/lib/metrics/catalogue";
import { Isolate } from "./isolate";

function Node({ m, self }: { m: ModelRef | null; self?: string }) {
  if (!m) return <div className="lineage-node muted">—</div>;
  return (
    <div className={`lineage-node${m.id === self ? " self" : ""}`}>
      {m.id === self ? (
        <Isolate>{m.name}</Isolate>
      ) : (
        <Link href={`/models/${m.id}`}>
          <Isolate>{m.name}</Isolate>
        </Link>
      )}
    </div>
  );
}

export function describeMethod(d: DerivationView): string {
  if (d.method === "passive") return `passive inheritance${d.selection === "multi" ? " (multi-source)" : ""}`;
  const metric = d.targetMetric ? getMetric(d.targetMetric) : undefined;
  const label = metric ? (metric.shortLabel ?? metric.label) : (d.targetMetric ?? "?");
  return `active: ${d.direction === "min" ? "minimise" : "maximise"} ${label}, best of k = ${d.k ?? "?"}, ${d.selection ?? "single"}-source`;
}

/** One derivation as a small graph: base → student ← teacher(s). */
export function DerivationGraph({ d, self }: { d: DerivationView; self: string }) {
  return (
    <div className="panel" data-testid="derivation">
      <div
        className="lineage-graph"
        role="group"
        aria-label={`${d.student.name} derives from ${d.base?.name ?? "an unrecorded base"} with teachers ${d.teachers.map((t) => t.name).join(", ")}`}
      >
        <div>
          <div className="muted" style={{ fontSize: "0.8rem" }}>
            base
          </div>
          <Node m={d.base} self={self} />
        </div>
        <span aria-hidden="true">→</span>
        <div>
          <div className="muted" style={{ fontSize: "0.8rem" }}>
            student
          </div>
          <Node m={d.student} self={self} />
        </div>
        <span aria-hidden="true">←</span>
        <div>
          <div className="muted" style={{ fontSize: "0.8rem" }}>
            teacher{d.teachers.length > 1 ? "s" : ""}
          </div>
          <div style={{ display: "grid", gap: "0.25rem" }}>
            {d.teachers.map((t) => (
              <Node key={t.id} m={t} self={self} />
            ))}
          </div>
        </div>
      </div>
      <p className="muted" style={{ margin: "0.5rem 0 0" }}>
        {describeMethod(d)}
        {d.dataset ? (
          <>
            {" · dataset "}
            <Link href={`/datasets/${d.dataset.id}`}>
              <Isolate>{d.dataset.name}</Isolate>
            </Link>
          </>
        ) : d.datasetLabel ? (
          <>
            {" · dataset: "}
            <Isolate>{d.datasetLabel}</Isolate>
          </>
        ) : null}
        {d.notes ? (
          <>
            {" · "}
            <Isolate>{d.notes}</Isolate>
          </>
        ) : null}
      </p>
    </div>
  );
}
