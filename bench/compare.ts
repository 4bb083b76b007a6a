/**
 * `npm run bench:compare`: the compare computation for two runs of 100,000 samples each on a real PostgreSQL
 * (DATABASE_URL, or a throwaway cluster from the installed binaries). Seeds two textual runs with every per-sample
 * text metric (3.2 M values in Item.scores) in SQL, then times, warm (second call), what the compare page and its parts do.
 * Target: the compare page (table, histogram, first page of side-by-side samples) under 1 s; the paired
 * statistics, computed per metric on request, are timed separately. Then the benchmark-level paired statistics
 * (bootstrap over shared items + swap permutations) on runs the size of the full benchmarks: BBQ 58,492 items,
 * HellaSwag 10,042, StereoSet 2,106, CrowS-Pairs 1,508 (synthetic scores stored as the executor stores them).
 */
import { openDatabase, type Database } from "../lib/db/client";
import { applyMigrations, readMigrations } from "../lib/db/migrate";
import { migrationsDir } from "../lib/db/config";
import { alignedValues } from "../lib/compare/aligned";
import { histogram } from "../lib/compare/distribution";
import { sideBySide } from "../lib/compare/samples";
import { pairedItemStatistics } from "../lib/compare/paired-items";
import { pairedStats } from "../lib/compare/stats";
import { createRng } from "../lib/metrics/random";
import { itemData } from "./compare-items";
import { insertItems } from "../lib/runs/runs";
import { buildComparison } from "../lib/compare/table";
import { TEXT_METRIC_IDS } from "../lib/metrics/text";
import { createDatabase, startPgCluster, type PgCluster } from "../tests/support/pg-cluster";

const N = Number(process.env.BENCH_SAMPLES ?? 100_000);
const TARGET_MS = 1000;

async function time<T>(label: string, fn: () => Promise<T>, runs = 3): Promise<{ ms: number; value: T }> {
  let best = Infinity;
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    value = await fn();
    best = Math.min(best, performance.now() - t);
  }
  console.log(`${label.padEnd(62)} ${best.toFixed(0).padStart(6)} ms`);
  return { ms: best, value };
}

