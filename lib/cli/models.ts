// `lineage models add|list`
import { listModels, saveModel } from "@/lib/models/registry";
import { parseCommandArgs, requireOption } from "./args";
import { withDatabase } from "./database";
import { type Command, UsageError } from "./io";

const USAGE =
  "usage: lineage models add --name <name> --base-url <url> --model-id <served id> [--api-key-env <VAR>] [--concurrency <n>] | lineage models list [--json]";

const FLAG_OF: Record<string, string> = { name: "--name", baseUrl: "--base-url", servedModelId: "--model-id", apiKeyEnv: "--api-key-env", concurrency: "--concurrency" };

export const modelsCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === "add") {
    const { values } = parseCommandArgs(
      rest,
      {
        name: { type: "string" },
        "base-url": { type: "string" },
        "model-id": { type: "string" },
        "api-key-env": { type: "string" },
        concurrency: { type: "string" },
        family: { type: "string" },
        size: { type: "string" },
        json: { type: "boolean" },
      },
      USAGE,
    );
    const input = {
      name: requireOption(values.name, "name", USAGE),
      baseUrl: requireOption(values["base-url"], "base-url", USAGE),
      servedModelId: requireOption(values["model-id"], "model-id", USAGE),
      credentialMode: values["api-key-env"] ? "env" : "none",
      apiKeyEnv: values["api-key-env"] ?? "",
      apiKeySecret: "",
      family: values.family ?? "",
      size: values.size ?? "",
      capChat: true,
      concurrency: values.concurrency ?? "8",
    };
    return withDatabase(async (db) => {
      const r = await saveModel(db.prisma, input);
      if (!r.ok) {
        const [field, message] = Object.entries(r.fieldErrors)[0] ?? ["", r.formError ?? "invalid input"];
        throw new UsageError(`${FLAG_OF[field] ?? field}: ${message}`);
      }
      io.stdout.write(values.json ? JSON.stringify({ id: r.data.id, name: r.data.name }) + "\n" : `added model ${r.data.name} (${r.data.id})\n`);
      return 0;
    });
  }
  if (sub === "list") {
    const { values } = parseCommandArgs(rest, { json: { type: "boolean" } }, USAGE);
    return withDatabase(async (db) => {
      const models = await listModels(db.prisma);
      if (values.json) {
        io.stdout.write(JSON.stringify(models) + "\n");
      } else if (models.length === 0) {
        io.stdout.write("no models yet: lineage models add --name … --base-url … --model-id …\n");
      } else {
        for (const m of models) io.stdout.write(`${m.id}  ${m.name}  ${m.baseUrl ?? "(no endpoint)"}  ${m.servedModelId ?? ""}\n`);
      }
      return 0;
    });
  }
  throw new UsageError(USAGE);
};
