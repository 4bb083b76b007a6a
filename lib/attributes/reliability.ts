// Judge reliability shown, not assumed (docs/attributes.md): for a judge attribute, the runs that measured it, the
// distribution of its scores, the share of unreadable answers with examples, and re-judging — the judge asked a
// second time, through the model client (retries, the endpoint's concurrency), about a seeded sample of a run's
// already-judged outputs. The first scores stay on the items; the second ones are stored per pass (Rejudge) as they
// arrive, so a pass cut short resumes without asking again for a score it stored. Agreement: Spearman's ρ and the
// mean absolute difference (lib/metrics/agreement.ts).
import { z } from "zod";
import { binnedValues } from "@/lib/compare/distribution";
import type { Database } from "@/lib/db/client";
import type { HistogramData } from "@/lib/figures/data";
import { type Agreement, meanAbsoluteDifference, spearman } from "@/lib/metrics/agreement";
import { createRng } from "@/lib/metrics/random";
import { readTextualData } from "@/lib/runs/steps/textual";
import { judgeEndpoints, judgeOutput } from "./judge";
import type { AttributeVersionSnapshot } from "./spec";
import { AttributeError, AttributeNotFound, findVersion, getAttribute } from "./store";

/** The most outputs one pass asks about again (a browser waits for the form's answer). */
export const MAX_REJUDGE_SAMPLE = 1000;

export interface JudgedRun {
  runId: string;
  runName: string;
  modelName: string;
  /** the attribute version the run measured */
  version: number;
  versionId: string;
  /** outputs with a readable score (the aggregate's n) */
  n: number;
  createdAt: string;
}

const aggregateAttributeSchema = z.object({ attribute: z.object({ versionId: z.string(), version: z.number() }) });

/** The runs whose aggregates name this attribute (completed measurements), newest first. */
export async function judgedRuns(db: Database, metric: string): Promise<JudgedRun[]> {
  const rows = await db.prisma.aggregate.findMany({
    where: { metric },
    include: { run: { select: { name: true, createdAt: true, model: { select: { name: true } } } } },
    orderBy: { run: { createdAt: "desc" } },
  });
  return rows.flatMap((r) => {
    const d = aggregateAttributeSchema.safeParse(r.details);
    if (!d.success) return [];
    return [
      {
        runId: r.runId,
        runName: r.run.name,
        modelName: r.run.model.name,
        version: d.data.attribute.version,
        versionId: d.data.attribute.versionId,
        n: r.n,
        createdAt: r.run.createdAt.toISOString(),
      },
    ];
  });
}

export interface UnreadableSummary {
  /** outputs the judge was asked about */
  judged: number;
  /** of which no answer could be read */
  unreadable: number;
  /** a few of them, oldest first: the first raw answer and the reason */
  examples: { runId: string; itemId: number; raw: string; error: string }[];
}

/** How many of the runs' judged outputs got no readable score, with examples (raw answers are untrusted text). */
export async function unreadableAnswers(db: Database, metric: string, runIds: readonly string[], examples = 5): Promise<UnreadableSummary> {
  if (runIds.length === 0) return { judged: 0, unreadable: 0, examples: [] };
  const ids = [...runIds];
  const JUDGED = `FROM "Item" WHERE "runId" = ANY($1::text[]) AND status = 'done' AND jsonb_typeof(data -> 'attributes' -> $2) = 'object'`;
  const UNREADABLE = `jsonb_typeof(data -> 'attributes' -> $2 -> 'value') IS DISTINCT FROM 'number'`;
  const counts = await db.sql.query<{ judged: number | string; unreadable: number | string }>(
    `SELECT count(*) AS judged, count(*) FILTER (WHERE ${UNREADABLE}) AS unreadable ${JUDGED}`,
    [ids, metric],
  );
  const rows = await db.sql.query<{ id: number; runId: string; raw: string | null; error: string | null }>(
    `SELECT id, "runId", data -> 'attributes' -> $2 -> 'raw' ->> 0 AS raw, data -> 'attributes' -> $2 ->> 'error' AS error
     ${JUDGED} AND ${UNREADABLE} ORDER BY id LIMIT $3::int`,
    [ids, metric, examples],
  );
  return {
    judged: Number(counts.rows[0]?.judged ?? 0),
    unreadable: Number(counts.rows[0]?.unreadable ?? 0),
    examples: rows.rows.map((r) => ({ runId: r.runId, itemId: Number(r.id), raw: r.raw ?? "", error: r.error ?? "" })),
  };
}

