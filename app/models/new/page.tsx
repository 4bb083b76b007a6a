import { roleRefusal } from "@/components/role-gate";
import Link from "next/link";
import { ModelForm } from "@/components/model-form";
import { getPreset } from "@/lib/models/presets";

export const metadata = { title: "New model" };

export default async function NewModelPage({ searchParams }: { searchParams: Promise<{ preset?: string }> }) {
  const refusal = await roleRefusal("editor");
  if (refusal)
    return (
      <>
        <h1>New model</h1>
        {refusal}
      </>
    );
  const { preset: key } = await searchParams;
  const preset = key ? getPreset(key) : undefined;
  return (
    <>
      <p>
        <Link href="/models">← Models</Link>
      </p>
      <h1>{preset ? `Add ${preset.name}` : "New model"}</h1>
      {preset ? <p className="muted">Preset of the study. Add the base URL of the server that serves it (and its API key, if any).</p> : null}
      <ModelForm
        id={null}
        initial={{
          name: preset?.name ?? "",
          family: preset?.family ?? "",
          size: preset?.size ?? "",
          preset: preset?.key ?? "",
          baseUrl: "",
          servedModelId: preset?.servedModelId ?? "",
          credentialMode: "none",
          apiKeyEnv: "",
          secretLast4: null,
          capChat: true,
          capEcho: false,
          capEmbeddings: false,
          concurrency: 8,
          notes: preset?.notes ?? "",
          embeddingsModelId: "",
          embeddingsBaseUrl: "",
          embeddingsApiKeyEnv: "",
        }}
      />
    </>
  );
}
