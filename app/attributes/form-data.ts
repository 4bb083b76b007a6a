// The choices of the attribute form: the registered models (judges) and the configured scorers (classifiers).
import { getDatabase } from "@/lib/db/client";
import { listModels } from "@/lib/models/registry";
import { listScorers } from "@/lib/scorers/registry";

export async function attributeFormChoices() {
  const db = await getDatabase();
  const [models, scorers] = await Promise.all([listModels(db), listScorers(db)]);
  return { models: models.map((m) => ({ id: m.id, label: m.name })), scorers: scorers.map((s) => s.name) };
}