// Best-of-k datasets score their candidates once per attribute version (CandidateScore, lib/inheritance): a judge's
// scores there count too. Only judge versions: a lexicon version's missing value is no unreadable answer.
const JUDGE_CANDIDATES = `FROM "CandidateScore" s JOIN "AttributeVersion" v ON v.id = s."attributeVersionId"
  JOIN "Candidate" c ON c.id = s."candidateId" JOIN "Dataset" d ON d.id = c."datasetId"
  WHERE v."attributeId" = $1 AND v.definition ->> 'kind' = 'judge'`;

export interface JudgedDataset {
  datasetId: string;
  name: string;
  /** candidates the judge scored (any version), of which readable */
  scored: number;
  readable: number;
}

/** The best-of-k datasets whose candidates a judge version of this attribute scored, newest first. */
export async function judgedDatasets(db: Database, attributeId: string): Promise<JudgedDataset[]> {
  const { rows } = await db.sql.query<{ id: string; name: string; scored: number | string; readable: number | string }>(
    `SELECT c."datasetId" AS id, min(d.name) AS name, count(*) AS scored, count(s.value) AS readable
     ${JUDGE_CANDIDATES} GROUP BY c."datasetId" ORDER BY max(d."createdAt") DESC`,
    [attributeId],
  );
  return rows.map((r) => ({ datasetId: r.id, name: r.name, scored: Number(r.scored), readable: Number(r.readable) }));
}

/** How many candidates' judge answers could not be read, with examples (raw answers are untrusted text). */
export async function unreadableCandidateAnswers(db: Database, attributeId: string, examples = 5) {
  const counts = await db.sql.query<{ judged: number | string; unreadable: number | string }>(
    `SELECT count(*) AS judged, count(*) FILTER (WHERE s.value IS NULL) AS unreadable ${JUDGE_CANDIDATES}`,
    [attributeId],
  );
  const rows = await db.sql.query<{ id: number; datasetId: string; raw: string | null; error: string | null }>(
    `SELECT c.id, c."datasetId", s.raw -> 'raw' ->> 0 AS raw, s.error ${JUDGE_CANDIDATES} AND s.value IS NULL ORDER BY c.id LIMIT $2::int`,
    [attributeId, examples],
  );
  return {
    judged: Number(counts.rows[0]?.judged ?? 0),
    unreadable: Number(counts.rows[0]?.unreadable ?? 0),
    examples: rows.rows.map((r) => ({ datasetId: r.datasetId, candidateId: Number(r.id), raw: r.raw ?? "", error: r.error ?? "" })),
  };
}

/**
 * The distribution of the attribute's scores: one series per run (its items' values) and per dataset (its
 * candidates' judge scores), in shared bins (lib/compare/distribution.ts). Series ids: the run id, `dataset:<id>`.
 */
export async function scoreDistribution(
  db: Database,
  a: { id: string; metric: string },
  runIds: readonly string[],
  datasetIds: readonly string[],
  bins = 10,
): Promise<HistogramData> {
  const series = [...runIds, ...datasetIds.map((d) => `dataset:${d}`)];
  const sql = `SELECT "runId" AS series, (scores ->> $2)::float8 AS value FROM "Item"
      WHERE "runId" = ANY($1::text[]) AND status = 'done' AND jsonb_typeof(scores -> $2) = 'number'
    UNION ALL
    SELECT 'dataset:' || c."datasetId", s.value FROM "CandidateScore" s JOIN "AttributeVersion" v ON v.id = s."attributeVersionId"
      JOIN "Candidate" c ON c.id = s."candidateId"
      WHERE v."attributeId" = $3 AND v.definition ->> 'kind' = 'judge' AND c."datasetId" = ANY($4::text[]) AND s.value IS NOT NULL`;
  const h = await binnedValues(db, { sql, params: [[...runIds], a.metric, a.id, [...datasetIds]] }, series, bins);
  return { edges: h.edges, counts: h.counts, n: h.n };
}

// ---------------------------------------------------------------------------------------------------------------
// Re-judging

