// Best-of-k and random selection over stored candidates. Selecting never generates: it reads the candidates' stored
// scores, so re-selecting with another target or direction is a query and a bulk insert.
//
// Rules (docs/active-inheritance.md):
// - eligible: a completed candidate that passes the dataset's filters (drop empty text, drop truncated
//   = finish_reason "length", at least `minWords` words);
// - best: among eligible candidates with a value for the target, the highest (max), the lowest (min) or the one
//   closest to the target value (closest: the smallest |value − target|); ties (equal values, or equal distances on
//   either side of the target) go to the lowest teacher name (code-unit order), then the lowest sample index. A
//   prompt without such a candidate has no selected item;
// - a custom attribute's values are its cached scores (CandidateScore, one per candidate and attribute version);
//   a candidate not scored yet, or whose judge answer could not be read, has no value;
// - random (the passive baseline): one eligible candidate per prompt, uniformly, from createRng(`${seed}:random`)
//   drawn over prompts in prompt order, among the prompt's eligible candidates sorted by (teacher name, sample index).
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { createRng, type Rng } from "@/lib/metrics/random";
import { readFilters, type SelectionFilters } from "./spec";

export interface CandidateRow {
  id: number;
  promptId: number;
  promptIndex: number;
  teacher: string;
  sampleIndex: number;
  /** The target's stored value; null when the metric is undefined for this text. */
  value: number | null;
  words: number | null;
  empty: boolean;
  finishReason: string | null;
}

export function isEligible(c: CandidateRow, f: SelectionFilters): boolean {
  if (f.dropEmpty && c.empty) return false;
  if (f.dropTruncated && c.finishReason === "length") return false;
  if (f.minWords > 0 && (c.words ?? 0) < f.minWords) return false;
  return true;
}

function byTie(a: CandidateRow, b: CandidateRow): number {
  if (a.teacher !== b.teacher) return a.teacher < b.teacher ? -1 : 1;
  return a.sampleIndex - b.sampleIndex;
}

/** Candidates grouped by prompt, prompts in prompt order, each group in tie order. */
export function groupByPrompt(rows: readonly CandidateRow[]): CandidateRow[][] {
  const groups = new Map<number, CandidateRow[]>();
  for (const r of rows) {
    let g = groups.get(r.promptIndex);
    if (!g) groups.set(r.promptIndex, (g = []));
    g.push(r);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!.sort(byTie));
}

export type SelectDirection = "max" | "min" | "closest";

/** How good a value is for the direction, higher better: the value, its negation, or minus its distance to the target. */
function goodness(direction: SelectDirection, targetValue: number): (v: number) => number {
  if (direction === "max") return (v) => v;
  if (direction === "min") return (v) => -v;
  return (v) => -Math.abs(v - targetValue);
}

