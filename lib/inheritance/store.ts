// A dataset's state in the database: its status transitions, the selections the executor fills, and the pages of
// missing candidates it requests. The executor and the dataset controls (./datasets.ts) share these definitions, as
// runs share lib/runs/store.ts.
import type { Database } from "@/lib/db/client";

/** The dataset with its teachers (their model rows, for their endpoints) and the selection it was built for. */
export async function datasetForExecution(db: Database, datasetId: string) {
  return db.prisma.dataset.findUnique({
    where: { id: datasetId },
    include: { teachers: { include: { teacher: true } }, selections: { orderBy: { createdAt: "asc" }, take: 1 } },
  });
}

/** The dataset's status, or null when it no longer exists. */
export async function datasetStatus(db: Database, datasetId: string): Promise<string | null> {
  const { rows } = await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM "Dataset" WHERE id = $1`, [datasetId]);
  return rows[0]?.status ?? null;
}

/** Sets the dataset's status (and error); an end state stamps the finish. */
export async function setDatasetStatus(db: Database, datasetId: string, status: string, error: string | null = null): Promise<void> {
  await db.sql.query(
    `UPDATE "Dataset" SET status = $2::"DatasetStatus", error = $3,
       "finishedAt" = CASE WHEN $2 IN ('completed', 'failed', 'cancelled') THEN now() ELSE "finishedAt" END
     WHERE id = $1`,
    [datasetId, status, error],
  );
}

/**
 * Completes a dataset that is still running (a pause or cancel that arrived at the very end wins), its error saying
 * how many candidates failed, if any. Returns its status afterwards, or null when it no longer exists.
 */
export async function completeRunningDataset(db: Database, datasetId: string): Promise<string | null> {
  const { rows: failed } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Candidate" WHERE "datasetId" = $1 AND status = 'failed'`, [
    datasetId,
  ]);
  const note = failed[0]?.n ? `${failed[0].n} candidate(s) failed: retry them from the dataset page` : null;
  await db.sql.query(`UPDATE "Dataset" SET status = 'completed', error = $2, "finishedAt" = now() WHERE id = $1 AND status = 'running'`, [datasetId, note]);
  return datasetStatus(db, datasetId);
}

/** Queues a completed or failed dataset again (to score candidates for a new selection); false when it was neither. */
export async function requeueFinishedDataset(db: Database, datasetId: string): Promise<boolean> {
  const { rows } = await db.sql.query(
    `UPDATE "Dataset" SET status = 'queued', error = NULL, "finishedAt" = NULL WHERE id = $1 AND status IN ('completed', 'failed') RETURNING id`,
    [datasetId],
  );
  return rows.length > 0;
}

/** Puts the dataset's failed candidates back to pending; returns how many. */
export async function resetFailedCandidates(db: Database, datasetId: string): Promise<number> {
  const { rows } = await db.sql.query(
    `UPDATE "Candidate" SET status = 'pending', error = NULL, "errorKind" = NULL, attempts = 0 WHERE "datasetId" = $1 AND status = 'failed' RETURNING id`,
    [datasetId],
  );
  return rows.length;
}

/** The dataset's selections (id, target and the attribute version it targets). */
export async function datasetSelections(db: Database, datasetId: string): Promise<{ id: string; target: string | null; attributeVersionId: string | null }[]> {
  return db.prisma.selection.findMany({ where: { datasetId }, select: { id: true, target: true, attributeVersionId: true } });
}

export interface PromptPageRow {
  promptId: number;
  prompt: string;
  input: string;
  /** Sample indexes of this teacher's candidates that are done or failed. */
  have: number[] | null;
}

/**
 * Up to `limit` prompts after prompt id `afterPrompt`, each with the samples the teacher already has (done or failed):
 * the page's prompts first, then their stored candidates, so each page costs the same however far the dataset is.
 */
export async function promptPage(db: Database, datasetId: string, teacherId: string, afterPrompt: number, limit: number): Promise<PromptPageRow[]> {
  const { rows } = await db.sql.query<PromptPageRow>(
    `SELECT p.id AS "promptId", p.prompt, p.input, array_agg(c."sampleIndex") FILTER (WHERE c."sampleIndex" IS NOT NULL) AS have
     FROM (SELECT id, prompt, input FROM "DatasetPrompt" WHERE "datasetId" = $1 AND id > $3 ORDER BY id LIMIT $4) p
       LEFT JOIN "Candidate" c ON c."datasetId" = $1 AND c."promptId" = p.id AND c."teacherId" = $2 AND c.status IN ('done', 'failed')
     GROUP BY p.id, p.prompt, p.input ORDER BY p.id`,
    [datasetId, teacherId, afterPrompt, limit],
  );
  return rows;
}
