import { IfRole } from "@/components/role-gate";
import Link from "next/link";
import { loadAttributeMetrics } from "@/lib/attributes/store";
import { CustomMetrics } from "@/components/custom-metrics";
import { notFound } from "next/navigation";
import { DeleteModel } from "@/components/delete-model";
import { DerivationGraph } from "@/components/lineage-view";
import { CapabilityProbe } from "@/components/capability-probe";
import { TestConnection } from "@/components/test-connection";
import { z } from "zod";
import { ModelProfileView } from "@/components/model-profile";
import { modelProfile } from "@/lib/compare/profile";
import { getDatabase } from "@/lib/db/client";
import { lineageOf } from "@/lib/models/lineage";
import { describeStoredKey } from "@/lib/credentials";
import { getModel } from "@/lib/models/registry";
import { Isolate } from "@/components/isolate";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const m = await getModel(await getDatabase(), (await params).id);
  return { title: m?.name ?? "Model" };
}

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string | string[]; series?: string | string[] }>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const chosen = z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .safeParse(sp.run);
  const series = z
    .string()
    .regex(/^[a-f0-9]{12}$/)
    .safeParse(sp.series);
  const db = await getDatabase();
  const m = await getModel(db, id);
  if (!m) notFound();
  const [{ parents, children }, profile, customMetrics] = await Promise.all([
    lineageOf(db, m.id),
    modelProfile(db, m.id, { runId: chosen.success ? chosen.data : undefined, series: series.success ? series.data : undefined }),
    loadAttributeMetrics(db),
  ]);
  // One-click comparisons from the lineage: each derivation this model takes part in, laid out automatically.
  const compareWith = [...parents, ...children].map((d) => ({
    href: `/compare?lineage=${d.id}`,
    label: `${d.base?.name ?? "?"} → ${d.student.name} ← ${d.teachers.map((t) => t.name).join(", ")}`,
  }));
  return (
    <>
      <p>
        <Link href="/models">← Models</Link>
      </p>
      <div className="page-head">
        <h1>
          <Isolate>{m.name}</Isolate>
        </h1>
        <div className="actions">
          <IfRole need="editor">
            {m.runnable ? (
              <Link className="button" href={`/runs/new?model=${m.id}`}>
                Profile this model
              </Link>
            ) : null}
            <Link className="button secondary" href={`/models/${m.id}/edit`}>
              Edit
            </Link>
          </IfRole>
          <IfRole need="admin">
            <DeleteModel modelId={m.id} name={m.name} />
          </IfRole>
        </div>
      </div>
      <div className="grid-2">
        <section className="panel" aria-labelledby="endpoint-h">
          <h2 id="endpoint-h" style={{ marginTop: 0 }}>
            Endpoint
          </h2>
          <dl className="facts">
            <dt>Family</dt>
            <dd>{m.family || "—"}</dd>
            <dt>Size</dt>
            <dd>{m.size || "—"}</dd>
            <dt>Base URL</dt>
            <dd className="mono">{m.baseUrl ?? <span className="badge warn">not set: add one before running</span>}</dd>
            <dt>Served model id</dt>
            <dd className="mono">{m.servedModelId ?? "—"}</dd>
            <dt>API key</dt>
            <dd data-testid="credential">
              {m.credential.kind === "secret" ? (
                <>stored encrypted, {describeStoredKey(m.credential.last4)}</>
              ) : m.credential.kind === "env" ? (
                <>
                  from <code>${m.credential.variable}</code>{" "}
                  {m.credential.isSet ? null : <span className="badge bad">no usable key: unset for this server, or not an allowed key variable</span>}
                </>
              ) : (
                "none"
              )}
            </dd>
            <dt>Capabilities</dt>
            <dd>
              {[m.capChat && "chat / generation", m.capEcho && "completions with echo + logprobs", m.capEmbeddings && "embeddings"]
                .filter(Boolean)
                .join(" · ") || "none declared"}
            </dd>
            {m.embeddings ? (
              <>
                <dt>Embeddings (SEAT)</dt>
                <dd data-testid="embeddings-model">
                  <span className="mono">{m.embeddings.modelId}</span>
                  {m.embeddings.baseUrl ? <span className="muted"> at {m.embeddings.baseUrl}</span> : null}
                  {m.embeddings.apiKeyEnv ? <span className="muted"> (key from {m.embeddings.apiKeyEnv})</span> : null}
                </dd>
              </>
            ) : null}
            <dt>Concurrency</dt>
            <dd>{m.concurrency}</dd>
            {m.preset ? (
              <>
                <dt>Preset</dt>
                <dd>{m.preset}</dd>
              </>
            ) : null}
          </dl>
          {m.notes ? (
            <p className="text-output" dir="auto">
              {m.notes}
            </p>
          ) : null}
          <IfRole need="editor">
            <div style={{ marginTop: "1rem" }}>{m.runnable ? <TestConnection modelId={m.id} /> : null}</div>
            {m.runnable ? (
              <div style={{ marginTop: "1rem" }}>
                <CapabilityProbe modelId={m.id} probe={m.probe} probedAt={m.probedAt} />
              </div>
            ) : null}
          </IfRole>
        </section>
        <section className="panel" aria-labelledby="lineage-h">
          <div className="page-head">
            <h2 id="lineage-h" style={{ marginTop: 0 }}>
              Lineage
            </h2>
            <Link className="button secondary" href={`/lineage/new?student=${m.id}`}>
              Record how it was made
            </Link>
          </div>
          <h3>Parents</h3>
          {parents.length === 0 ? (
            <p className="muted">No derivation recorded: this is a base model, or record its base and teachers.</p>
          ) : (
            parents.map((d) => <DerivationGraph key={d.id} d={d} self={m.id} />)
          )}
          <h3>Children</h3>
          {children.length === 0 ? (
            <p className="muted">No model derives from this one yet.</p>
          ) : (
            <div style={{ display: "grid", gap: "0.5rem" }}>
              {children.map((d) => (
                <DerivationGraph key={d.id} d={d} self={m.id} />
              ))}
            </div>
          )}
        </section>
      </div>
      <CustomMetrics defs={customMetrics} />
      <ModelProfileView modelId={m.id} profile={profile} compareWith={compareWith} />
    </>
  );
}
