// npm run bench:pages — the browsing pages at team scale, as the figures-and-browsing issue measures them: 200
// models, 2,000 completed runs (20 textual metrics each, 100 items each) and 20 derivations are seeded, then the
// production server renders /leaderboard, /lineage, /runs and /models; the median of 7 requests per page (after one
// warm-up) is printed, on the embedded database and on PostgreSQL (DATABASE_URL, or a throwaway cluster from the
// installed binaries). Target: < 300 ms per page. Needs a production build (`npm run build`, or `npm start` once).
// Flags: --models 200 --runs 2000 --derivations 20 --items 100 --skip-postgres
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrationsDir } from "@/lib/db/config";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { metricsByCategory } from "@/lib/metrics/catalogue";
import { createDatabase, startPgCluster, type PgCluster } from "../tests/support/pg-cluster";
import { serveBuilt } from "./dashboard";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MODELS = arg("models", 200);
const RUNS = arg("runs", 2000);
const DERIVATIONS = arg("derivations", 20);
const ITEMS = arg("items", 100);
const PAGES = ["/leaderboard", "/lineage", "/runs", "/models"];
const root = path.resolve(import.meta.dirname, "..");

async function seed(db: Database): Promise<void> {
  const metrics = metricsByCategory()
    .textual.map((m) => m.id)
    .slice(0, 20);
  await db.sql.query(
    `INSERT INTO "Model" (id, name, "baseUrl", "servedModelId", "updatedAt")
     SELECT 'm' || g, 'model-' || lpad(g::text, 3, '0'), 'http://127.0.0.1:9/v1', 'm' || g, now() FROM generate_series(1, $1) g`,
    [MODELS],
  );
  await db.sql.query(
    `INSERT INTO "Run" (id, "modelId", name, status, suite, "createdAt", "finishedAt")
     SELECT 'r' || g, 'm' || (1 + g % $2), 'run ' || g, 'completed', '{"name":"textual","benchmarks":[{"benchmark":"textual"}]}'::jsonb,
            now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
       FROM generate_series(1, $1) g`,
    [RUNS, MODELS],
  );
  await db.sql.query(
    `INSERT INTO "RunBenchmark" ("runId", benchmark, status, total) SELECT 'r' || g, 'textual', 'completed', $2 FROM generate_series(1, $1) g`,
    [RUNS, ITEMS],
  );
  await db.sql.query(
    `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n)
     SELECT 'r' || g, m, 'textual', 50 + (g % 37), 49 + (g % 37), 51 + (g % 37), $3 FROM generate_series(1, $1) g, unnest($2::text[]) m`,
    [RUNS, metrics, ITEMS],
  );
  // Items in chunks of 200 runs, so one statement stays small.
  for (let start = 1; start <= RUNS; start += 200) {
    await db.sql.query(
      `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", prompt, status, output, "completedAt")
       SELECT 'r' || g, 'textual', 'p' || i, 0, 'prompt ' || i, 'done', 'an output of some words', now()
         FROM generate_series($1::int, $2::int) g, generate_series(1, $3::int) i`,
      [start, Math.min(RUNS, start + 199), ITEMS],
    );
  }
  for (let d = 1; d <= DERIVATIONS; d++) {
    await db.sql.query(`INSERT INTO "Derivation" (id, "studentId", "baseModelId", method) VALUES ($1, $2, $3, 'passive')`, [
      `d${d}`,
      `m${d * 2}`,
      `m${d * 2 - 1}`,
    ]);
    await db.sql.query(`INSERT INTO "DerivationTeacher" ("derivationId", "teacherId") VALUES ($1, $2)`, [`d${d}`, `m${100 + d}`]);
  }
}

async function measure(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const page of PAGES) {
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const res = await fetch(url + page);
      await res.text();
      if (!res.ok) throw new Error(`${page} answered ${res.status}`);
      if (i > 0) times.push(performance.now() - t0);
    }
    out[page] = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  }
  return out;
}

function report(name: string, r: Record<string, number>) {
  console.log(`${name}:`);
  for (const [page, ms] of Object.entries(r))
    console.log(`  ${page.padEnd(14)} median ${ms.toFixed(0).padStart(5)} ms ${ms < 300 ? "" : "(over the 300 ms target)"}`);
}

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  console.log(`bench:pages — ${MODELS} models, ${RUNS} runs × ${ITEMS} items, ${DERIVATIONS} derivations; ${os.cpus().length} cores`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-pages-"));
  let db = await openDatabase({ home });
  let t0 = performance.now();
  await seed(db);
  await db.close();
  console.log(`seeded the embedded database in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let server = await serveBuilt({ LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "bench" });
  try {
    report("embedded database", await measure(server.url));
  } finally {
    server.proc.kill("SIGTERM");
  }
  if (process.argv.includes("--skip-postgres")) return;
  let cluster: PgCluster | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    cluster = await startPgCluster();
    url = await createDatabase(cluster.url, "bench_pages");
  }
  try {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: url });
    await applyMigrations(
      { query: async (q, p) => ({ rows: (await pool.query(q, p)).rows as never[] }), exec: async (q) => void (await pool.query(q)) },
      readMigrations(migrationsDir()),
      url,
    );
    await pool.end();
    db = await openDatabase({ url });
    t0 = performance.now();
    await seed(db);
    await db.close();
    console.log(`seeded PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    server = await serveBuilt({ DATABASE_URL: url, LINEAGE_SECRET_KEY: "bench" });
    try {
      report("PostgreSQL", await measure(server.url));
    } finally {
      server.proc.kill("SIGTERM");
    }
  } finally {
    cluster?.stop();
  }
}

await main();
