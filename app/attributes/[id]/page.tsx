import Link from "next/link";
import { notFound } from "next/navigation";
import { describeDefinition } from "@/lib/attributes/describe";
import { DIRECTION_LABELS } from "@/lib/attributes/spec";
import { getAttribute } from "@/lib/attributes/store";
import { JudgeReliability } from "@/components/judge-reliability";
import { getDatabase } from "@/lib/db/client";
import { formatDateTime } from "@/lib/export/format";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const a = await getAttribute(await getDatabase(), (await params).id);
  return { title: a ? `${a.name} · Attributes` : "Attribute not found" };
}

export default async function AttributePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ rejudge?: string | string[] }>;
}) {
  const db = await getDatabase();
  const a = await getAttribute(db, (await params).id);
  if (!a) notFound();
  const { rejudge } = await searchParams;
  return (
    <>
      <p>
        <Link href="/attributes">← Attributes</Link>
      </p>
      <h1>{a.name}</h1>
      <p className="muted">
        Metric id <span className="mono">{a.metric}</span> · {a.versions.length} version{a.versions.length === 1 ? "" : "s"} ·{" "}
        <Link href={`/attributes/${a.id}/edit`}>Edit (adds a version)</Link>
      </p>
      {a.versions.some((v) => v.definition.kind === "judge") ? (
        <JudgeReliability db={db} attribute={a} chosen={typeof rejudge === "string" ? rejudge : undefined} />
      ) : null}
      <h2>Versions</h2>
      {a.versions.map((v) => (
        <section key={v.versionId} className="panel" aria-label={`Version ${v.version}`}>
          <h3>
            Version {v.version} <span className="muted">· {formatDateTime(v.createdAt)}</span>
          </h3>
          <dl className="facts">
            <dt>Kind</dt>
            <dd>{v.definition.kind}</dd>
            <dt>Unit</dt>
            <dd>{v.unit || "—"}</dd>
            <dt>Direction</dt>
            <dd>{v.direction === "target" ? `closest to ${v.target}` : DIRECTION_LABELS[v.direction]}</dd>
            {v.description ? (
              <>
                <dt>Description</dt>
                <dd>{v.description}</dd>
              </>
            ) : null}
            {describeDefinition(v.definition).map(([k, text]) => (
              <div key={k} style={{ display: "contents" }}>
                <dt>{k}</dt>
                <dd style={{ whiteSpace: "pre-wrap" }}>{text}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </>
  );
}
