// Child process of scale-memory.test.ts: opens the embedded database given (already created, so that the
// one-time initdb does not count), then creates and executes a textual run of N items against the test server, and
// prints its resident memory right after opening (the baseline) and its peak (VmHWM) after creating and after
// executing. Everything it needs is imported before the database opens.
import fs from "node:fs";
import { openDatabase } from "@/lib/db/client";
import { saveModel } from "@/lib/models/registry";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";

const [home, baseUrl, items] = process.argv.slice(2);
const N = Number(items);
process.env.LINEAGE_SECRET_KEY ??= "scale-memory";

function memory(): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync("/proc/self/status", "utf8");
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rssMb: mb("VmRSS"), peakMb: mb("VmHWM") };
}

const db = await openDatabase({ home });
const opened = memory();
const saved = await saveModel(db, {
  name: `scale-${Date.now()}`,
  baseUrl,
  servedModelId: "tiny-llama",
  credentialMode: "none",
  apiKeySecret: "",
  capChat: "on",
  concurrency: "16",
});
if (!saved.ok) throw new Error(JSON.stringify(saved));
const suite = await resolveSuite(
  parseSuite({
    name: "scale",
    benchmarks: [
      {
        benchmark: "textual",
        prompts: { source: "inline", items: Array.from({ length: N }, (_, i) => ({ key: `p${i}`, prompt: `Write about subject ${i}.` })) },
        decoding: { temperature: 1, top_p: 0.9, max_tokens: 16, seed: 1 },
      },
    ],
  }),
);
const runId = await createRun(db, saved.data.id, suite);
const created = memory();
const outcome = await executeRun(db, runId);
const executed = memory();
const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Item" WHERE "runId" = $1 AND status = 'done'`, [runId]);
const { rows: aggs } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Aggregate" WHERE "runId" = $1`, [runId]);
await db.close();
process.stdout.write(
  `${JSON.stringify({ outcome, done: rows[0].n, aggregates: aggs[0].n, openedMb: opened.rssMb, createdPeakMb: created.peakMb, peakMb: executed.peakMb })}\n`,
);
process.exit(0);
