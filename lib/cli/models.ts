// `lineage models add|list`
import { listModels, saveModel } from "@/lib/models/registry";
import { stringOption } from "./args";
import { cliAudit, withDatabase } from "./database";
import { UsageError } from "./io";
import type { Action } from "./program";

const FLAG_OF: Record<string, string> = {
  name: "--name",
  baseUrl: "--base-url",
  servedModelId: "--model-id",
  apiKeyEnv: "--api-key-env",
  concurrency: "--concurrency",
  embeddingsModelId: "--embeddings-model-id",
  embeddingsBaseUrl: "--embeddings-base-url",
  embeddingsApiKeyEnv: "--embeddings-api-key-env",
};

export const addModelAction: Action = async (opts, _args, io) => {
  const values = {
    name: stringOption(opts.name),
    "base-url": stringOption(opts.baseUrl),
    "model-id": stringOption(opts.modelId),
    "api-key-env": stringOption(opts.apiKeyEnv),
    concurrency: stringOption(opts.concurrency),
    family: stringOption(opts.family),
    embeddingsModelId: stringOption(opts.embeddingsModelId),
    embeddingsBaseUrl: stringOption(opts.embeddingsBaseUrl),
    embeddingsApiKeyEnv: stringOption(opts.embeddingsApiKeyEnv),
    size: stringOption(opts.size),
    json: opts.json === true,
  };
  const input = {
    name: String(values.name),
    baseUrl: String(values["base-url"]),
    servedModelId: String(values["model-id"]),
    credentialMode: values["api-key-env"] ? "env" : "none",
    apiKeyEnv: values["api-key-env"] ?? "",
    apiKeySecret: "",
    family: values.family ?? "",
    size: values.size ?? "",
    capChat: true,
    concurrency: values.concurrency ?? "8",
    embeddingsModelId: values.embeddingsModelId ?? "",
    embeddingsBaseUrl: values.embeddingsBaseUrl ?? "",
    embeddingsApiKeyEnv: values.embeddingsApiKeyEnv ?? "",
  };
  return withDatabase(async (db) => {
    const r = await saveModel(db, input);
    if (!r.ok) {
      const [field, message] = Object.entries(r.fieldErrors)[0] ?? ["", r.formError ?? "invalid input"];
      throw new UsageError(`${FLAG_OF[field] ?? field}: ${message}`);
    }
    await cliAudit(db, { action: "model.create", subjectType: "model", subjectId: r.data.id, detail: { name: r.data.name } });
    io.stdout.write(values.json ? JSON.stringify({ id: r.data.id, name: r.data.name }) + "\n" : `added model ${r.data.name} (${r.data.id})\n`);
    return 0;
  });
};

export const listModelsAction: Action = async (opts, _args, io) => {
  const values = { json: opts.json === true };
  return withDatabase(async (db) => {
    const models = await listModels(db);
    if (values.json) {
      io.stdout.write(JSON.stringify(models) + "\n");
    } else if (models.length === 0) {
      io.stdout.write("no models yet: lineage models add --name … --base-url … --model-id …\n");
    } else {
      for (const m of models) io.stdout.write(`${m.id}  ${m.name}  ${m.baseUrl ?? "(no endpoint)"}  ${m.servedModelId ?? ""}\n`);
    }
    return 0;
  });
};
