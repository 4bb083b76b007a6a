// Custom attributes in the database: create (version 1), edit (a new version: a stored version never changes, so a
// run or dataset that recorded it keeps meaning what it meant), list, find, and the registration of their metric
// definitions in the catalogue (loadAttributeMetrics) for the pages and exports that show metrics.
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { errorOfKind } from "@/lib/errors";
import { type MetricDefinition, setCustomMetrics } from "@/lib/metrics/catalogue";
import type { AttributeFields } from "./form";
import { attributeVersionSchema, definitionSchema, metricDefinitionOf, metricIdOf, type AttributeVersionSnapshot } from "./spec";

export class AttributeError extends errorOfKind("bad_input") {}
export class AttributeNotFound extends errorOfKind("not_found") {}

interface VersionRow {
  id: string;
  attributeId: string;
  version: number;
  unit: string;
  direction: string;
  target: number | null;
  description: string;
  definition: unknown;
  createdAt: Date;
}

function snapshotOf(a: { id: string; name: string; metric: string }, v: VersionRow): AttributeVersionSnapshot {
  return attributeVersionSchema.parse({
    attributeId: a.id,
    versionId: v.id,
    version: v.version,
    name: a.name,
    metric: a.metric,
    unit: v.unit,
    direction: v.direction,
    target: v.target,
    description: v.description,
    definition: v.definition,
  });
}

/** What the definition refers to must exist: the judge's model, the classifier's scorer. */
async function checkReferences(db: Database, fields: AttributeFields): Promise<void> {
  const d = fields.definition;
  if (d.kind === "judge" && !(await db.prisma.model.findUnique({ where: { id: d.modelId }, select: { id: true } })))
    throw new AttributeError(`no registered model with id ${d.modelId}`, { field: "judgeModelId", userMessage: "Choose a registered model as the judge." });
  if (d.kind === "classifier" && !(await db.prisma.scorer.findUnique({ where: { name: d.scorer }, select: { id: true } })))
    throw new AttributeError(`no scorer named "${d.scorer}"`, { field: "scorerName", userMessage: `No scorer named "${d.scorer}" (add it on /scorers).` });
}

/** A new attribute at version 1. */
export async function createAttribute(db: Database, name: string, fields: AttributeFields): Promise<AttributeVersionSnapshot> {
  const trimmed = name.trim();
  if (!trimmed) throw new AttributeError("the attribute needs a name", { field: "name", userMessage: "Give the attribute a name." });
  const metric = metricIdOf(trimmed);
  if (!metric)
    throw new AttributeError("the name needs a letter or digit", { field: "name", userMessage: "The name needs at least one letter or digit (a-z, 0-9)." });
  const clash = await db.prisma.attribute.findFirst({ where: { OR: [{ name: trimmed }, { metric }] }, select: { name: true } });
  if (clash)
    throw new AttributeError(`an attribute named "${clash.name}" exists`, {
      kind: "conflict",
      field: "name",
      userMessage: `An attribute named "${clash.name}" already exists (metric id ${metric}): edit it to add a version.`,
    });
  await checkReferences(db, fields);
  const id = randomUUID();
  const versionId = randomUUID();
  await db.prisma.attribute.create({
    data: { id, name: trimmed, metric, versions: { create: { id: versionId, version: 1, ...versionData(fields) } } },
  });
  return (await findVersion(db, versionId))!;
}

function versionData(f: AttributeFields) {
  return { unit: f.unit, direction: f.direction, target: f.target, description: f.description, definition: f.definition };
}

function sameVersion(v: VersionRow, f: AttributeFields): boolean {
  const parsed = definitionSchema.safeParse(v.definition);
  return (
    parsed.success &&
    JSON.stringify(parsed.data) === JSON.stringify(f.definition) &&
    v.unit === f.unit &&
    v.direction === f.direction &&
    (v.target ?? null) === f.target &&
    v.description === f.description
  );
}

