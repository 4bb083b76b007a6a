import { roleRefusal } from "@/components/role-gate";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { ImportGenerationsForm, ImportToolkitForm } from "@/components/import-form";
import { getDatabase } from "@/lib/db/client";
import { listModels } from "@/lib/models/registry";
import { listAttributes } from "@/lib/attributes/store";

export const metadata = { title: "Import results" };

export default async function ImportPage() {
  const refusal = await roleRefusal("editor");
  if (refusal)
    return (
      <>
        <h1>Import</h1>
        {refusal}
      </>
    );
  const db = await getDatabase();
  const models = await listModels(db);
  const attributes = (await listAttributes(db)).filter((a) => a.latest.definition.kind === "lexicon").map((a) => a.name);
  if (models.length === 0)
    return (
      <EmptyState
        title="Register the model first"
        action={
          <Link className="button" href="/models/new">
            New model
          </Link>
        }
      >
        Imported generations become a run of a model.
      </EmptyState>
    );
  return (
    <>
      <p>
        <Link href="/runs">← Runs</Link>
      </p>
      <h1>Import generations</h1>
      <p className="muted">
        Outputs you already have become a run whose textual metrics are computed here. A malformed file is rejected with the line that fails; nothing is
        half-imported.
      </p>
      <ImportGenerationsForm models={models.map((m) => ({ id: m.id, label: m.name }))} attributes={attributes} />
      <h2>Import the paper toolkit&apos;s results</h2>
      <p className="muted">
        The files that for-ai/llm-profiling-toolkit writes to results/profiling/&lt;experiment&gt;/ become one run of a model, marked as imported, with every
        metric the files allow. A file that does not match is rejected with its name and what failed; nothing is half-imported.
      </p>
      <ImportToolkitForm models={models.map((m) => ({ id: m.id, label: m.name }))} />
    </>
  );
}
