// npm run bench:runs — the run path end to end, as the profiling-runs issue measures it:
//  1. 2,000 generation requests of a textual run (executor, limiter, retries, batched result writes, metrics)
//     against the test server in its own process with 50 ms latency and a concurrency limit of 32, on the
//     embedded database; wall time and its ratio to the ideal 2000 · 50 ms / 32 = 3.125 s (target ≤ 1.15).
//  2. Storing 100,000 completed items with their scores (16 per item) on a real PostgreSQL (DATABASE_URL, or a
//     throwaway cluster from the installed binaries); target < 20 s.
// Flags: --requests 2000 --concurrency 32 --latency-ms 50 --items 100000 --skip-store
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrationsDir } from "@/lib/db/config";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { textMetrics } from "@/lib/metrics/text";
import { executeRun } from "@/lib/runs/executor";
import { writeBatch, type ItemResult } from "@/lib/runs/item-writer";
import { createRun } from "@/lib/runs/runs";
import { createDatabase, startPgCluster, type PgCluster } from "../tests/support/pg-cluster";
import { addTestModel } from "../tests/support/models";
import { inlineTextualSuite } from "../tests/support/textual-suite";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const requests = arg("requests", 2000);
const concurrency = arg("concurrency", 32);
const latencyMs = arg("latency-ms", 50);
const storeItems = arg("items", 100_000);
process.env.LINEAGE_SECRET_KEY ??= "bench";

const model = (db: Database, baseUrl: string) => addTestModel(db, { baseUrl }, `bench-${Date.now()}`, "tiny-llama", { concurrency: String(concurrency) });

const suiteOf = (n: number) => inlineTextualSuite(n, { name: "bench", maxTokens: 64 });

async function benchRequests() {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", String(latencyMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.on("exit", () => child.kill("SIGTERM"));
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve));
  const { baseUrl } = JSON.parse(first) as { baseUrl: string };
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-"));
  const db = await openDatabase({ home });
  try {
    const modelId = await model(db, baseUrl);
    // Warm-up run (not timed): sockets, JIT, database pages.
    await executeRun(db, await createRun(db, modelId, await suiteOf(Math.min(500, requests))));
    const runs: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const runId = await createRun(db, modelId, await suiteOf(requests));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const outcome = await executeRun(db, runId);
      const secs = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const busy = (cpu.user + cpu.system) / 1e6;
      const done = await db.prisma.item.count({ where: { runId, status: "done" } });
      if (outcome !== "completed" || done !== requests) throw new Error(`run ended ${outcome} with ${done}/${requests} items`);
      runs.push(secs);
      console.log(
        `  run ${rep + 1}: ${requests} requests in ${secs.toFixed(2)} s, this process busy ${busy.toFixed(2)} s (${((100 * busy) / secs).toFixed(0)} % of a core; load average ${os.loadavg()[0].toFixed(1)})`,
      );
    }
    const ideal = (requests * latencyMs) / 1000 / concurrency;
    const best = Math.min(...runs);
    console.log(`textual run: ${requests} requests, concurrency ${concurrency}, latency ${latencyMs} ms`);
    console.log(`  wall time ${best.toFixed(2)} s (best of 3), ideal ${ideal.toFixed(3)} s, ratio ${(best / ideal).toFixed(3)} (target ≤ 1.15)`);
  } finally {
    await db.close();
    child.kill("SIGTERM");
  }
}

async function benchStore() {
  let cluster: PgCluster | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    cluster = await startPgCluster();
    url = cluster.url;
  }
  try {
    const dbUrl = await createDatabase(url, `lineage_bench_${process.pid}`);
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await applyMigrations({ query: (q, p) => c.query(q, p as unknown[]) as never, exec: (q) => c.query(q) }, readMigrations(migrationsDir()), "bench");
    await c.end();
    const db = await openDatabase({ url: dbUrl });
    try {
      const modelId = await model(db, "http://127.0.0.1:9/v1");
      const texts = Array.from(
        { length: 200 },
        (_, i) => `Sample answer ${i}. It explains the idea in a few plain sentences, with some detail and an example or two.`,
      );
      const metrics = texts.map((t) => ({ ...textMetrics(t), length_tokens: 24 }));
      const t0 = performance.now();
      const runId = await createRun(db, modelId, await suiteOf(storeItems));
      const tCreate = performance.now();
      const { rows } = await db.sql.query<{ id: number }>(`SELECT id FROM "Item" WHERE "runId" = $1 ORDER BY id`, [runId]);
      const batch = 2000;
      for (let i = 0; i < rows.length; i += batch) {
        const results: ItemResult[] = rows.slice(i, i + batch).map((r, j) => ({
          id: r.id,
          status: "done",
          output: texts[(i + j) % texts.length],
          data: undefined,
          finishReason: "stop",
          latencyMs: 50,
          promptTokens: 8,
          completionTokens: 24,
          error: null,
          errorKind: null,
          attempts: 1,
          scores: metrics[(i + j) % texts.length],
        }));
        await writeBatch(db, runId, results);
      }
      const t1 = performance.now();
      const { rows: counted } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Score" WHERE "runId" = $1`, [runId]);
      const scores = counted[0].n;
      console.log(
        `store on PostgreSQL: ${storeItems} items created in ${((tCreate - t0) / 1000).toFixed(2)} s, completed with ${scores} scores in ${((t1 - tCreate) / 1000).toFixed(2)} s`,
      );
      console.log(`  total ${((t1 - t0) / 1000).toFixed(2)} s (target < 20 s)`);
    } finally {
      await db.close();
    }
  } finally {
    cluster?.stop();
  }
}

await benchRequests();
if (!process.argv.includes("--skip-store")) await benchStore();
process.exit(0);
