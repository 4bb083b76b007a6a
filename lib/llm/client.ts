// One OpenAI client per (base URL, credential), reused by every call: building a client per request would
// cost allocations and, worse, defeat connection reuse. The package's own retries are off (our policy rules)
// and its logger is silent (it must never print a credential).

import OpenAI from "openai";
import { normalizeBaseUrl, type Endpoint } from "./endpoint";
import { withOpenAiErrorShape } from "./error-body";
import { nodeFetch } from "./node-fetch";

const clients = new Map<string, OpenAI>();

export function clientFor(endpoint: Pick<Endpoint, "baseUrl" | "apiKey">): OpenAI {
  const baseURL = normalizeBaseUrl(endpoint.baseUrl);
  const key = `${baseURL}\u0000${endpoint.apiKey ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    client = new OpenAI({
      baseURL,
      // The package insists on a key; without one we send no Authorization header at all.
      apiKey: endpoint.apiKey || "no-key",
      defaultHeaders: endpoint.apiKey ? undefined : { Authorization: null },
      maxRetries: 0,
      logLevel: "off",
      // node:http with keep-alive agents: far less CPU per request than the global fetch (see node-fetch.ts).
      // Engines' error bodies are rewritten into OpenAI's shape so that the server's own message survives.
      fetch: withOpenAiErrorShape(nodeFetch),
    });
    clients.set(key, client);
  }
  return client;
}

/** Forget cached clients (tests; after a credential rotation the new key simply gets a new entry). */
export function clearClientCache(): void {
  clients.clear();
}