export interface RejudgeRequest {
  /** the attribute: id, name or metric id */
  attribute: string;
  runId: string;
  sampleSize: number;
  seed: number;
  signal?: AbortSignal;
  /** told after each stored second score */
  onScore?: (done: number, total: number) => void;
}

export interface RejudgeSummary {
  id: string;
  attributeId: string;
  runId: string;
  runName: string;
  modelName: string;
  version: number;
  versionId: string;
  sampleSize: number;
  seed: number;
  createdAt: string;
  finishedAt: string | null;
  /** second scores stored */
  stored: number;
  /** second answers that could not be read */
  unreadable: number;
  spearman: Agreement<number>;
  meanAbsDiff: Agreement<number>;
  /** the pairs (first, second) in item order, for a table or a test */
  pairs: { itemId: number; first: number; second: number | null; raw: string[]; error: string | null; at: string }[];
}

/** The version a run measured of this attribute, refused with the reason when the run did not measure it. */
async function versionOfRun(db: Database, attribute: string, runId: string): Promise<AttributeVersionSnapshot> {
  const a = await getAttribute(db, attribute);
  if (!a) throw new AttributeNotFound(`no attribute "${attribute}"`);
  const agg = await db.prisma.aggregate.findUnique({ where: { runId_metric: { runId, metric: a.metric } } });
  const d = aggregateAttributeSchema.safeParse(agg?.details);
  if (!d.success) {
    const run = await db.prisma.run.findUnique({ where: { id: runId }, select: { id: true } });
    if (!run) throw new AttributeError(`no run with id ${runId}`, { field: "runId", kind: "not_found" });
    throw new AttributeError(`run ${runId} has no completed measurement of "${a.name}"`, {
      field: "runId",
      userMessage: `That run has no completed measurement of "${a.name}": choose a run that measured it.`,
    });
  }
  const v = await findVersion(db, d.data.attribute.versionId);
  if (!v) throw new AttributeError(`the version of "${a.name}" that run ${runId} measured was deleted`, { field: "runId" });
  if (v.definition.kind !== "judge")
    throw new AttributeError(`"${a.name}" version ${v.version} is a ${v.definition.kind}, not a judge: only a judge's scores are re-asked`);
  return v;
}

/**
 * The sample: the run's done items with a readable first score, in id order, shuffled by the seed, the first
 * `size` of them. The same run, size and seed always give the same sample — which is how a pass resumes.
 */
async function sampleOf(db: Database, runId: string, metric: string, size: number, seed: number): Promise<{ itemId: number; first: number }[]> {
  const { rows } = await db.sql.query<{ id: number; v: number | string }>(
    `SELECT id, (scores ->> $2)::float8 AS v FROM "Item"
     WHERE "runId" = $1 AND status = 'done' AND jsonb_typeof(scores -> $2) = 'number' ORDER BY id`,
    [runId, metric],
  );
  const all = rows.map((r) => ({ itemId: Number(r.id), first: Number(r.v) }));
  return createRng(seed)
    .shuffle(all)
    .slice(0, size)
    .sort((x, y) => x.itemId - y.itemId);
}

function checkSize(sampleSize: number, seed: number): void {
  if (!Number.isInteger(sampleSize) || sampleSize < 2 || sampleSize > MAX_REJUDGE_SAMPLE)
    throw new AttributeError(`the sample size must be a whole number from 2 to ${MAX_REJUDGE_SAMPLE} (got ${sampleSize})`, { field: "sampleSize" });
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
    throw new AttributeError(`the seed must be a whole number from 0 to ${2 ** 31 - 1} (got ${seed})`, { field: "seed" });
}

/**
 * Asks the judge again about a seeded sample of a run's judged outputs and returns the agreement. The pass is found
 * again by (version, run, size, seed): run again after an interruption, it asks only for the second scores it has
 * not stored. A request that fails after its retries stops the pass (what was stored stays) with the reason.
 */
