// The family tree's data: models, derivations and the chosen metric's latest completed values, laid out.
import { loadAttributeMetrics } from "@/lib/attributes/store";
import type { Database } from "@/lib/db/client";
import { getMetric } from "@/lib/metrics/catalogue";
import { latestResults } from "@/lib/leaderboard";
import { layoutFamilyTree, type TreeLayout } from "./family-tree";
import { listDerivations } from "./lineage";

export async function familyTree(db: Database, metric: string | null): Promise<TreeLayout> {
  await loadAttributeMetrics(db);
  const chosen = metric && getMetric(metric) ? metric : null;
  const [models, derivations, values] = await Promise.all([
    db.prisma.model.findMany({ select: { id: true, name: true } }),
    listDerivations(db.prisma),
    chosen ? latestResults(db, [chosen]) : Promise.resolve([]),
  ]);
  const byModel = new Map(values.filter((v) => v.value !== null).map((v) => [v.modelId, { value: Number(v.value), runId: v.runId }]));
  return layoutFamilyTree(models, derivations, byModel, chosen);
}

/** Metrics that some completed run has a value for, for the colour chooser. */
export async function metricsWithValues(db: Database): Promise<string[]> {
  await loadAttributeMetrics(db);
  const { rows } = await db.sql.query<{ metric: string }>(
    `SELECT DISTINCT a.metric FROM "Aggregate" a JOIN "Run" r ON r.id = a."runId" WHERE r.status = 'completed' AND a.value IS NOT NULL ORDER BY 1`,
  );
  return rows.map((r) => r.metric).filter((m) => getMetric(m));
}
