// "Test connection": ask the endpoint for its model list and say what it found or why it failed.
import type { Model } from "@/lib/generated/prisma/client";
import { CredentialError } from "@/lib/credentials";
import { listModels } from "@/lib/llm/probe";
import { endpointOf, EndpointNotConfiguredError } from "./registry";

export interface ConnectionReport {
  ok: boolean;
  message: string;
  servedModels?: string[];
  /** Whether the configured served model id is among the served ones. */
  modelFound?: boolean;
}

export async function testConnection(model: Model): Promise<ConnectionReport> {
  let endpoint;
  try {
    endpoint = endpointOf(model);
  } catch (err) {
    if (err instanceof EndpointNotConfiguredError || err instanceof CredentialError)
      return { ok: false, message: err.message };
    throw err;
  }
  try {
    const served = await listModels({ ...endpoint, timeoutMs: 10_000, maxRetries: 0 });
    const found = served.includes(endpoint.modelId);
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