/** The best candidate of each prompt: promptId → candidate. `targetValue` is what "closest" aims at. */
export function selectBest(rows: readonly CandidateRow[], direction: SelectDirection, filters: SelectionFilters, targetValue = 0): Map<number, CandidateRow> {
  const out = new Map<number, CandidateRow>();
  const score = goodness(direction, targetValue);
  for (const group of groupByPrompt(rows)) {
    let best: CandidateRow | null = null;
    let bestScore = -Infinity;
    for (const c of group) {
      if (c.value === null || !Number.isFinite(c.value) || !isEligible(c, filters)) continue;
      const s = score(c.value);
      // Strict comparison: in tie order the first of equal values stays.
      if (!best || s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    if (best) out.set(best.promptId, best);
  }
  return out;
}

/** The seeded random pick of each prompt (the passive baseline): promptId → candidate. */
export function selectRandom(
  rows: readonly CandidateRow[],
  seed: number,
  filters: SelectionFilters,
  rng: Rng = createRng(`${seed}:random`),
): Map<number, CandidateRow> {
  const out = new Map<number, CandidateRow>();
  for (const group of groupByPrompt(rows)) {
    const eligible = group.filter((c) => isEligible(c, filters));
    if (eligible.length === 0) continue;
    const pick = eligible[rng.nextInt(eligible.length)];
    out.set(pick.promptId, pick);
  }
  return out;
}

/**
 * Completed candidates of a dataset with one metric's value read from the stored scores. The columns come back as
 * arrays (one row): turning 16,000 result rows into objects costs the embedded database about 3× the query itself.
 */
export async function loadCandidateRows(
  db: Database,
  datasetId: string,
  metric: string,
  prompts: { from: number; to: number } = { from: 0, to: 2 ** 31 - 1 },
  /** Read the values from this attribute version's cached scores rather than the candidate's built-in scores. */
  attributeVersionId: string | null = null,
): Promise<CandidateRow[]> {
  const { rows: teachers } = await db.sql.query<{ id: string; name: string }>(
    `SELECT m.id, m.name FROM "DatasetTeacher" t JOIN "Model" m ON m.id = t."teacherId" WHERE t."datasetId" = $1`,
    [datasetId],
  );
  const names = new Map(teachers.map((t) => [t.id, t.name]));
  const { rows } = await db.sql.query<{
    ids: number[] | null;
    promptIds: number[];
    promptIndexes: number[];
    teacherIds: string[];
    samples: number[];
    values: (number | string | null)[];
    words: (number | string | null)[];
    empty: boolean[];
    finishReasons: (string | null)[];
  }>(
    `SELECT array_agg(c.id ORDER BY c.id) AS ids, array_agg(c."promptId" ORDER BY c.id) AS "promptIds",
       array_agg(p.index ORDER BY c.id) AS "promptIndexes", array_agg(c."teacherId" ORDER BY c.id) AS "teacherIds",
       array_agg(c."sampleIndex" ORDER BY c.id) AS samples,
       array_agg(${attributeVersionId ? "a.value" : "(c.scores->>$4)::float8"} ORDER BY c.id) AS "values",
       array_agg((c.scores->>'length_words')::float8 ORDER BY c.id) AS words,
       array_agg(coalesce(c.output ~ '^[[:space:]]*$', true) ORDER BY c.id) AS empty,
       array_agg(c."finishReason" ORDER BY c.id) AS "finishReasons"
     FROM "Candidate" c JOIN "DatasetPrompt" p ON p.id = c."promptId"
       ${attributeVersionId ? `LEFT JOIN "CandidateScore" a ON a."candidateId" = c.id AND a."attributeVersionId" = $4` : ""}
     WHERE c."datasetId" = $1 AND c.status = 'done' AND p.index >= $2 AND p.index < $3`,
    [datasetId, prompts.from, prompts.to, attributeVersionId ?? metric],
  );
  const r = rows[0];
  if (!r?.ids) return [];
  const num = (x: number | string | null) => (x === null ? null : Number(x));
  return r.ids.map((id, i) => ({
    id: Number(id),
    promptId: Number(r.promptIds[i]),
    promptIndex: Number(r.promptIndexes[i]),
    teacher: names.get(r.teacherIds[i]) ?? r.teacherIds[i],
    sampleIndex: Number(r.samples[i]),
    value: num(r.values[i]),
    words: num(r.words[i]),
    empty: r.empty[i],
    finishReason: r.finishReasons[i],
  }));
}

export interface SelectionRequest {
  rule: "best" | "random";
  target: string;
  direction: SelectDirection | null;
  /** What "closest" aims at (required with it, ignored otherwise). */
  targetValue?: number | null;
  /** The custom attribute version the target names (its metric id is `target`), or null for a built-in metric. */
  attributeVersionId?: string | null;
}

async function datasetFiltersAndSeed(db: Database, datasetId: string): Promise<{ filters: SelectionFilters; seed: number }> {
  const { rows } = await db.sql.query<{ filters: unknown; seed: number }>(`SELECT filters, seed FROM "Dataset" WHERE id = $1`, [datasetId]);
  if (!rows[0]) throw new Error(`no dataset with id ${datasetId}`);
  return { filters: readFilters(rows[0].filters), seed: Number(rows[0].seed) };
}

/** Computes a selection's items from the stored candidates (no request) and replaces the stored items. */
export async function fillSelection(db: Database, selectionId: string, promptsPerPage = PROMPTS_PER_PAGE): Promise<number> {
  // One query for the selection and its dataset's filters (this runs as a dataset completes).
  const { rows: found } = await db.sql.query<{
    datasetId: string;
    rule: string;
    target: string | null;
    direction: string | null;
    targetValue: number | null;
    attributeVersionId: string | null;
    seed: number;
    filters: unknown;
  }>(
    `SELECT s."datasetId", s.rule, s.target, s.direction::text AS direction, s."targetValue", s."attributeVersionId", s.seed, d.filters
     FROM "Selection" s JOIN "Dataset" d ON d.id = s."datasetId" WHERE s.id = $1`,
    [selectionId],
  );
  const sel = found[0];
  if (!sel) throw new Error(`no selection with id ${selectionId}`);
  const filters = readFilters(sel.filters);
  // The candidates are read a range of prompts at a time (each prompt's pick depends on its own candidates only,
  // and the random pick's generator runs on across ranges in prompt order): a dataset of a million candidates is
  // never held at once, only one pick per prompt.
  const { rows: extent } = await db.sql.query<{ n: number | null }>(`SELECT max(index) + 1 AS n FROM "DatasetPrompt" WHERE "datasetId" = $1`, [sel.datasetId]);
  const prompts = Number(extent[0]?.n ?? 0);
  const rng = createRng(`${Number(sel.seed)}:random`);
  const promptIds: number[] = [];
  const candidateIds: number[] = [];
  for (let from = 0; from < prompts; from += promptsPerPage) {
    const rows = await loadCandidateRows(db, sel.datasetId, sel.target ?? "length_words", { from, to: from + promptsPerPage }, sel.attributeVersionId);
    const picked =
      sel.rule === "random"
        ? selectRandom(rows, Number(sel.seed), filters, rng)
        : selectBest(rows, selectDirection(sel.direction), filters, Number(sel.targetValue ?? 0));
    for (const c of picked.values()) {
      promptIds.push(c.promptId);
      candidateIds.push(c.id);
    }
  }
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM "SelectionItem" WHERE "selectionId" = $1`, [selectionId]);
    for (let i = 0; i < promptIds.length; i += 20_000)
      await tx.query(`INSERT INTO "SelectionItem" ("selectionId", "promptId", "candidateId") SELECT $1, p, c FROM unnest($2::int[], $3::int[]) AS t(p, c)`, [
        selectionId,
        promptIds.slice(i, i + 20_000),
        candidateIds.slice(i, i + 20_000),
      ]);
  });
  return promptIds.length;
}

function selectDirection(d: string | null): SelectDirection {
  return d === "min" || d === "closest" ? d : "max";
}

/** Prompts whose candidates a selection reads at once (k × teachers candidates each). */
const PROMPTS_PER_PAGE = 2000;

/**
 * A selection with this rule, target and direction (the dataset's seed): the stored one when it exists, else a new
 * one computed from the stored candidates. Never sends a generation request.
 */
export async function reselect(db: Database, datasetId: string, req: SelectionRequest): Promise<string> {
  const { id, created } = await selectionRow(db, datasetId, req);
  if (created || (await db.prisma.selectionItem.count({ where: { selectionId: id } })) === 0) await fillSelection(db, id);
  return id;
}

/** The selection row for this request (the dataset's seed), created empty when it does not exist. */
export async function findOrCreateSelection(db: Database, datasetId: string, req: SelectionRequest): Promise<string> {
  return (await selectionRow(db, datasetId, req)).id;
}

async function selectionRow(db: Database, datasetId: string, req: SelectionRequest): Promise<{ id: string; created: boolean }> {
  const { seed } = await datasetFiltersAndSeed(db, datasetId);
  const direction = req.rule === "best" ? req.direction : null;
  const targetValue = direction === "closest" ? (req.targetValue ?? null) : null;
  const attributeVersionId = req.attributeVersionId ?? null;
  const existing = await db.prisma.selection.findFirst({
    where: { datasetId, rule: req.rule, target: req.target, direction, targetValue, attributeVersionId, seed },
    orderBy: { createdAt: "asc" },
  });
  if (existing) return { id: existing.id, created: false };
  const id = randomUUID();
  await db.prisma.selection.create({ data: { id, datasetId, rule: req.rule, target: req.target, direction, targetValue, attributeVersionId, seed } });
  return { id, created: true };
}

/** The dataset's selections, oldest (the one it was built for) first. */
export async function listSelections(db: Database, datasetId: string) {
  const rows = await db.prisma.selection.findMany({
    where: { datasetId },
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { items: true } }, attributeVersion: { select: { version: true } } },
  });
  return rows.map((s) => ({
    id: s.id,
    rule: s.rule as "best" | "random",
    target: s.target,
    direction: s.direction,
    targetValue: s.targetValue,
    attributeVersionId: s.attributeVersionId,
    /** The targeted attribute's version number, or null. */
    attributeVersion: s.attributeVersion?.version ?? null,
    seed: s.seed,
    createdAt: s.createdAt.toISOString(),
    items: s._count.items,
  }));
}

/** The dataset's selection with that id, or without an id the one the dataset was built for (its first); null if none. */
export async function findSelection(db: Database, datasetId: string, selectionId?: string) {
  return selectionId
    ? db.prisma.selection.findFirst({ where: { id: selectionId, datasetId } })
    : db.prisma.selection.findFirst({ where: { datasetId }, orderBy: { createdAt: "asc" } });
}

/** A selection with its dataset and the dataset's teachers, or null. */
export async function selectionWithDataset(db: Database, selectionId: string) {
  return db.prisma.selection.findUnique({ where: { id: selectionId }, include: { dataset: { include: { teachers: true } } } });
}
