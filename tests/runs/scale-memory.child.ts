// Child process of scale-memory.test.ts: opens the embedded database given (already created, so that the
// one-time initdb does not count), then creates and executes a textual run of N items against the test server, and
// prints its resident memory right after opening (the baseline) and its peak (VmHWM) after creating and after
// executing. Everything it needs is imported before the database opens.
import { openDatabase } from "@/lib/db/client";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { addTestModel } from "../support/models";
import { inlineTextualSuite } from "../support/textual-suite";
import { processMemoryMb } from "../support/process-memory";

const [home, baseUrl, items] = process.argv.slice(2);
const N = Number(items);
process.env.LINEAGE_SECRET_KEY ??= "scale-memory";

const db = await openDatabase({ home });
const opened = processMemoryMb();
const modelId = await addTestModel(db, { baseUrl }, `scale-${Date.now()}`, "tiny-llama", { concurrency: "16" });
const suite = await inlineTextualSuite(N, { name: "scale", maxTokens: 16 });
const runId = await createRun(db, modelId, suite);
const created = processMemoryMb();
const outcome = await executeRun(db, runId);
const executed = processMemoryMb();
const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" WHERE "runId" = $1 AND status = 'done'`, [runId]);
const { rows: aggs } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Aggregate" WHERE "runId" = $1`, [runId]);
await db.close();
process.stdout.write(
  `${JSON.stringify({ outcome, done: rows[0].n, aggregates: aggs[0].n, openedMb: opened.rssMb, createdPeakMb: created.peakMb, peakMb: executed.peakMb })}\n`,
);
process.exit(0);
