// Custom-attribute targets: each done candidate is scored once per attribute version and the score is cached
// (CandidateScore), so every selection on that version — the first, a re-selection, another direction — reads the
// cache. Only candidates without a stored score are scored: a re-selection on another attribute asks its judge for
// those and never regenerates, and a pass stopped at any moment (pause, kill -9) resumes with what is missing.
// Lexicon attributes are computed in-process; judge and classifier attributes call their services
// (lib/attributes/services.ts). A judge answer that cannot be read is stored as a missing score with its reason and
// raw answer (never 0), and is not asked again; a request that fails after its retries stores nothing.
import { setMaxListeners } from "node:events";
import type { Database } from "@/lib/db/client";
import { BatchWriter, MAX_UNSTORED_MS } from "@/lib/db/batch-writer";
import { lexiconScores } from "@/lib/attributes/measure";
import { openAttributeServices, serviceScore, type AttributeServices } from "@/lib/attributes/services";
import type { AttributeVersionSnapshot } from "@/lib/attributes/spec";
import type { JudgedScore } from "@/lib/attributes/judge";
import { joinInstruction } from "./spec";

export interface StoredScore {
  candidateId: number;
  value: number | null;
  raw: JudgedScore | null;
  error: string | null;
}

/** Done candidates of the dataset without a stored score for this attribute version. */
export async function countMissingScores(db: Database, datasetId: string, attributeVersionId: string): Promise<number> {
  const { rows } = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Candidate" c
     WHERE c."datasetId" = $1 AND c.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM "CandidateScore" s WHERE s."attributeVersionId" = $2 AND s."candidateId" = c.id)`,
    [datasetId, attributeVersionId],
  );
  return rows[0]?.n ?? 0;
}

export async function writeScores(db: Database, attributeVersionId: string, batch: readonly StoredScore[]): Promise<void> {
  if (batch.length === 0) return;
  // A score, once stored, is never replaced: a second pass over the same candidate (a race with another worker) keeps
  // the first.
  await db.sql.query(
    `INSERT INTO "CandidateScore" ("attributeVersionId", "candidateId", value, raw, error, "createdAt")
     SELECT $1, v.c, v.v, v.r::jsonb, v.e, now() FROM unnest($2::int[], $3::float8[], $4::text[], $5::text[]) AS v(c, v, r, e)
     ON CONFLICT ("attributeVersionId", "candidateId") DO NOTHING`,
    [
      attributeVersionId,
      batch.map((s) => s.candidateId),
      batch.map((s) => (s.value !== null && Number.isFinite(s.value) ? s.value : null)),
      batch.map((s) => (s.raw ? JSON.stringify(s.raw) : null)),
      batch.map((s) => s.error),
    ],
  );
}

/** The stored score of each candidate for this version (by candidate id); candidates not scored are absent. */
export async function storedScores(db: Database, attributeVersionId: string, candidateIds: readonly number[]): Promise<Map<number, StoredScore>> {
  const { rows } = await db.sql.query<{ candidateId: number; value: number | null; raw: unknown; error: string | null }>(
    `SELECT "candidateId", value, raw, error FROM "CandidateScore" WHERE "attributeVersionId" = $1 AND "candidateId" = ANY($2::int[])`,
    [attributeVersionId, [...candidateIds]],
  );
  return new Map(
    rows.map((r) => [
      Number(r.candidateId),
      { candidateId: Number(r.candidateId), value: r.value, raw: (r.raw as JudgedScore | null) ?? null, error: r.error },
    ]),
  );
}

export interface ScoreMissingOptions {
  signal?: AbortSignal;
  /** Opened services (judges' endpoints, classifiers' scorers); opened here when absent and needed. */
  services?: AttributeServices;
  /** Candidates read per page. */
  page?: number;
}

const PAGE = 2000;

/**
 * Scores every done candidate of the dataset that has no stored score for this attribute version, writing the scores
 * as they arrive. Returns how many were scored. Stops quietly when the signal aborts; the first failed request
 * (after the model client's retries) is thrown once what was scored is written.
 */
export async function scoreMissingAttribute(
  db: Database,
  datasetId: string,
  attribute: AttributeVersionSnapshot,
  opts: ScoreMissingOptions = {},
): Promise<number> {
  const signal = opts.signal ?? new AbortController().signal;
  // Every request in flight listens to it (up to the judge's concurrency × 2).
  setMaxListeners(0, signal);
  const inProcess = attribute.definition.kind === "lexicon";
  const services = inProcess ? null : (opts.services ?? (await openAttributeServices(db, [attribute])));
  const writer = new BatchWriter<StoredScore>((batch) => writeScores(db, attribute.versionId, batch), 500, 200);
  // Enough in flight to keep the judge endpoint's limiter (its concurrency) full; a classifier paces itself.
  const endpoint = services?.judges.get(attribute.versionId);
  const window = endpoint ? Math.max(2, endpoint.concurrency * 2) : 16;
  let scored = 0;
  let failure: unknown = null;
  let afterId = 0;
  while (!signal.aborted && failure === null) {
    const { rows } = await db.sql.query<{ id: number; output: string | null; prompt: string; input: string }>(
      `SELECT c.id, c.output, p.prompt, p.input FROM "Candidate" c JOIN "DatasetPrompt" p ON p.id = c."promptId"
       WHERE c."datasetId" = $1 AND c.status = 'done' AND c.id > $3
         AND NOT EXISTS (SELECT 1 FROM "CandidateScore" s WHERE s."attributeVersionId" = $2 AND s."candidateId" = c.id)
       ORDER BY c.id LIMIT $4`,
      [datasetId, attribute.versionId, afterId, opts.page ?? PAGE],
    );
    if (rows.length === 0) break;
    afterId = Number(rows[rows.length - 1].id);
    if (inProcess) {
      const batch = rows.map((r) => {
        const value = lexiconScores([attribute], r.output ?? "")[attribute.metric] ?? null;
        return { candidateId: Number(r.id), value, raw: null, error: value === null ? "undefined for this text (no words)" : null };
      });
      writer.add(...batch);
      scored += batch.length;
      continue;
    }
    let next = 0;
    const worker = async () => {
      while (!signal.aborted && failure === null && next < rows.length) {
        const r = rows[next++];
        // While the database lags behind, no new request: bounds what a crash loses.
        if (writer.unstoredAgeMs() > MAX_UNSTORED_MS) await writer.waitUntilStored(MAX_UNSTORED_MS);
        try {
          const s = await serviceScore(services!, attribute, joinInstruction(r), r.output ?? "", { signal });
          writer.add({ candidateId: Number(r.id), value: s.value, raw: s, error: s.value === null ? (s.error ?? "no readable answer") : null });
          scored++;
        } catch (err) {
          if (!signal.aborted) failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, rows.length) }, worker));
  }
  await writer.flush();
  if (failure !== null) throw failure;
  return scored;
}