/** Editing: a new version with these fields (refused when nothing changed). */
export async function addVersion(db: Database, attributeId: string, fields: AttributeFields): Promise<AttributeVersionSnapshot> {
  const a = await db.prisma.attribute.findUnique({ where: { id: attributeId }, include: { versions: { orderBy: { version: "desc" }, take: 1 } } });
  if (!a) throw new AttributeNotFound(`no attribute with id ${attributeId}`);
  const latest = a.versions[0];
  if (latest && sameVersion(latest, fields))
    throw new AttributeError("nothing changed", { userMessage: `Nothing changed: version ${latest.version} already says this.` });
  await checkReferences(db, fields);
  const versionId = randomUUID();
  // The unique (attribute, version) makes a concurrent edit fail rather than share a number.
  await db.prisma.attributeVersion.create({ data: { id: versionId, attributeId, version: (latest?.version ?? 0) + 1, ...versionData(fields) } });
  return (await findVersion(db, versionId))!;
}

export async function findVersion(db: Database, versionId: string): Promise<AttributeVersionSnapshot | null> {
  const v = await db.prisma.attributeVersion.findUnique({ where: { id: versionId }, include: { attribute: true } });
  return v ? snapshotOf(v.attribute, v) : null;
}

export interface AttributeSummary {
  id: string;
  name: string;
  metric: string;
  versions: number;
  latest: AttributeVersionSnapshot;
  createdAt: string;
}

/** Every attribute with its latest version, by name. */
export async function listAttributes(db: Database): Promise<AttributeSummary[]> {
  const rows = await db.prisma.attribute.findMany({
    orderBy: { name: "asc" },
    include: { versions: { orderBy: { version: "desc" }, take: 1 }, _count: { select: { versions: true } } },
  });
  return rows
    .filter((a) => a.versions[0])
    .map((a) => ({
      id: a.id,
      name: a.name,
      metric: a.metric,
      versions: a._count.versions,
      latest: snapshotOf(a, a.versions[0]),
      createdAt: a.createdAt.toISOString(),
    }));
}

export interface AttributeDetail {
  id: string;
  name: string;
  metric: string;
  createdAt: string;
  /** newest first */
  versions: (AttributeVersionSnapshot & { createdAt: string })[];
}

/** An attribute by id, name or metric id, with every version. */
export async function getAttribute(db: Database, ref: string): Promise<AttributeDetail | null> {
  const a = await db.prisma.attribute.findFirst({
    where: { OR: [{ id: ref }, { name: ref }, { metric: ref }] },
    include: { versions: { orderBy: { version: "desc" } } },
  });
  if (!a) return null;
  return {
    id: a.id,
    name: a.name,
    metric: a.metric,
    createdAt: a.createdAt.toISOString(),
    versions: a.versions.map((v) => ({ ...snapshotOf(a, v), createdAt: v.createdAt.toISOString() })),
  };
}

/**
 * The versions a run or dataset will use, from references "name", "metric id", "id" (latest version) or "name@N"
 * (version N). Unknown references are refused with the known names.
 */
export async function resolveAttributes(db: Database, refs: readonly string[]): Promise<AttributeVersionSnapshot[]> {
  const out: AttributeVersionSnapshot[] = [];
  for (const ref of refs) {
    const m = /^(.*)@(\d+)$/.exec(ref);
    const a = await getAttribute(db, m ? m[1] : ref);
    if (!a) {
      const known = (await listAttributes(db)).map((x) => x.name);
      throw new AttributeError(`no attribute "${ref}"${known.length ? ` (defined: ${known.join(", ")})` : " (none is defined: see /attributes)"}`, {
        field: "attributes",
      });
    }
    const v = m ? a.versions.find((x) => x.version === Number(m[2])) : a.versions[0];
    if (!v) throw new AttributeError(`attribute "${a.name}" has no version ${m![2]} (latest: ${a.versions[0]?.version})`, { field: "attributes" });
    if (out.some((x) => x.metric === v.metric)) throw new AttributeError(`attribute "${a.name}" is chosen twice`, { field: "attributes" });
    out.push(v);
  }
  return out;
}

/**
 * Registers every attribute's metric (its latest version's label, unit and direction) in the catalogue, so that
 * compare, the leaderboard, the profile and the exports show `attr_…` metrics like built-in ones. Called by the
 * loaders of those views; cheap (one query over the attributes).
 */
export async function loadAttributeMetrics(db: Database): Promise<MetricDefinition[]> {
  const defs = (await listAttributes(db)).map((a) => metricDefinitionOf(a.latest));
  setCustomMetrics(defs);
  return defs;
}
