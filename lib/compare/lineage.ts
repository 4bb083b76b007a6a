// Lay a comparison out from the Derivation table: base model vs student(s) vs teacher(s), each model represented
// by its latest completed run. Roles come from the derivation being compared (or the derivations from the base
// being compared), never from other derivations a model also takes part in; a member without a completed run is
// reported as such, never dropped.
import type { Database } from "@/lib/db/client";
import type { LineageContext } from "./params";
import type { LineageRole } from "./runs";

export const MAX_LINEAGE_RUNS = 8;

export interface LineageMember {
  modelId: string;
  name: string;
  /** its roles in the derivation(s) compared, in the order base, student, teacher */
  roles: LineageRole[];
  /** "teacher", or "student & teacher" for a model with two roles among the derivations of a base */
  role: string;
  /** its latest completed run, null when it has none */
  runId: string | null;
  /** it has an endpoint, so it can be profiled from /runs/new */
  runnable: boolean;
}

export interface LineageLayout {
  runIds: string[];
  refId: string | null;
  /** role label per run id */
  roles: Record<string, string>;
  /** every model of the lineage, base first, then the students, then the teachers */
  members: LineageMember[];
  /** models of the lineage without a completed run, by name */
  withoutRuns: string[];
  /** models with a completed run left out because a comparison holds at most MAX_LINEAGE_RUNS runs, by name */
  leftOut: string[];
}

const ROLE_ORDER: LineageRole[] = ["base", "student", "teacher"];

export function roleLabel(roles: readonly LineageRole[]): string {
  return ROLE_ORDER.filter((r) => roles.includes(r)).join(" & ");
}

async function latestCompletedRuns(db: Database, modelIds: string[]): Promise<Map<string, string>> {
  const runs = await db.prisma.run.findMany({
    where: { modelId: { in: modelIds }, status: "completed" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, modelId: true },
  });
  const out = new Map<string, string>();
  for (const r of runs) if (!out.has(r.modelId)) out.set(r.modelId, r.id);
  return out;
}

/** The models of a derivation, or of every derivation from a base model, with their roles there; null if none. */
export async function lineageMembers(db: Database, by: LineageContext): Promise<LineageMember[] | null> {
  const derivations = await db.prisma.derivation.findMany({
    where: "derivationId" in by ? { id: by.derivationId } : { baseModelId: by.baseModelId },
    include: { teachers: true },
    orderBy: { createdAt: "asc" },
  });
  if (derivations.length === 0) return null;
  const roles = new Map<string, Set<LineageRole>>();
  const order: string[] = [];
  const add = (id: string | null, role: LineageRole) => {
    if (!id) return;
    if (!roles.has(id)) roles.set(id, new Set());
    roles.get(id)!.add(role);
  };
  for (const d of derivations) add(d.baseModelId, "base");
  for (const d of derivations) add(d.studentId, "student");
  for (const d of derivations) for (const t of d.teachers) add(t.teacherId, "teacher");
  // Base first, then students, then teachers: a model is placed by its first role in that order.
  for (const role of ROLE_ORDER) for (const [id, set] of roles) if (set.has(role) && !order.includes(id)) order.push(id);
  const [latest, models] = await Promise.all([
    latestCompletedRuns(db, order),
    db.prisma.model.findMany({ where: { id: { in: order } }, select: { id: true, name: true, baseUrl: true, servedModelId: true } }),
  ]);
  return order.map((id) => {
    const m = models.find((x) => x.id === id);
    const list = ROLE_ORDER.filter((r) => roles.get(id)!.has(r));
    return {
      modelId: id,
      name: m?.name ?? id,
      roles: list,
      role: roleLabel(list),
      runId: latest.get(id) ?? null,
      runnable: !!(m?.baseUrl && m?.servedModelId),
    };
  });
}

/**
 * A derivation (`derivationId`), or every derivation from a base model (`baseModelId`): base first (the
 * reference), then the students, then the teachers; each by its latest completed run.
 */
