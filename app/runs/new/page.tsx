import { roleRefusal } from "@/components/role-gate";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { NewRunForm } from "@/components/new-run-form";
import { QA_TEMPLATE } from "@/lib/benchmarks/templates";
import { getDatabase } from "@/lib/db/client";
import { listModels } from "@/lib/models/registry";
import { listAttributes } from "@/lib/attributes/store";

export const metadata = { title: "New run" };

export default async function NewRunPage({ searchParams }: { searchParams: Promise<{ model?: string }> }) {
  const refusal = await roleRefusal("editor");
  if (refusal)
    return (
      <>
        <h1>New run</h1>
        {refusal}
      </>
    );
  const { model } = await searchParams;
  const db = await getDatabase();
  const models = (await listModels(db)).filter((m) => m.runnable);
  const attributes = (await listAttributes(db)).map((a) => ({ name: a.name, label: `${a.name} (${a.latest.definition.kind}, v${a.latest.version})` }));
  if (models.length === 0)
    return (
      <EmptyState
        title="No model can run yet"
        action={
          <Link className="button" href="/models">
            Go to models
          </Link>
        }
      >
        A run needs a model with an endpoint: a base URL and a served model id.
      </EmptyState>
    );
  return (
    <>
      <p>
        <Link href="/runs">← Runs</Link>
      </p>
      <h1>Profile a model</h1>
      <NewRunForm
        models={models.map((m) => ({ id: m.id, label: `${m.name} — ${m.servedModelId}` }))}
        defaultModelId={model && models.some((m) => m.id === model) ? model : models[0].id}
        template={QA_TEMPLATE}
        attributes={attributes}
      />
    </>
  );
}
