"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { reportAction } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { recordId } from "@/lib/forms";
import type { Capabilities } from "@/lib/llm/probe";
import { endpointOf, getModelRow } from "@/lib/models/registry";
import { probeAndStore } from "@/lib/runs/capabilities";

export type ProbeReport = { ok: true; probe: Capabilities; probedAt: string } | { ok: false; message: string };

/**
 * Probes the model's endpoint (generation, echo log-likelihood, embeddings, n) and stores the result on the model.
 * A model without an endpoint or a usable key is said as the report's message (their errors' user messages).
 */
export const probeCapabilitiesAction = reportAction(
  z.object({ id: recordId }),
  async ({ id }): Promise<ProbeReport> => {
    const db = await getDatabase();
    const model = await getModelRow(db, id);
    if (!model) return { ok: false, message: "This model no longer exists." };
    const probe = await probeAndStore(db, model.id, endpointOf(model));
    revalidatePath(`/models/${model.id}`);
    return { ok: true, probe, probedAt: new Date().toISOString() };
  },
  { requires: "editor", invalid: "This model no longer exists.", audit: "model.probe" },
);
