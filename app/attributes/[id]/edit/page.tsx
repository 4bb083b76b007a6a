import Link from "next/link";
import { notFound } from "next/navigation";
import { AttributeForm } from "@/components/attribute-form";
import { formValuesOf } from "@/lib/attributes/form";
import { getAttribute } from "@/lib/attributes/store";
import { getDatabase } from "@/lib/db/client";
import { attributeFormChoices } from "../../form-data";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const a = await getAttribute(await getDatabase(), (await params).id);
  return { title: a ? `Edit ${a.name}` : "Attribute not found" };
}

export default async function EditAttributePage({ params }: { params: Promise<{ id: string }> }) {
  const a = await getAttribute(await getDatabase(), (await params).id);
  if (!a) notFound();
  const { models, scorers } = await attributeFormChoices();
  const latest = a.versions[0];
  return (
    <>
      <p>
        <Link href={`/attributes/${a.id}`}>← {a.name}</Link>
      </p>
      <h1>Edit {a.name}</h1>
      <p className="muted">
        Saving adds version {latest.version + 1}; version {latest.version} and the runs that used it stay as they are.
      </p>
      <AttributeForm id={a.id} initial={formValuesOf(latest)} models={models} scorers={scorers} />
    </>
  );
}
