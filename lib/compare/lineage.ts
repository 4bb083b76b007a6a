// Lay a comparison out from the Derivation table: base model vs student(s) vs teacher(s), each model represented
// by its latest completed run; and the roles of the runs of any comparison (from the URL's runs alone).
import type { Database } from "@/lib/db/client";
import type { LineageRole } from "./runs";

export interface LineageLayout {
  runIds: string[];
  refId: string | null;
  roles: Record<string, LineageRole>;
  /** models of the lineage without a completed run, by name */
  withoutRuns: string[];
}

async function latestCompletedRuns(db: Database, modelIds: string[]): Promise<Map<string, string>> {
  const runs = await db.prisma.run.findMany({
    where: { modelId: { in: modelIds }, status: "completed" },
    orderBy: { createdAt: "desc" },
    select: { id: true, modelId: true },
  });
  const out = new Map<string, string>();
  for (const r of runs) if (!out.has(r.modelId)) out.set(r.modelId, r.id);
  return out;
}

/**
 * A derivation (`derivationId`), or every derivation from a base model (`baseModelId`): base first (the
 * reference), then the students, then the teachers.
 */
export async function lineageLayout(db: Database, by: { derivationId?: string; baseModelId?: string }): Promise<LineageLayout | null> {
  const derivations = await db.prisma.derivation.findMany({
    where: by.derivationId ? { id: by.derivationId } : { baseModelId: by.baseModelId ?? "-" },
    include: { teachers: true },
    orderBy: { createdAt: "asc" },
  });
  if (derivations.length === 0) return null;
  const models: { id: string; role: LineageRole }[] = [];
  const add = (id: string | null, role: LineageRole) => {
    if (id && !models.some((m) => m.id === id)) models.push({ id, role });
  };
  for (const d of derivations) add(d.baseModelId, "base");
  for (const d of derivations) add(d.studentId, "student");
  for (const d of derivations) for (const t of d.teachers) add(t.teacherId, "teacher");
  const latest = await latestCompletedRuns(db, models.map((m) => m.id));
  const names = await db.prisma.model.findMany({ where: { id: { in: models.map((m) => m.id) } }, select: { id: true, name: true } });
  const runIds: string[] = [];
  const roles: Record<string, LineageRole> = {};
  const withoutRuns: string[] = [];
  for (const m of models) {
    const run = latest.get(m.id);
    if (!run) {
      withoutRuns.push(names.find((n) => n.id === m.id)?.name ?? m.id);
      continue;
    }
    runIds.push(run);
    roles[run] = m.role;
  }
  const base = models.find((m) => m.role === "base");
  const refId = (base && latest.get(base.id)) ?? runIds[0] ?? null;
  return { runIds: runIds.slice(0, 8), refId, roles, withoutRuns };
}

/** Roles of runs by the derivations among their models (a model may be base of one and student of another). */
export async function rolesOf(db: Database, runs: { id: string; modelId: string }[]): Promise<Record<string, LineageRole>> {
  const modelIds = [...new Set(runs.map((r) => r.modelId))];
  if (modelIds.length < 2) return {};
  const derivations = await db.prisma.derivation.findMany({
    where: { studentId: { in: modelIds } },
    include: { teachers: true },
  });
  const role = new Map<string, LineageRole>();
  for (const d of derivations) {
    const parents = [d.baseModelId, ...d.teachers.map((t) => t.teacherId)].filter((id): id is string => !!id && modelIds.includes(id));
    if (parents.length === 0) continue;
    role.set(d.studentId, "student");
    if (d.baseModelId && modelIds.includes(d.baseModelId) && !role.has(d.baseModelId)) role.set(d.baseModelId, "base");
    for (const t of d.teachers) if (modelIds.includes(t.teacherId) && !role.has(t.teacherId)) role.set(t.teacherId, "teacher");
  }
  return Object.fromEntries(runs.filter((r) => role.has(r.modelId)).map((r) => [r.id, role.get(r.modelId)!]));
}
