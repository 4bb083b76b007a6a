"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { enforce } from "@/lib/access/roles";
import { formAction, reportAction, type FormState } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { recordId } from "@/lib/forms";
import { createDerivation } from "@/lib/models/lineage";
import { deleteModel, getModelRow, saveModel } from "@/lib/models/registry";
import { testConnection, type ConnectionReport } from "@/lib/models/connection";

export type { ConnectionReport, FormState };

const gone = "This model no longer exists.";

/**
 * Creates a model, or saves the one named by the form's hidden `id` (storing a new API key needs an admin). The model's fields are validated by saveModel
 * (lib/models/registry.ts), which the CLI shares.
 */
export const saveModelAction = formAction(
  z.object({ id: recordId.optional() }),
  async ({ id }, { raw }) => {
    // Storing a key is an admin's (issue 14's roles); an editor may name a key variable or keep the stored key.
    if (raw.credentialMode === "secret" && typeof raw.apiKeySecret === "string" && raw.apiKeySecret.trim()) await enforce("admin");
    const { id: _id, ...fields } = raw;
    const result = await saveModel(await getDatabase(), fields, id);
    if (!result.ok) return result;
    revalidatePath("/models");
    redirect(`/models/${result.data.id}`);
  },
  { requires: "editor", invalid: gone, audit: { action: (i) => (i.id ? "model.update" : "model.create") } },
);

export const deleteModelAction = formAction(
  z.object({ id: recordId }),
  async ({ id }) => {
    const result = await deleteModel(await getDatabase(), id);
    if (!result.ok) return result;
    revalidatePath("/models");
    redirect("/models");
  },
  { requires: "admin", invalid: gone, audit: "model.delete" },
);

export const testConnectionAction = reportAction(
  z.object({ id: recordId }),
  async ({ id }): Promise<ConnectionReport> => {
    const model = await getModelRow(await getDatabase(), id);
    return model ? testConnection(model) : { ok: false, message: gone };
  },
  { requires: "editor", invalid: gone, audit: "model.test_connection" },
);

/** Records how a student was made; the derivation's fields are validated by createDerivation (lib/models/lineage.ts). */
export const createDerivationAction = formAction(
  z.object({}),
  async (_input, { raw }) => {
    const result = await createDerivation(await getDatabase(), raw);
    if (!result.ok) return result;
    const student = typeof raw.studentId === "string" ? raw.studentId : "";
    revalidatePath("/models");
    redirect(`/models/${student}`);
  },
  // The subject is the student (the page it goes to).
  { requires: "editor", audit: { action: "derivation.create", subject: "model" } },
);
