// "Test connection": ask the endpoint for its model list and say what it found or why it failed.
import type { Model } from "@/lib/generated/prisma/client";
import { CredentialError } from "@/lib/credentials";
import { listServedModels, singleModelEngine } from "@/lib/llm/probe";
import { endpointOf, EndpointNotConfiguredError } from "./registry";

export interface ConnectionReport {
  ok: boolean;
  message: string;
  servedModels?: string[];
  /** Whether the configured served model id is among the served ones. */
  modelFound?: boolean;
}

export async function testConnection(model: Model): Promise<ConnectionReport> {
  let endpoint: ReturnType<typeof endpointOf>;
  try {
    endpoint = endpointOf(model);
  } catch (err) {
    if (err instanceof EndpointNotConfiguredError || err instanceof CredentialError) return { ok: false, message: err.message };
    throw err;
  }
  try {
    const entries = await listServedModels({ ...endpoint, timeoutMs: 10_000, maxRetries: 0 });
    const served = entries.map((m) => m.id);
    const found = served.includes(endpoint.modelId);
    const single = found ? null : singleModelEngine(entries);
    if (single)
      return {
        ok: true,
        servedModels: served,
        modelFound: false,
        message: `Connected: ${endpoint.baseUrl} is a ${single} server with one model, "${served[0]}"; it ignores the model id in requests, so "${endpoint.modelId}" reaches that model. (Name it "${served[0]}" to match; see docs/engines.md.)`,
      };
    return {
      ok: found,
      servedModels: served,
      modelFound: found,
      message: found
        ? `Connected: ${endpoint.baseUrl} serves ${endpoint.modelId}.`
        : `Connected to ${endpoint.baseUrl}, but it does not serve "${endpoint.modelId}". It serves: ${served.slice(0, 20).join(", ") || "(no models listed)"}.`,
    };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
