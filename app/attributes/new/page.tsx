import Link from "next/link";
import { AttributeForm } from "@/components/attribute-form";
import { EMPTY_ATTRIBUTE_FORM } from "@/lib/attributes/form";
import { attributeFormChoices } from "../form-data";

export const metadata = { title: "New attribute" };
export const dynamic = "force-dynamic";

export default async function NewAttributePage() {
  const { models, scorers } = await attributeFormChoices();
  return (
    <>
      <p>
        <Link href="/attributes">← Attributes</Link>
      </p>
      <h1>New attribute</h1>
      <AttributeForm id={null} initial={EMPTY_ATTRIBUTE_FORM} models={models} scorers={scorers} />
    </>
  );
}