export async function rejudge(db: Database, req: RejudgeRequest): Promise<RejudgeSummary> {
  checkSize(req.sampleSize, req.seed);
  const version = await versionOfRun(db, req.attribute, req.runId);
  if (version.definition.kind !== "judge") throw new AttributeError("not a judge");
  const def = version.definition;
  const sample = await sampleOf(db, req.runId, version.metric, req.sampleSize, req.seed);
  if (sample.length < 2)
    throw new AttributeError(`run ${req.runId} has ${sample.length} output${sample.length === 1 ? "" : "s"} with a readable score: nothing to compare`, {
      field: "runId",
    });
  // A sample larger than the run is the whole run: recorded with the size it really has, so it is found again.
  const size = sample.length;
  const pass = await db.prisma.rejudge.upsert({
    where: { versionId_runId_sampleSize_seed: { versionId: version.versionId, runId: req.runId, sampleSize: size, seed: req.seed } },
    create: { versionId: version.versionId, runId: req.runId, sampleSize: size, seed: req.seed },
    update: {},
  });
  const stored = new Set((await db.prisma.rejudgeScore.findMany({ where: { rejudgeId: pass.id }, select: { itemId: true } })).map((s) => s.itemId));
  const todo = sample.filter((s) => !stored.has(s.itemId));
  if (todo.length) {
    const endpoint = (await judgeEndpoints(db, [version])).get(version.versionId)!;
    let done = stored.size;
    let next = 0;
    // As many workers as the judge endpoint takes requests at once (the model client's limiter holds the same
    // limit across the process, shared with runs).
    const worker = async () => {
      while (next < todo.length) {
        if (req.signal?.aborted) return;
        const s = todo[next++];
        const item = await db.prisma.item.findUniqueOrThrow({ where: { id: s.itemId }, select: { prompt: true, output: true, data: true } });
        const prompt = readTextualData(item.data).prompt ?? item.prompt;
        const score = await judgeOutput(endpoint, def, prompt, item.output ?? "", { signal: req.signal });
        // Two submits of the same pass at once may both ask: the first stored answer stays.
        await db.prisma.rejudgeScore.createMany({
          data: [
            {
              rejudgeId: pass.id,
              itemId: s.itemId,
              first: s.first,
              value: score.value,
              raw: { raw: score.raw, values: score.values },
              error: score.error ?? null,
            },
          ],
          skipDuplicates: true,
        });
        req.onScore?.(++done, size);
      }
    };
    // Every worker settles before the pass returns or throws, so that nothing is stored after it did.
    const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(endpoint.concurrency, todo.length)) }, worker));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    req.signal?.throwIfAborted();
  }
  if (!pass.finishedAt) await db.prisma.rejudge.update({ where: { id: pass.id }, data: { finishedAt: new Date() } });
  return (await rejudgeSummaries(db, { id: pass.id }))[0];
}

const storedRawSchema = z.object({ raw: z.array(z.string()), values: z.array(z.number().nullable()) }).catch({ raw: [], values: [] });

/** The passes of an attribute (newest first) or one pass, with their agreement. */
export async function rejudgeSummaries(db: Database, where: { id: string } | { attributeId: string }): Promise<RejudgeSummary[]> {
  const passes = await db.prisma.rejudge.findMany({
    where: "id" in where ? { id: where.id } : { version: { attributeId: where.attributeId } },
    include: {
      version: { select: { version: true, attributeId: true } },
      run: { select: { name: true, model: { select: { name: true } } } },
      scores: { orderBy: { itemId: "asc" } },
    },
    orderBy: { createdAt: "desc" },
  });
  return passes.map((p) => {
    const firsts = p.scores.map((s) => s.first);
    const seconds = p.scores.map((s) => s.value);
    return {
      id: p.id,
      attributeId: p.version.attributeId,
      runId: p.runId,
      runName: p.run.name,
      modelName: p.run.model.name,
      version: p.version.version,
      versionId: p.versionId,
      sampleSize: p.sampleSize,
      seed: p.seed,
      createdAt: p.createdAt.toISOString(),
      finishedAt: p.finishedAt?.toISOString() ?? null,
      stored: p.scores.length,
      unreadable: seconds.filter((x) => x === null).length,
      spearman: spearman(firsts, seconds),
      meanAbsDiff: meanAbsoluteDifference(firsts, seconds),
      pairs: p.scores.map((s) => ({
        itemId: s.itemId,
        first: s.first,
        second: s.value,
        raw: storedRawSchema.parse(s.raw).raw,
        error: s.error,
        at: s.createdAt.toISOString(),
      })),
    };
  });
}
