// Candidates are written as they arrive, batched like run items (lib/runs/item-writer.ts): one bulk UPDATE from
// unnest per batch in one transaction, so 16,000 candidates cost ~100 statements and a crash loses at most the
// current batch, whose candidates stay pending and are requested again on resume.
import { BatchWriter } from "@/lib/db/batch-writer";
import type { Database } from "@/lib/db/client";

export interface CandidateResult {
  id: number;
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
      `UPDATE "Candidate" AS c SET status = v.st::"ItemStatus", output = v.o, "finishReason" = v.fr, scores = v.sc::jsonb,
         "latencyMs" = v.l, "completionTokens" = v.ct, error = v.e, "errorKind" = v.ek, attempts = c.attempts + v.a,
         "completedAt" = CASE WHEN v.st = 'done' THEN now() ELSE c."completedAt" END
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::text[], $11::int[])
         AS v(id, st, o, fr, sc, l, ct, e, ek, a)
       WHERE c.id = v.id AND c."datasetId" = $1 AND c.status <> 'done'`,
      [
        datasetId,
        batch.map((r) => r.id),
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
