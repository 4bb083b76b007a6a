import { roleRefusal } from "@/components/role-gate";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ModelForm } from "@/components/model-form";
import { getDatabase } from "@/lib/db/client";
import { getModel } from "@/lib/models/registry";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const m = await getModel(await getDatabase(), (await params).id);
  return { title: m ? `Edit ${m.name}` : "Model" };
}

export default async function EditModelPage({ params }: { params: Promise<{ id: string }> }) {
  const refusal = await roleRefusal("editor");
  if (refusal)
    return (
      <>
        <h1>Edit model</h1>
        {refusal}
      </>
    );
  const { id } = await params;
  const m = await getModel(await getDatabase(), id);
  if (!m) notFound();
  return (
    <>
      <p>
        <Link href={`/models/${m.id}`}>← {m.name}</Link>
      </p>
      <h1>Edit {m.name}</h1>
      <ModelForm
        id={m.id}
        initial={{
          name: m.name,
          family: m.family,
          size: m.size,
          preset: m.preset ?? "",
          baseUrl: m.baseUrl ?? "",
          servedModelId: m.servedModelId ?? "",
          credentialMode: m.credential.kind,
          apiKeyEnv: m.credential.kind === "env" ? m.credential.variable : "",
          secretLast4: m.credential.kind === "secret" ? m.credential.last4 : null,
          capChat: m.capChat,
          capEcho: m.capEcho,
          capEmbeddings: m.capEmbeddings,
          concurrency: m.concurrency,
          notes: m.notes,
          embeddingsModelId: m.embeddings && m.embeddings.modelId !== m.servedModelId ? m.embeddings.modelId : "",
          embeddingsBaseUrl: m.embeddings?.baseUrl ?? "",
          embeddingsApiKeyEnv: m.embeddings?.apiKeyEnv ?? "",
        }}
      />
    </>
  );
}
