// Results are written as they arrive, batched: one statement per batch updates the items with their outputs and
// per-item metric values (Item.scores), so a run of 100,000 items costs a few hundred statements, and a crash
// loses at most the results of the current batch (whose items stay pending and are requested again).
import { BatchWriter } from "@/lib/db/batch-writer";
import type { Database } from "@/lib/db/client";
import type { SqlExecutor } from "@/lib/db/migrate";

export interface ItemResult {
  id: number;
  status: "done" | "failed";
  output: string | null;
  data: unknown;
  finishReason: string | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  error: string | null;
  errorKind: string | null;
  attempts: number;
  scores: Record<string, number | null>;
}

/** The run executor's writer: batches of up to 200 results or 100 ms. */
export function itemWriter(db: Database, runId: string): BatchWriter<ItemResult> {
  return new BatchWriter((batch) => writeBatch(db, runId, batch), 200, 100);
}

export async function writeBatch(db: Database, runId: string, batch: ItemResult[]): Promise<void> {
  await db.transaction((tx) => writeBatchTx(tx, runId, batch));
}

/** Writes results inside a transaction; `rewriteDone` also updates items already done (an import's own rows). */
export async function writeBatchTx(tx: SqlExecutor, runId: string, batch: ItemResult[], rewriteDone = false): Promise<void> {
  const scores = batch.map((r) => {
    const clean: Record<string, number | null> = {};
    for (const [metric, value] of Object.entries(r.scores)) clean[metric] = value === null || Number.isFinite(value) ? value : null;
    return Object.keys(clean).length ? JSON.stringify(clean) : null;
  });
  await tx.query(
    `UPDATE "Item" AS i SET status = v.st::"ItemStatus", output = v.o, data = coalesce(v.d::jsonb, i.data), "finishReason" = v.fr,
       "latencyMs" = v.l, "promptTokens" = v.pt, "completionTokens" = v.ct, error = v.e, "errorKind" = v.ek,
       attempts = i.attempts + v.a, scores = coalesce(v.sc::jsonb, i.scores),
       "completedAt" = CASE WHEN v.st = 'done' THEN now() ELSE i."completedAt" END
     FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::text[], $11::text[], $12::int[], $13::text[])
       AS v(id, st, o, d, fr, l, pt, ct, e, ek, a, sc)
     WHERE i.id = v.id AND i."runId" = $1 AND (i.status <> 'done' OR $14::boolean)`,
    [
      runId,
      batch.map((r) => r.id),
      batch.map((r) => r.status),
      batch.map((r) => r.output),
      batch.map((r) => (r.data === undefined ? null : JSON.stringify(r.data))),
      batch.map((r) => r.finishReason),
      batch.map((r) => (r.latencyMs === null ? null : Math.round(r.latencyMs))),
      batch.map((r) => r.promptTokens),
      batch.map((r) => r.completionTokens),
      batch.map((r) => r.error),
      batch.map((r) => r.errorKind),
      batch.map((r) => r.attempts),
      scores,
      rewriteDone,
    ],
  );
}
