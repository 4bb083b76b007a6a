// Datasets: creation (dataset, teachers, prompts and the first selection, in one transaction, then a job on the run
// queue), control (pause, resume, cancel, retry failed candidates) and progress.
//
// A candidate (prompt, teacher, sample index < k) is a row only once it is generated or has failed: creating a
// dataset costs its prompts, not prompts × teachers × k rows, and the executor requests every slot without a done
// or failed row (a failed one set back to pending by "retry failed" included).
import { createHash, randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { loadAlpaca, loadDolly200, type DataSourceOptions } from "@/lib/benchmarks/data-source";
import { parsePromptList, type PromptItem } from "@/lib/benchmarks/prompt-lists";
import { applyJobControl, type JobControl } from "@/lib/runs/job-control";
import { enqueue } from "@/lib/runs/queue";
import { workActivity } from "@/lib/runs/runs";
import { codeVersion } from "@/lib/runs/version";
import { findOrCreateSelection, reselect, type SelectionRequest } from "./selection";
import {
  checkTarget,
  checkTargetValue,
  readDatasetSettings,
  targetOptions,
  type DatasetPromptInput,
  type PromptSetDescription,
  type SelectDirection,
  type TargetOption,
  type ValidatedSpec,
} from "./spec";
import { attributeTargetOptions, checkAttributeTarget, isAttributeTarget } from "./attribute-target";
import { requeueFinishedDataset, resetFailedCandidates } from "./store";
import { countUnscored, isToxicityTarget, resolveDatasetScorer } from "./toxicity";
import { countMissingScores, scoreMissingAttribute } from "./attribute-scores";
import { findVersion } from "@/lib/attributes/store";
import { errorOfKind } from "@/lib/errors";

export const DATASET_JOB = "dataset";

export type PromptSource =
  | { source: "dolly200"; split: "test" | "val" | "all"; limit?: number }
  | { source: "alpaca"; limit?: number }
  | { source: "upload" | "file"; name: string; bytes: Uint8Array; limit?: number };

/** An uploaded list (JSONL/CSV/TXT, or an Alpaca-style JSON array): the instruction and its optional `input`. */
export function promptsFromList(items: PromptItem[]): DatasetPromptInput[] {
  return items.map((p) => ({ prompt: p.prompt, input: typeof p.record?.input === "string" ? p.record.input : "" }));
}

export async function loadPromptSource(
  src: PromptSource,
  data: DataSourceOptions = {},
): Promise<{ prompts: DatasetPromptInput[]; description: PromptSetDescription }> {
  let prompts: DatasetPromptInput[];
  let description: PromptSetDescription;
  if (src.source === "dolly200") {
    const d = await loadDolly200(data);
    const records = src.split === "all" ? d.records : d[src.split];
    prompts = records.map((r) => ({ prompt: r.inputs, input: "" }));
    description = { source: "dolly200", name: `Dolly-200 ${src.split}`, split: src.split, count: 0 };
  } else if (src.source === "alpaca") {
    prompts = (await loadAlpaca("alpaca_5000.json", data)).map((r) => ({ prompt: r.instruction, input: r.input }));
    description = { source: "alpaca", name: "Alpaca (alpaca_5000.json)", count: 0 };
  } else {
    prompts = promptsFromList(parsePromptList(src.bytes, src.name));
    description = { source: src.source, name: src.name, count: 0 };
  }
  if (src.limit) {
    prompts = prompts.slice(0, src.limit);
    description.limit = src.limit;
  }
  description.count = prompts.length;
  description.sha256 = createHash("sha256").update(JSON.stringify(prompts)).digest("hex");
  return { prompts, description };
}

/** Creates the dataset with its prompts and first selection, and queues it. */
export async function createDataset(db: Database, validated: ValidatedSpec, prompts: DatasetPromptInput[], promptSet: PromptSetDescription): Promise<string> {
  const { spec, teachers } = validated;
  const id = randomUUID();
  const name =
    spec.name ||
    (spec.rule === "best"
      ? `${spec.direction === "closest" ? `closest to ${spec.targetValue}` : spec.direction === "min" ? "min" : "max"} ${validated.attribute ? `${validated.attribute.metric}@${validated.attribute.version}` : spec.target} · best of ${spec.k} · ${teachers.map((t) => t.name).join(" + ")}`
      : `random pick · k ${spec.k} · ${teachers.map((t) => t.name).join(" + ")}`);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "Dataset" (id, name, status, "promptSet", k, decoding, template, mode, filters, seed, "codeVersion", "createdAt")
       VALUES ($1, $2, 'queued', $3::jsonb, $4, $5::jsonb, $6, $7, $8::jsonb, $9, $10, now())`,
      [
        id,
        name,
        JSON.stringify(promptSet),
        spec.k,
        JSON.stringify({ ...spec.decoding, seed: spec.seed, ...(validated.scorer ? { scorer: validated.scorer } : {}) }),
        spec.template,
        spec.mode,
        JSON.stringify(spec.filters),
        spec.seed,
        codeVersion(),
      ],
    );
    await tx.query(`INSERT INTO "DatasetTeacher" ("datasetId", "teacherId") SELECT $1, t FROM unnest($2::text[]) AS t`, [id, teachers.map((t) => t.id)]);
    for (let i = 0; i < prompts.length; i += 5000) {
      const chunk = prompts.slice(i, i + 5000);
      await tx.query(
        `INSERT INTO "DatasetPrompt" ("datasetId", index, prompt, input) SELECT $1, i, p, x FROM unnest($2::int[], $3::text[], $4::text[]) AS t(i, p, x)`,
        [id, chunk.map((_, j) => i + j), chunk.map((p) => p.prompt), chunk.map((p) => p.input)],
      );
    }
    await tx.query(
      `INSERT INTO "Selection" (id, "datasetId", rule, target, direction, "targetValue", "attributeVersionId", seed, "createdAt")
       VALUES ($1, $2, $3, $4, $5::"Direction", $6, $7, $8, now())`,
      [
        randomUUID(),
        id,
        spec.rule,
        spec.target,
        spec.rule === "best" ? spec.direction : null,
        spec.rule === "best" && spec.direction === "closest" ? spec.targetValue : null,
        validated.attribute?.versionId ?? null,
        spec.seed,
      ],
    );
    // In the same transaction: a dataset never exists without its job.
    await enqueue(tx, DATASET_JOB, { datasetId: id }, id);
  });
  return id;
}

export type DatasetControl = JobControl;

export class DatasetStateError extends errorOfKind("conflict") {}

/** Applies a control action; the executor notices status changes within its poll interval. */
export async function controlDataset(db: Database, datasetId: string, action: DatasetControl): Promise<string> {
  const ds = await db.prisma.dataset.findUnique({ where: { id: datasetId }, select: { status: true } });
  if (!ds) throw new DatasetStateError(`no dataset with id ${datasetId}`);
  return applyJobControl(
    db,
    {
      table: "Dataset",
      statusType: "DatasetStatus",
      id: datasetId,
      noun: "dataset",
      status: ds.status,
      jobKind: DATASET_JOB,
      jobPayload: { datasetId },
      failedNoun: "candidates",
      error: (m) => new DatasetStateError(m),
      resetFailed: () => resetFailedCandidates(db, datasetId),
    },
    action,
  );
}

export interface TeacherProgress {
  teacherId: string;
  teacher: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
}

export interface DatasetProgress {
  id: string;
  status: string;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  total: number;
  done: number;
  failed: number;
  pending: number;
  teachers: TeacherProgress[];
  errorsByKind: Record<string, number>;
  /** Candidates completed per second over the last minute; null before any. */
  throughput: number | null;
  etaSeconds: number | null;
  /** With a toxicity or custom-attribute selection: done candidates still waiting for a score; else null. */
  unscored: number | null;
}

/** Candidates of each teacher by state: done and failed are rows; pending is every other slot of prompts × k. */
export async function candidateCounts(db: Database, datasetId: string): Promise<Map<string, { total: number; done: number; failed: number; pending: number }>> {
  const {
    rows: [{ prompts, k }],
  } = await db.sql.query<{ prompts: number; k: number }>(
    `SELECT (SELECT count(*)::int FROM "DatasetPrompt" WHERE "datasetId" = $1) AS prompts, (SELECT k FROM "Dataset" WHERE id = $1) AS k`,
    [datasetId],
  );
  const { rows } = await db.sql.query<{ teacherId: string; done: number; failed: number }>(
    `SELECT t."teacherId", count(c.id) FILTER (WHERE c.status = 'done')::int AS done, count(c.id) FILTER (WHERE c.status = 'failed')::int AS failed
     FROM "DatasetTeacher" t LEFT JOIN "Candidate" c ON c."datasetId" = t."datasetId" AND c."teacherId" = t."teacherId"
     WHERE t."datasetId" = $1 GROUP BY t."teacherId"`,
    [datasetId],
  );
  const total = prompts * (k ?? 0);
  return new Map(rows.map((r) => [r.teacherId, { total, done: r.done, failed: r.failed, pending: total - r.done - r.failed }]));
}

export async function datasetProgress(db: Database, datasetId: string): Promise<DatasetProgress | null> {
  const ds = await db.prisma.dataset.findUnique({ where: { id: datasetId }, include: { teachers: { include: { teacher: { select: { name: true } } } } } });
  if (!ds) return null;
  const counts = await candidateCounts(db, datasetId);
  const { errorsByKind, throughput } = await workActivity(db, "Candidate", "datasetId", datasetId);
  const teachers = ds.teachers
    .map((t) => ({ teacherId: t.teacherId, teacher: t.teacher.name, ...(counts.get(t.teacherId) ?? { total: 0, done: 0, failed: 0, pending: 0 }) }))
    .sort((a, b) => (a.teacher < b.teacher ? -1 : a.teacher > b.teacher ? 1 : 0));
  const sum = (k: "total" | "done" | "failed" | "pending") => teachers.reduce((a, t) => a + t[k], 0);
  return {
    id: ds.id,
    status: ds.status,
    error: ds.error,
    createdAt: ds.createdAt.toISOString(),
    finishedAt: ds.finishedAt?.toISOString() ?? null,
    total: sum("total"),
    done: sum("done"),
    failed: sum("failed"),
    pending: sum("pending"),
    teachers,
    errorsByKind,
    throughput,
    etaSeconds: throughput && ds.status === "running" ? sum("pending") / throughput : null,
    unscored: await unscoredCount(db, datasetId),
  };
}

/** Done candidates that a toxicity or attribute selection still needs scored (the largest count), or null without one. */
async function unscoredCount(db: Database, datasetId: string): Promise<number | null> {
  const selections = await db.prisma.selection.findMany({ where: { datasetId }, select: { target: true, attributeVersionId: true } });
  let out: number | null = null;
  if (selections.some((s) => isToxicityTarget(s.target))) out = await countUnscored(db, datasetId);
  for (const v of new Set(selections.flatMap((s) => (s.attributeVersionId ? [s.attributeVersionId] : []))))
    out = Math.max(out ?? 0, await countMissingScores(db, datasetId, v));
  return out;
}

/** Deletes a dataset that is not generating (pause or cancel it first), with its candidates and selections;
 * derivations that named it keep their record with the dataset link cleared. */
export async function deleteDataset(db: Database, datasetId: string): Promise<void> {
  const ds = await db.prisma.dataset.findUnique({ where: { id: datasetId }, select: { status: true } });
  if (!ds) throw new DatasetStateError(`no dataset with id ${datasetId}`);
  if (ds.status === "running" || ds.status === "queued") throw new DatasetStateError("pause or cancel the dataset before deleting it");
  await db.prisma.dataset.delete({ where: { id: datasetId } });
}

/**
 * A selection over the stored candidates. Textual targets (and toxicity once every candidate is scored) are computed
 * at once; a toxicity target with unscored candidates queues the dataset to score just those (scorer requests, never
 * generation requests) and fills the selection when they are scored.
 */
export async function requestSelection(db: Database, datasetId: string, req: SelectionRequest): Promise<{ selectionId: string; queued: boolean }> {
  const attribute = req.attributeVersionId ? await findVersion(db, req.attributeVersionId) : null;
  if (attribute && (await countMissingScores(db, datasetId, attribute.versionId)) > 0) {
    // A lexicon is computed here at once; a judge or classifier scores in the dataset's job (resumable, paced).
    if (attribute.definition.kind === "lexicon") await scoreMissingAttribute(db, datasetId, attribute);
    else {
      const selectionId = await findOrCreateSelection(db, datasetId, req);
      if (await requeueFinishedDataset(db, datasetId)) await enqueue(db.sql, DATASET_JOB, { datasetId }, datasetId);
      return { selectionId, queued: true };
    }
  }
  if (isToxicityTarget(req.target) && (await countUnscored(db, datasetId)) > 0) {
    const selectionId = await findOrCreateSelection(db, datasetId, req);
    if (await requeueFinishedDataset(db, datasetId)) await enqueue(db.sql, DATASET_JOB, { datasetId }, datasetId);
    return { selectionId, queued: true };
  }
  return { selectionId: await reselect(db, datasetId, req), queued: false };
}

/**
 * The targets a form offers: the built-in per-sample metrics, then every custom attribute's latest version (every
 * version with `allVersions`, for re-selecting a built dataset).
 */
export async function datasetTargetOptions(db: Database, opts: { scorer: boolean; allVersions?: boolean }): Promise<TargetOption[]> {
  return [...targetOptions(opts), ...(await attributeTargetOptions(db, { allVersions: opts.allVersions }))];
}

/**
 * A re-selection's request from the form's fields, checked as a dataset's target is (a custom attribute resolved to
 * its version, closest with its value), or the field errors.
 */
export async function checkSelectionRequest(
  db: Database,
  ds: { decoding: { scorer?: unknown } },
  v: { rule: "best" | "random"; target: string; direction: SelectDirection | null; targetValue: number | null },
): Promise<{ ok: true; request: SelectionRequest } | { ok: false; fieldErrors: Record<string, string> }> {
  const direction = v.rule === "best" ? v.direction : null;
  let targetValue = direction === "closest" ? v.targetValue : null;
  let target = v.target;
  let attributeVersionId: string | null = null;
  if (isAttributeTarget(v.target)) {
    const a = await checkAttributeTarget(db, v.target, v.rule, direction);
    if (!a.ok) return { ok: false, fieldErrors: { [a.field]: a.message } };
    target = a.attribute.metric;
    attributeVersionId = a.attribute.versionId;
    if (direction === "closest") targetValue ??= a.defaultTargetValue;
  } else {
    const scorer = ds.decoding.scorer ? { config: true, error: null } : await resolveDatasetScorer(db);
    const t = checkTarget(v.target, v.rule, direction, { scorer: !!scorer.config, scorerError: scorer.error });
    if (!t.ok) return { ok: false, fieldErrors: { [t.field!]: t.message! } };
  }
  const tv = checkTargetValue(direction, targetValue);
  if (tv) return { ok: false, fieldErrors: { targetValue: tv } };
  return { ok: true, request: { rule: v.rule, target, direction, targetValue, attributeVersionId } };
}

/** A dataset (its prompt set, decoding and filters parsed), or null. */
export async function findDataset(db: Database, datasetId: string) {
  const ds = await db.prisma.dataset.findUnique({ where: { id: datasetId } });
  return ds && { ...ds, ...readDatasetSettings(ds) };
}

/** A dataset (its settings parsed) with its teachers (id, name, served model id), or null. */
export async function getDatasetWithTeachers(db: Database, datasetId: string) {
  const ds = await db.prisma.dataset.findUnique({
    where: { id: datasetId },
    include: { teachers: { include: { teacher: { select: { id: true, name: true, servedModelId: true } } } } },
  });
  return ds && { ...ds, ...readDatasetSettings(ds) };
}

/** The newest datasets (at most `take`), with their teachers' names, their first selection and how many prompts. */
export async function listDatasets(db: Database, take = 200) {
  return db.prisma.dataset.findMany({
    orderBy: { createdAt: "desc" },
    take,
    include: {
      teachers: { include: { teacher: { select: { name: true } } } },
      selections: { orderBy: { createdAt: "asc" }, take: 1 },
      _count: { select: { prompts: true } },
    },
  });
}
