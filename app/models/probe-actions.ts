"use server";
import { revalidatePath } from "next/cache";
import { CredentialError } from "@/lib/credentials";
import { getDatabase } from "@/lib/db/client";
import { postedId } from "@/lib/forms";
import type { Capabilities } from "@/lib/llm/probe";
import { endpointOf, EndpointNotConfiguredError, getModelRow } from "@/lib/models/registry";
import { probeAndStore } from "@/lib/runs/capabilities";

export type ProbeReport = { ok: true; probe: Capabilities; probedAt: string } | { ok: false; message: string };

/** Probes the model's endpoint (generation, echo log-likelihood, embeddings, n) and stores the result on the model. */
export async function probeCapabilitiesAction(_prev: ProbeReport | null, form: FormData): Promise<ProbeReport> {
  const id = postedId(form);
  const db = await getDatabase();
  const model = id ? await getModelRow(db, id) : null;
  if (!model) return { ok: false, message: "This model no longer exists." };
  let endpoint;
  try {
    endpoint = endpointOf(model);
  } catch (err) {
    if (err instanceof EndpointNotConfiguredError || err instanceof CredentialError) return { ok: false, message: err.message };
    throw err;
  }
  const probe = await probeAndStore(db, model.id, endpoint);
  revalidatePath(`/models/${model.id}`);
  return { ok: true, probe, probedAt: new Date().toISOString() };
}
