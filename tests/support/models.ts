// A model registered on a test server's endpoint (chat, no credential), as the tests need it.
import type { Database } from "@/lib/db/client";
import { saveModel } from "@/lib/models/registry";
import type { TestServer } from "../server/server";

export async function addTestModel(
  db: Database,
  server: Pick<TestServer, "baseUrl">,
  name: string,
  servedModelId = "tiny-llama",
  extra: Record<string, string> = {},
): Promise<string> {
  const r = await saveModel(db, {
    name,
    baseUrl: server.baseUrl,
    servedModelId,
    credentialMode: "none",
    apiKeySecret: "",
    capChat: "on",
    concurrency: "4",
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.data.id;
}
