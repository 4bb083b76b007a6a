// npm run bench:compare-responsive — does the dashboard stay responsive while the compare page computes a full-size
// paired pass? Two runs of the full BBQ (58,492 items each, synthetic scores stored as the step stores them) are
// seeded in an embedded database, the production server is started on it, the paired statistics of BBQ are asked
// for (what the compare table fetches) and, while that pass runs, another page (/runs) is requested every 100 ms.
// Printed: the pass's time, and the other page's latency alone and during the pass (median and worst).
// Target: < 300 ms for the other page during the pass. Needs a production build (`npm run build`, or `npm start` once).
// Flags: --items 58492 --page /runs; --home DIR seeds DIR once and reuses it on later runs (kept afterwards).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/lib/db/client";
import { createRng } from "@/lib/metrics/random";
import { insertItems } from "@/lib/runs/runs";
import { STEP_MODULES } from "@/lib/runs/steps/modules";
import { itemData } from "./compare-items";
import { serveBuilt } from "./dashboard";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const ITEMS = Number(arg("items", "58492"));
const PAGE = arg("page", "/runs");
const TARGET_MS = 300;
const root = path.resolve(import.meta.dirname, "..");
const RUNS = ["run-base", "run-student"] as const;

async function seed(home: string): Promise<string[]> {
  const db = await openDatabase({ home });
  try {
    await db.sql.query(`INSERT INTO "Model" (id, name, "updatedAt") VALUES ('m-base', 'Base', now()), ('m-student', 'Student', now())`);
    const metrics = [...STEP_MODULES.bbq.statistic.metrics];
    for (const [k, run] of RUNS.entries()) {
      await db.sql.query(
        `INSERT INTO "Run" (id, "modelId", name, status, suite, source, "createdAt", "finishedAt") VALUES ($1, $2, $1, 'completed', '{}'::jsonb, 'bench', now(), now())`,
        [run, k === 0 ? "m-base" : "m-student"],
      );
      await db.sql.query(`INSERT INTO "RunBenchmark" ("runId", benchmark, status, total) VALUES ($1, 'bbq', 'completed', $2)`, [run, ITEMS]);
      const rng = createRng(`bbq:${k}`);
      const items = Array.from({ length: ITEMS }, (_, i) => ({
        key: `i${String(i).padStart(6, "0")}`,
        sampleIndex: 0,
        prompt: "",
        raw: "",
        data: itemData("bbq", i, rng, k),
      }));
      await db.transaction((tx) => insertItems(tx, run, "bbq", items, { status: "done" }));
      // The compare table pairs what the reference's aggregates name; the values themselves do not matter here.
      await db.sql.query(
        `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n) SELECT $1, m, 'bbq', 0.1, 0.05, 0.15, $3 FROM unnest($2::text[]) m`,
        [run, metrics, ITEMS],
      );
    }
    return metrics;
  } finally {
    await db.close();
  }
}

async function timed(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  console.log(`bench:compare-responsive — two runs × ${ITEMS.toLocaleString("en")} BBQ items; ${os.cpus().length} cores`);
  const kept = arg("home", "");
  const home = kept || fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-compare-responsive-"));
  let metrics: string[] = [...STEP_MODULES.bbq.statistic.metrics];
  if (!kept || !fs.existsSync(path.join(home, "seeded"))) {
    const t0 = performance.now();
    metrics = await seed(home);
    fs.writeFileSync(path.join(home, "seeded"), "");
    console.log(`seeded the embedded database in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const server = await serveBuilt({ LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "bench" });
  try {
    // Warm: the page's code and the database's caches, so that the figures below are the steady state.
    const alone: number[] = [];
    for (let i = 0; i < 8; i++) {
      const ms = await timed(server.url + PAGE);
      if (i > 0) alone.push(ms);
    }
    const paired = `${server.url}/api/compare/paired?runs=${RUNS.join(",")}&ref=${RUNS[0]}&metrics=${metrics.slice(0, 4).join(",")}`;
    const started = performance.now();
    let passMs = 0;
    const pass = (async () => {
      const res = await fetch(paired);
      const body = (await res.json()) as Record<string, Record<string, { n: number; resamples: number }>>;
      passMs = performance.now() - started;
      if (!res.ok) throw new Error(`the paired statistics answered ${res.status}: ${JSON.stringify(body)}`);
      const first = body[metrics[0]]?.[RUNS[1]];
      if (!first || first.n !== ITEMS) throw new Error(`unexpected paired statistics: ${JSON.stringify(body).slice(0, 300)}`);
      return first;
    })();
    let finished = false;
    pass.finally(() => {
      finished = true;
    });
    const during: number[] = [];
    while (!finished) {
      during.push(await timed(server.url + PAGE));
      await new Promise((r) => setTimeout(r, 100));
    }
    const stats = await pass;
    const worst = Math.max(...during);
    console.log(`paired statistics of BBQ (${stats.n.toLocaleString("en")} shared items, ${stats.resamples} resamples): ${passMs.toFixed(0)} ms`);
    console.log(
      `${PAGE} alone:             median ${median(alone).toFixed(0).padStart(5)} ms, worst ${Math.max(...alone)
        .toFixed(0)
        .padStart(5)} ms`,
    );
    console.log(
      `${PAGE} during the pass:   median ${median(during).toFixed(0).padStart(5)} ms, worst ${worst.toFixed(0).padStart(5)} ms (${during.length} requests; target < ${TARGET_MS} ms) — ${worst < TARGET_MS ? "OK" : "TOO SLOW"}`,
    );
  } finally {
    server.proc.kill("SIGTERM");
    if (!kept) fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