async function seed(db: Database): Promise<[string, string]> {
  const metrics = [...TEXT_METRIC_IDS] as string[];
  await db.sql.query(`INSERT INTO "Model" (id, name, "updatedAt") VALUES ('m-base', 'Base', now()), ('m-student', 'Student', now())`);
  const runs: [string, string] = ["run-base", "run-student"];
  for (const [k, run] of runs.entries()) {
    const t = performance.now();
    await db.sql.query(
      `INSERT INTO "Run" (id, "modelId", name, status, suite, source, "createdAt", "finishedAt") VALUES ($1, $2, $1, 'completed', '{}'::jsonb, 'bench', now(), now())`,
      [run, k === 0 ? "m-base" : "m-student"],
    );
    // Deterministic per-sample values in Item.scores; the student is shifted so that differences are real.
    await db.sql.query(
      `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", status, prompt, output, scores, "completedAt")
       SELECT $1, 'textual', 'p' || lpad(g::text, 6, '0'), 0, 'done', 'Prompt ' || g, repeat('word ', 20 + (g % 50) + $2 * (g % 7)),
         (SELECT jsonb_object_agg(m.metric, (abs(hashtext(g::text || m.metric)) % 1000) / 10.0 + $2 * (m.ord % 3))
            FROM unnest($4::text[]) WITH ORDINALITY AS m(metric, ord)),
         now()
       FROM generate_series(1, $3) g`,
      [run, k, N, metrics],
    );
    await db.sql.query(
      `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n, details, "createdAt")
       SELECT $1, metric, 'textual', avg(value), avg(value) - 1.96 * stddev(value) / sqrt(count(*)), avg(value) + 1.96 * stddev(value) / sqrt(count(*)), count(*), '{}'::jsonb, now()
       FROM "Score" WHERE "runId" = $1 GROUP BY metric`,
      [run],
    );
    console.log(`seeded ${run}: ${N} items × ${metrics.length} metrics in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await db.sql.query(`ANALYZE`);
  return runs;
}

async function benchmarkLevel(db: Database, ids: readonly [string, string]) {
  const sizes: [string, number, string][] = [
    ["bbq", 58_492, "bbq_bias_ambig"],
    ["hellaswag", 10_042, "hellaswag_ece_10"],
    ["stereoset", 2_106, "stereoset_ss"],
    ["crows_pairs", 1_508, "crows_pairs_metric"],
  ];
  console.log("\nbenchmark-level paired statistics (items loaded from the database, paired, bootstrap + swap permutations):");
  for (const [benchmark, n, metric] of sizes) {
    for (const [k, run] of ids.entries()) {
      const rng = createRng(`${benchmark}:${k}`);
      const items = Array.from({ length: n }, (_, i) => ({
        key: `i${String(i).padStart(6, "0")}`,
        sampleIndex: 0,
        prompt: "",
        raw: "",
        data: itemData(benchmark, i, rng, k),
      }));
      await db.transaction((tx) => insertItems(tx, run, benchmark, items, { status: "done" }));
    }
    const t = performance.now();
    const all = await pairedItemStatistics(db, ids[0], [ids[1]], benchmark, null);
    const stats = all[metric][ids[1]];
    const ms = performance.now() - t;
    console.log(
      `${`${benchmark}: ${Object.keys(all).length} metrics, ${n.toLocaleString("en")} items`.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms  ${metric} Δ ${stats.meanDiff?.toFixed(4)} [${stats.lo?.toFixed(4)}, ${stats.hi?.toFixed(4)}] p ${stats.pValue?.toFixed(4)} (${stats.resamples} resamples, ${stats.permutations} swaps)`,
    );
  }
}

async function main() {
  let cluster: PgCluster | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    cluster = await startPgCluster();
    url = cluster.url;
  }
  const name = `lineage_bench_compare_${process.pid}`;
  const dbUrl = await createDatabase(url, name);
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  await applyMigrations({ query: (q, p) => client.query(q, p as unknown[]) as never, exec: (q) => client.query(q) }, readMigrations(migrationsDir()), name);
  await client.end();
  const db = await openDatabase({ url: dbUrl });
  try {
    const [ref, student] = await seed(db);
    const ids = [ref, student];
    console.log(`\ncompare of two runs × ${N.toLocaleString("en")} samples (best of 3, PostgreSQL):`);
    const page = await time("compare page: table from aggregates (values, CI, Δ, %)", () => buildComparison(db, { runIds: ids, refId: ref }));
    // What rendering /compare does: the table, then (streamed, concurrently) the figures' histogram and the
    // first page of side-by-side samples.
    const whole = await time("compare page, complete: table + histogram + samples page 1", async () => {
      const cmp = await buildComparison(db, { runIds: ids, refId: ref });
      await Promise.all([
        histogram(db, ids, "length_words", 20),
        sideBySide(db, { runIds: ids, refId: ref, metric: "length_words", dir: "item", page: 1, pageSize: 10 }),
      ]);
      return cmp;
    });
    const aligned = await time("aligned per-sample values, one metric (one query)", () => alignedValues(db, ids, "mtld"));
    await time("paired bootstrap CI + sign-flip p, one metric (computation)", async () =>
      pairedStats(aligned.value.values[0], aligned.value.values[1], "bench:mtld"),
    );
    await time("side-by-side samples: page 1 in item order (the default)", () =>
      sideBySide(db, { runIds: ids, refId: ref, metric: "length_words", dir: "item", page: 1, pageSize: 10 }),
    );
    await time("side-by-side samples: page 1 sorted by per-sample Δ", () =>
      sideBySide(db, { runIds: ids, refId: ref, metric: "length_words", dir: "desc", page: 1, pageSize: 25 }),
    );
    await time("distribution: 20-bin histogram per run", () => histogram(db, ids, "length_words", 20));
    const full = await time(
      `full table with paired statistics for all ${TEXT_METRIC_IDS.length} metrics (cold, once)`,
      () => buildComparison(db, { runIds: ids, refId: ref, paired: "all" }),
      1,
    );
    await time(`the same, cached (what a reload or an export costs)`, () => buildComparison(db, { runIds: ids, refId: ref, paired: "all" }));
    console.log(`\nrows: ${page.value.rows.length}; paired n of mtld: ${full.value.rows.find((r) => r.metric === "mtld")?.deltas[0].paired?.n}`);
    console.log(
      `compare page for two runs of ${N.toLocaleString("en")} samples: table ${page.ms.toFixed(0)} ms, complete ${whole.ms.toFixed(0)} ms (target < ${TARGET_MS} ms) — ${whole.ms < TARGET_MS ? "OK" : "TOO SLOW"}`,
    );
    console.log("paired statistics fill in per metric afterwards (aligned query + resampling, see above); cached once computed.");
    if (whole.ms >= TARGET_MS) process.exitCode = 1;
    await benchmarkLevel(db, [ref, student]);
  } finally {
    await db.close();
    cluster?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