export async function lineageLayout(db: Database, by: LineageContext): Promise<LineageLayout | null> {
  const members = await lineageMembers(db, by);
  if (!members) return null;
  const withRuns = members.filter((m) => m.runId !== null);
  const kept = withRuns.slice(0, MAX_LINEAGE_RUNS);
  const base = members.find((m) => m.roles.includes("base") && m.runId !== null);
  return {
    runIds: kept.map((m) => m.runId!),
    refId: base?.runId ?? kept[0]?.runId ?? null,
    roles: Object.fromEntries(kept.map((m) => [m.runId!, m.role])),
    members,
    withoutRuns: members.filter((m) => m.runId === null).map((m) => m.name),
    leftOut: withRuns.slice(MAX_LINEAGE_RUNS).map((m) => m.name),
  };
}

export interface ComparedMember extends LineageMember {
  /** the compared run of this model, when one of the compared runs is this model's */
  comparedRunId: string | null;
}

/**
 * The roles of compared runs from the lineage the comparison was laid out from, and every member of that lineage
 * (those without a compared run included, so that the page can say why each is missing). Null for an unknown
 * derivation or base.
 */
export async function lineageRoles(
  db: Database,
  by: LineageContext,
  runs: readonly { id: string; modelId: string }[],
): Promise<{ roles: Record<string, string>; members: ComparedMember[] } | null> {
  const members = await lineageMembers(db, by);
  if (!members) return null;
  const roles: Record<string, string> = {};
  for (const r of runs) {
    const m = members.find((x) => x.modelId === r.modelId);
    if (m) roles[r.id] = m.role;
  }
  return { roles, members: members.map((m) => ({ ...m, comparedRunId: runs.find((r) => r.modelId === m.modelId)?.id ?? null })) };
}

/**
 * Roles of runs compared without a lineage (from the URL's runs alone): only when exactly one recorded derivation
 * relates the compared models (its student and at least one of its parents are compared). A model can be a teacher
 * in one derivation and a student in another; with several derivations in play no role is guessed — lay the
 * comparison out from a lineage instead.
 */
export async function rolesOf(db: Database, runs: { id: string; modelId: string }[]): Promise<Record<string, string>> {
  const modelIds = [...new Set(runs.map((r) => r.modelId))];
  if (modelIds.length < 2) return {};
  const derivations = (
    await db.prisma.derivation.findMany({
      where: { studentId: { in: modelIds } },
      include: { teachers: true },
    })
  ).filter((d) => [d.baseModelId, ...d.teachers.map((t) => t.teacherId)].some((id) => !!id && modelIds.includes(id)));
  if (derivations.length !== 1) return {};
  const d = derivations[0];
  const role = new Map<string, LineageRole[]>();
  const add = (id: string | null, r: LineageRole) => {
    if (id && modelIds.includes(id)) role.set(id, [...(role.get(id) ?? []), r]);
  };
  add(d.baseModelId, "base");
  add(d.studentId, "student");
  for (const t of d.teachers) add(t.teacherId, "teacher");
  return Object.fromEntries(runs.filter((r) => role.has(r.modelId)).map((r) => [r.id, roleLabel(role.get(r.modelId)!)]));
}

export interface AbsentMember {
  modelId: string;
  name: string;
  role: string;
  /** "no completed run", or "not among the compared runs" when it has one */
  reason: string;
  runnable: boolean;
  /** its latest completed run, when it has one */
  latestRunId: string | null;
}

/**
 * The members as a reviewer link shows them: names, roles and reasons, but not the ids of models and runs that are
 * not part of what was shared.
 */
export function withoutIds(absent: readonly AbsentMember[]): AbsentMember[] {
  return absent.map((a, i) => ({ ...a, modelId: `member-${i + 1}`, latestRunId: a.latestRunId === null ? null : "not-shared" }));
}

/** The models of a lineage that have no column among the compared runs, and why. */
export async function absentMembers(db: Database, by: LineageContext, runs: readonly { id: string; modelId: string }[]): Promise<AbsentMember[]> {
  const found = await lineageRoles(db, by, runs);
  if (!found) return [];
  return found.members
    .filter((m) => m.comparedRunId === null)
    .map((m) => ({
      modelId: m.modelId,
      name: m.name,
      role: m.role,
      reason: m.runId === null ? "no completed run" : "not among the compared runs",
      runnable: m.runnable,
      latestRunId: m.runId,
    }));
}
