// A custom attribute as a dataset's target (docs/active-inheritance.md): `attr_<name>`, the attribute's name or
// `name@version` (a reference without a version is its latest). It can be used only when what scores it exists: a
// judge attribute's model (with an endpoint), a classifier attribute's scorer. Lexicon attributes need nothing.
import type { Database } from "@/lib/db/client";
import { findVersion, getAttribute, listAttributes, resolveAttributes } from "@/lib/attributes/store";
import type { AttributeVersionSnapshot } from "@/lib/attributes/spec";
import { CUSTOM_METRIC_PREFIX, getMetric } from "@/lib/metrics/catalogue";
import { endpointOf } from "@/lib/models/registry";
import { resolveScorer } from "@/lib/scorers/resolve";
import type { SelectDirection, TargetOption } from "./spec";

/** Whether a target names a custom attribute rather than a built-in metric. */
export function isAttributeTarget(target: string): boolean {
  if (target.startsWith(CUSTOM_METRIC_PREFIX) || target.includes("@")) return true;
  return !getMetric(target);
}

export type AttributeTargetCheck =
  | { ok: true; attribute: AttributeVersionSnapshot; defaultTargetValue: number | null }
  | { ok: false; field: "target" | "direction"; message: string };

/** Why the attribute's scorer cannot be used (its judge model, its classifier), or null. */
export async function attributeServiceProblem(db: Database, a: AttributeVersionSnapshot): Promise<string | null> {
  const d = a.definition;
  if (d.kind === "judge") {
    const m = await db.prisma.model.findUnique({ where: { id: d.modelId } });
    if (!m) return `The judge model of attribute "${a.name}" (version ${a.version}) no longer exists: add a version with another judge.`;
    try {
      endpointOf(m);
    } catch (err) {
      return `The judge of attribute "${a.name}", ${m.name}, cannot be called: ${(err as Error).message}`;
    }
  }
  if (d.kind === "classifier") {
    const problem = await resolveScorer(db, { name: d.scorer }).then(
      (c) => (c ? null : `no scorer named "${d.scorer}" (add it on /scorers)`),
      (err: Error) => err.message,
    );
    if (problem) return `The classifier of attribute "${a.name}" (version ${a.version}) cannot be used: ${problem}.`;
  }
  return null;
}

/** Resolves an attribute target and checks that it can be scored and that best-of-k has a direction. */
export async function checkAttributeTarget(
  db: Database,
  target: string,
  rule: "best" | "random",
  direction: SelectDirection | null,
): Promise<AttributeTargetCheck> {
  let attribute: AttributeVersionSnapshot;
  try {
    [attribute] = await resolveAttributes(db, [target]);
  } catch (err) {
    if (!target.startsWith(CUSTOM_METRIC_PREFIX) && !target.includes("@")) {
      const known = (await listAttributes(db)).map((a) => a.name);
      return {
        ok: false,
        field: "target",
        message: `Unknown metric "${target}". Use a per-sample metric id of the catalogue, e.g. mtld or length_words, or a custom attribute (attr_<name>, its name, or name@version${known.length ? `; defined: ${known.join(", ")}` : ""}).`,
      };
    }
    return { ok: false, field: "target", message: `Unknown metric or attribute: ${(err as Error).message}.` };
  }
  const problem = await attributeServiceProblem(db, attribute);
  if (problem) return { ok: false, field: "target", message: problem };
  if (rule === "best" && !direction)
    return {
      ok: false,
      field: "direction",
      message: `Choose maximise, minimise or closest to a value for ${attribute.name} (${attribute.direction === "neutral" ? "it has no better direction" : `its better direction: ${attribute.direction === "target" ? `closest to ${attribute.target}` : attribute.direction}`}).`,
    };
  return { ok: true, attribute, defaultTargetValue: attribute.direction === "target" ? attribute.target : null };
}

/**
 * The attributes a form offers as targets, as `attr_<name>@<version>`: each attribute's latest version, or every
 * version (re-selecting a built dataset on an earlier definition).
 */
export async function attributeTargetOptions(db: Database, opts: { allVersions?: boolean } = {}): Promise<TargetOption[]> {
  const out: TargetOption[] = [];
  for (const a of await listAttributes(db)) {
    const versions = opts.allVersions ? ((await getAttribute(db, a.id))?.versions ?? [a.latest]) : [a.latest];
    for (const v of versions)
      out.push({
        id: `${a.metric}@${v.version}`,
        label: `${a.name} v${v.version}, ${v.definition.kind}`,
        group: "Custom attributes",
        neutral: v.direction === "neutral",
        disabled: null,
        targetValue: v.direction === "target" ? v.target : null,
        defaultDirection: ({ higher: "max", lower: "min", target: "closest", neutral: undefined } as const)[v.direction],
      });
  }
  return out;
}

/** What a dataset card says of a targeted attribute: its name and version, and what scored it. */
export interface AttributeProvenance {
  name: string;
  metric: string;
  version: number;
  versionId: string;
  kind: AttributeVersionSnapshot["definition"]["kind"];
  /** The judge model (name and served id), the classifier's scorer and attribute, or the lexicon's terms in brief. */
  scoredBy: string;
}

export async function attributeProvenance(db: Database, versionId: string): Promise<AttributeProvenance | null> {
  const a = await findVersion(db, versionId);
  if (!a) return null;
  const d = a.definition;
  let scoredBy: string;
  if (d.kind === "judge") {
    const m = await db.prisma.model.findUnique({ where: { id: d.modelId }, select: { name: true, servedModelId: true } });
    scoredBy = `judge ${m ? `${m.name} (${m.servedModelId ?? "?"})` : `model ${d.modelId} (deleted)`}, temperature ${d.temperature}, ${d.samples} sample${d.samples === 1 ? "" : "s"}`;
  } else if (d.kind === "classifier") scoredBy = `classifier: scorer ${d.scorer}, attribute ${d.attribute}`;
  else {
    const shown = d.terms.slice(0, 8).join(", ");
    scoredBy = `lexicon: ${d.terms.length} ${d.match === "words" ? "words or phrases" : "patterns"} (${shown}${d.terms.length > 8 ? ", …" : ""}), ${d.measure === "rate" ? "matches per 100 words" : "presence"}`;
  }
  return { name: a.name, metric: a.metric, version: a.version, versionId: a.versionId, kind: d.kind, scoredBy };
}
