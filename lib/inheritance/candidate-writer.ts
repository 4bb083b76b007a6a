// Candidates are written as they arrive, batched like run items (lib/runs/item-writer.ts): one bulk upsert from
// unnest per batch in one transaction, so 16,000 candidates cost ~100 statements and a crash loses at most the
// current batch, whose candidates stay missing and are requested again on resume. A candidate is a row only once it
// is generated or has failed (see datasets.ts); a row set back to pending by "retry failed" is overwritten.
import { BatchWriter } from "@/lib/db/batch-writer";
import type { Database } from "@/lib/db/client";

export interface CandidateResult {
  promptId: number;
  teacherId: string;
  sampleIndex: number;
  status: "done" | "failed";
  output: string | null;
  finishReason: string | null;
  scores: Record<string, number | null> | null;
  latencyMs: number | null;
  completionTokens: number | null;
  error: string | null;
  errorKind: string | null;
  attempts: number;
}

/** The dataset executor's writer: batches of up to 1,000 candidates or 200 ms. */
export function candidateWriter(db: Database, datasetId: string): BatchWriter<CandidateResult> {
  return new BatchWriter((batch) => writeCandidates(db, datasetId, batch), 1000, 200);
}

function cleanScores(s: Record<string, number | null> | null): string | null {
  if (!s) return null;
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(s)) out[k] = v === null || Number.isFinite(v) ? v : null;
  return JSON.stringify(out);
}

export async function writeCandidates(db: Database, datasetId: string, batch: CandidateResult[]): Promise<void> {
  await db.transaction((tx) =>
    tx.query(
      `INSERT INTO "Candidate" AS c ("datasetId", "promptId", "teacherId", "sampleIndex", status, output, "finishReason", scores,
         "latencyMs", "completionTokens", error, "errorKind", attempts, "createdAt", "completedAt")
       SELECT $1, v.p, v.t, v.s, v.st::"ItemStatus", v.o, v.fr, v.sc::jsonb, v.l, v.ct, v.e, v.ek, v.a, now(),
         CASE WHEN v.st = 'done' THEN now() END
       FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $11::text[], $12::text[], $13::int[])
         AS v(p, t, s, st, o, fr, sc, l, ct, e, ek, a)
       ON CONFLICT ("datasetId", "promptId", "teacherId", "sampleIndex") DO UPDATE SET
         status = excluded.status, output = excluded.output, "finishReason" = excluded."finishReason", scores = excluded.scores,
         "latencyMs" = excluded."latencyMs", "completionTokens" = excluded."completionTokens", error = excluded.error,
         "errorKind" = excluded."errorKind", attempts = c.attempts + excluded.attempts,
         "completedAt" = coalesce(excluded."completedAt", c."completedAt")
       WHERE c.status <> 'done'`,
      [
        datasetId,
        batch.map((r) => r.promptId),
        batch.map((r) => r.teacherId),
        batch.map((r) => r.sampleIndex),
        batch.map((r) => r.status),
        batch.map((r) => r.output),
        batch.map((r) => r.finishReason),
        batch.map((r) => cleanScores(r.scores)),
        batch.map((r) => (r.latencyMs === null ? null : Math.round(r.latencyMs))),
        batch.map((r) => r.completionTokens),
        batch.map((r) => r.error),
        batch.map((r) => r.errorKind),
        batch.map((r) => r.attempts),
      ],
    ),
  );
}
