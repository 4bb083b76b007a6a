// What the home page counts: models, runs, recorded derivations and datasets.
import type { Database } from "@/lib/db/client";

export async function overviewCounts(db: Database): Promise<{ models: number; runs: number; derivations: number; datasets: number }> {
  const [models, runs, derivations, datasets] = await Promise.all([
    db.prisma.model.count(),
    db.prisma.run.count(),
    db.prisma.derivation.count(),
    db.prisma.dataset.count(),
  ]);
  return { models, runs, derivations, datasets };
}
