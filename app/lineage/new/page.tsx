import { roleRefusal } from "@/components/role-gate";
import Link from "next/link";
import { DerivationForm } from "@/components/derivation-form";
import { EmptyState } from "@/components/empty-state";
import { getDatabase } from "@/lib/db/client";
import { METRICS } from "@/lib/metrics/catalogue";
import { listModels } from "@/lib/models/registry";

export const metadata = { title: "Record a derivation" };

export default async function NewDerivationPage({ searchParams }: { searchParams: Promise<{ student?: string }> }) {
  const refusal = await roleRefusal("editor");
  if (refusal)
    return (
      <>
        <h1>New derivation</h1>
        {refusal}
      </>
    );
  const { student } = await searchParams;
  const models = await listModels(await getDatabase());
  if (models.length < 2) {
    return (
      <EmptyState
        title="Lineage needs at least two models"
        action={
          <Link className="button" href="/models/new">
            New model
          </Link>
        }
      >
        A derivation links a student to its base model and teacher(s). Register those models first.
      </EmptyState>
    );
  }
  const metrics = METRICS.filter((m) => m.perSample).map((m) => ({ id: m.id, label: m.label }));
  return (
    <>
      <p>
        <Link href={student ? `/models/${student}` : "/models"}>← Back</Link>
      </p>
      <h1>Record a derivation</h1>
      <p className="muted">
        How a student model was made: its base model, the teacher(s) whose synthetic data it was fine-tuned on, and how that data was chosen.
      </p>
      <DerivationForm models={models.map((m) => ({ id: m.id, label: m.name }))} metrics={metrics} studentId={student ?? models[0].id} />
    </>
  );
}
