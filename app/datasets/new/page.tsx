import { roleRefusal } from "@/components/role-gate";
import Link from "next/link";
import { DatasetForm } from "@/components/dataset-form";
import { EmptyState } from "@/components/empty-state";
import { QA_TEMPLATE } from "@/lib/benchmarks/templates";
import { getDatabase } from "@/lib/db/client";
import { teacherChoices } from "@/lib/inheritance/spec";
import { datasetTargetOptions } from "@/lib/inheritance/datasets";
import { resolveDatasetScorer } from "@/lib/inheritance/toxicity";

export const metadata = { title: "New dataset" };

export default async function NewDatasetPage() {
  const refusal = await roleRefusal("editor");
  if (refusal)
    return (
      <>
        <h1>New dataset</h1>
        {refusal}
      </>
    );
  const db = await getDatabase();
  const models = await teacherChoices(db);
  const scorer = await resolveDatasetScorer(db);
  if (models.length === 0)
    return (
      <EmptyState
        title="No teacher models yet"
        action={
          <Link className="button" href="/models/new">
            Add a model
          </Link>
        }
      >
        A dataset draws its candidates from teacher models behind OpenAI-compatible endpoints.
      </EmptyState>
    );
  return (
    <>
      <p>
        <Link href="/datasets">← Datasets</Link>
      </p>
      <h1>Build a synthetic dataset</h1>
      <p className="muted">
        For each prompt, k candidates from each teacher are generated and scored; the selection keeps the best one by the target metric (active inheritance) or
        a random one (passive). All candidates are stored, so a different target can be selected later without new requests.
      </p>
      <DatasetForm
        teachers={models.map((m) => ({ id: m.id, label: m.servedModelId ? `${m.name} — ${m.servedModelId}` : m.name, problem: m.problem }))}
        targets={await datasetTargetOptions(db, { scorer: !!scorer.config })}
        qaTemplate={QA_TEMPLATE}
      />
      <p className="muted">
        {scorer.config
          ? `Toxicity targets are scored by ${scorer.config.name} (${scorer.config.kind}, ${scorer.config.qps} requests/s).`
          : scorer.error
            ? `Toxicity targets are unavailable: ${scorer.error}`
            : "Toxicity targets need a toxicity scorer: set LINEAGE_SCORER (perspective, moderation or http) or add a scorer."}
      </p>
    </>
  );
}
