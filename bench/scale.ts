// npm run bench:scale — a run and a dataset the size of real use, on both databases (issue 17):
//  - a textual run of N items (default 1,000,000) with short outputs through the test server at 0 ms latency,
//  - a best-of-k dataset of N candidates (k = 8, two teachers, the servers accept n),
// on the embedded database and on PostgreSQL (a throwaway cluster, or DATABASE_URL) with one and with two worker
// processes. Every step runs in a process of its own so that its peak memory (VmHWM) is its own (the code is loaded
// before the database opens, so that "opened" is the baseline the work adds to); printed per step:
// wall time, items/s at the start and at the end of the run (from the test server's request counter, first and last
// tenth), peak RSS and the RSS right after opening the database, the database size, and the compare page's time
// (the table, then each metric's paired statistics as the browser requests them) for two such runs.
//   tsx bench/scale.ts [--items 1000000] [--only embedded|postgres] [--workers 1,2] [--skip-run] [--skip-dataset] [--skip-compare]
// After the dataset, its candidates are exported (JSON Lines, all candidates with scores) by a process of its own.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { type Database, openDatabase } from "@/lib/db/client";
import { migrationsDir } from "@/lib/db/config";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { buildComparison, pairedForMetric } from "@/lib/compare/table";
import { createDataset } from "@/lib/inheritance/datasets";
import { candidateLines } from "@/lib/inheritance/export";
import { writeChunksToFile } from "@/lib/cli/io";
import { validateDatasetSpec } from "@/lib/inheritance/spec";
import { createRun } from "@/lib/runs/runs";
import { startWorker } from "@/lib/runs/worker";
import { randomUUID } from "node:crypto";
import { addTestModel } from "../tests/support/models";
import { inlineTextualSuite } from "../tests/support/textual-suite";
import { processMemoryMb } from "../tests/support/process-memory";

process.env.LINEAGE_SECRET_KEY ??= "bench-scale";

const { values } = parseArgs({
  options: {
    items: { type: "string", default: "1000000" },
    only: { type: "string" },
    workers: { type: "string", default: "1,2" },
    "skip-dataset": { type: "boolean", default: false },
    "skip-run": { type: "boolean", default: false },
    "skip-compare": { type: "boolean", default: false },
    // child roles (internal)
    role: { type: "string" },
    home: { type: "string" },
    url: { type: "string" },
    server: { type: "string" },
    run: { type: "string" },
    other: { type: "string" },
    dataset: { type: "string" },
  },
});
const N = Number(values.items);
const K = 8;

/** Peak and current resident memory of a process in MB (Linux /proc). */
/** Memory in whole MB, as the report prints it. */
function memoryOf(pid: number | "self" = "self"): { peakMb: number; rssMb: number } {
  const m = processMemoryMb(pid);
  return { peakMb: Math.round(m.peakMb), rssMb: Math.round(m.rssMb) };
}

function report(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ report: value })}\n`);
}

async function openChildDb(): Promise<Database> {
  return values.url ? openDatabase({ url: values.url }) : openDatabase({ home: values.home! });
}

// ---------------------------------------------------------------------------------------------------------------
// Child roles: each opens the database itself and reports its own figures.

async function roleCreateRun(): Promise<void> {
  const db = await openChildDb();
  const opened = memoryOf();
  const modelId = await addTestModel(db, { baseUrl: `${values.server}/v1` }, `scale-${Date.now()}`, "tiny-llama", { concurrency: "32" });
  const t0 = performance.now();
  const suite = await inlineTextualSuite(N, { name: "scale", maxTokens: 16 });
  const runId = await createRun(db, modelId, suite);
  const secs = (performance.now() - t0) / 1000;
  await db.close();
  report({ runId, createSeconds: secs, openedMb: opened.rssMb, ...memoryOf() });
}

async function roleWorker(): Promise<void> {
  const db = await openChildDb();
  const opened = memoryOf();
  const table = values.dataset ? "Dataset" : "Run";
  const id = values.dataset ?? values.run!;
  const worker = await startWorker(db, { jobs: 1, pollMs: 200, log: () => undefined });
  let status = "queued";
  while (!["completed", "failed", "cancelled"].includes(status)) {
    await new Promise((r) => setTimeout(r, 500));
    const { rows } = await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM "${table}" WHERE id = $1`, [id]);
    status = rows[0]?.status ?? "gone";
  }
  await worker.stop();
  await db.close();
  report({ status, openedMb: opened.rssMb, ...memoryOf() });
}

/** The second run of the comparison: a copy of the first (its items, scores and aggregates) made in SQL. */
async function roleCopyRun(): Promise<void> {
  const db = await openChildDb();
  const copy = randomUUID();
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "Run" (id, "modelId", name, status, suite, source, notes, "codeVersion", seed, "createdAt", "startedAt", "finishedAt")
       SELECT $2, "modelId", name || ' (copy)', status, suite, source, notes, "codeVersion", seed + 1, now(), "startedAt", "finishedAt" FROM "Run" WHERE id = $1`,
      [values.run, copy],
    );
    await tx.query(
      `INSERT INTO "RunBenchmark" ("runId", benchmark, status, total, reason, "startedAt", "finishedAt")
       SELECT $2, benchmark, status, total, reason, "startedAt", "finishedAt" FROM "RunBenchmark" WHERE "runId" = $1`,
      [values.run, copy],
    );
    await tx.query(
      `INSERT INTO "Item" ("runId", benchmark, "itemKey", "sampleIndex", status, prompt, output, data, "finishReason", "latencyMs", "promptTokens",
         "completionTokens", attempts, "createdAt", "completedAt", scores)
       SELECT $2, benchmark, "itemKey", "sampleIndex", status, prompt, output, data, "finishReason", "latencyMs", "promptTokens",
         "completionTokens", attempts, "createdAt", "completedAt", scores FROM "Item" WHERE "runId" = $1`,
      [values.run, copy],
    );
    await tx.query(
      `INSERT INTO "Aggregate" ("runId", metric, benchmark, value, "ciLow", "ciHigh", n, details, "createdAt")
       SELECT $2, metric, benchmark, value, "ciLow", "ciHigh", n, details, now() FROM "Aggregate" WHERE "runId" = $1`,
      [values.run, copy],
    );
  });
  const secs = (performance.now() - t0) / 1000;
  await db.close();
  report({ runId: copy, copySeconds: secs, ...memoryOf() });
}

async function roleCompare(): Promise<void> {
  const db = await openChildDb();
  const opened = memoryOf();
  const runIds = [values.run!, values.other!];
  const t0 = performance.now();
  const table = await buildComparison(db, { runIds, paired: "none" });
  const tableMs = performance.now() - t0;
  const pairable = table.rows.filter((r) => r.pairable);
  const perMetric: number[] = [];
  for (const row of pairable) {
    const s = performance.now();
    await pairedForMetric(db, runIds, table.refId, row.metric, row.benchmark, {});
    perMetric.push(performance.now() - s);
  }
  await db.close();
  report({
    tableMs: Math.round(tableMs),
    pairedMetrics: pairable.length,
    pairedFirstMs: Math.round(perMetric[0] ?? 0),
    pairedMaxMs: Math.round(Math.max(0, ...perMetric)),
    pairedTotalMs: Math.round(perMetric.reduce((a, b) => a + b, 0)),
    openedMb: opened.rssMb,
    ...memoryOf(),
  });
}

async function roleCreateDataset(): Promise<void> {
  const db = await openChildDb();
  const opened = memoryOf();
  const ids: string[] = [];
  for (const t of ["tiny-llama", "tiny-gemma"]) {
    ids.push(await addTestModel(db, { baseUrl: `${values.server}/v1` }, `${t}-scale-${Date.now()}`, t, { concurrency: "32" }));
  }
  const P = Math.ceil(N / (K * ids.length));
  const prompts = Array.from({ length: P }, (_, i) => ({ prompt: `Write a few sentences about topic ${i}.`, input: "" }));
  const v = await validateDatasetSpec(
    db,
    {
      teacherIds: ids,
      k: K,
      mode: "chat",
      template: "{prompt}",
      decoding: { temperature: 1, top_p: 0.95, max_tokens: 16 },
      seed: 1,
      rule: "best",
      target: "mtld",
      direction: "max",
      filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
    },
    prompts,
  );
  if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
  const t0 = performance.now();
  const id = await createDataset(db, v.value, prompts, { source: "file", name: "scale", count: P });
  const secs = (performance.now() - t0) / 1000;
  await db.close();
  report({ datasetId: id, prompts: P, createSeconds: secs, openedMb: opened.rssMb, ...memoryOf() });
}

/** `lineage distill --candidates`' export of every candidate, to a file. */
async function roleExportDataset(): Promise<void> {
  const db = await openChildDb();
  const opened = memoryOf();
  const sel = await db.prisma.selection.findFirstOrThrow({ where: { datasetId: values.dataset }, orderBy: { createdAt: "asc" } });
  const file = path.join(os.tmpdir(), `lineage-scale-export-${process.pid}.jsonl`);
  const t0 = performance.now();
  await writeChunksToFile(file, candidateLines(db, values.dataset!, sel.id));
  const secs = (performance.now() - t0) / 1000;
  const memory = memoryOf(); // before the check below reads the file
  const bytes = fs.statSync(file).size;
  let lines = 0;
  for await (const chunk of fs.createReadStream(file)) for (const b of chunk as Buffer) if (b === 10) lines++;
  fs.rmSync(file);
  await db.close();
  report({ exportSeconds: secs, bytes, lines, openedMb: opened.rssMb, ...memory });
}

async function roleOpenOnly(): Promise<void> {
  const before = memoryOf();
  const db = await openChildDb();
  const opened = memoryOf();
  await db.close();
  report({ beforeMb: before.rssMb, openedMb: opened.rssMb, ...memoryOf() });
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: the test server, the databases, the child processes and the figures.

interface Child {
  proc: ChildProcess;
  result: Promise<Record<string, unknown>>;
}

function child(role: string, args: string[]): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", "bench/scale.ts", "--role", role, "--items", String(N), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const result = new Promise<Record<string, unknown>>((resolve, reject) => {
    let last: Record<string, unknown> | null = null;
    readline.createInterface({ input: proc.stdout! }).on("line", (line) => {
      try {
        const parsed = JSON.parse(line) as { report?: Record<string, unknown> };
        if (parsed.report) last = parsed.report;
      } catch {
        /* a log line */
      }
    });
    proc.once("exit", (code) => (code === 0 && last ? resolve(last) : reject(new Error(`${role} exited with ${code}`))));
  });
  return { proc, result };
}

async function startServer(): Promise<{ url: string; proc: ChildProcess }> {
  const args = ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", "0", "--exit-on-stdin-close"];
  const proc = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`test server exited with ${code}`)));
  });
  return { url: JSON.parse(first).url, proc };
}

async function requestsServed(server: string): Promise<number> {
  const s = (await (await fetch(`${server}/__control/stats`)).json()) as { total: number };
  return s.total;
}

/** Samples the server's request counter every second while `work` runs: items/s over the first and last tenth. */
async function throughputWhile<T>(server: string, expected: number, work: Promise<T>): Promise<{ value: T; startRate: number | null; endRate: number | null }> {
  const base = await requestsServed(server);
  const samples: { t: number; n: number }[] = [{ t: performance.now(), n: 0 }];
  let done = false;
  void work.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push({ t: performance.now(), n: (await requestsServed(server)) - base });
  }
  const value = await work;
  samples.push({ t: performance.now(), n: (await requestsServed(server)) - base });
  const rate = (from: number, to: number) => {
    const a = samples.find((s) => s.n >= from);
    const b = samples.find((s) => s.n >= to);
    return a && b && b.t > a.t ? Math.round((b.n - a.n) / ((b.t - a.t) / 1000)) : null;
  };
  const first = samples.find((s) => s.n > 0)?.n ?? 0;
  const last = samples[samples.length - 1].n;
  return { value, startRate: rate(first, first + last / 10), endRate: rate((last * 9) / 10, last) };
}

interface Backend {
  label: string;
  args: string[];
  size(): Promise<number>;
  cleanup(): Promise<void>;
}

async function embeddedBackend(): Promise<Backend> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-scale-"));
  const du = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((s, e) => {
      const p = path.join(dir, e.name);
      return s + (e.isDirectory() ? du(p) : fs.statSync(p).size);
    }, 0);
  return {
    label: "embedded",
    args: ["--home", home],
    size: async () => du(path.join(home, "db")),
    cleanup: async () => fs.rmSync(home, { recursive: true, force: true }),
  };
}

async function postgresBackend(label: string): Promise<Backend> {
  let url = process.env.DATABASE_URL;
  let stop: (() => void) | null = null;
  const pgc = await import("../tests/support/pg-cluster");
  if (!url) {
    const cluster = await pgc.startPgCluster();
    stop = cluster.stop;
    url = cluster.url;
  }
  const dbUrl = await pgc.createDatabase(url, `lineage_scale_${process.pid}_${label.replace(/\W/g, "_")}`);
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  await applyMigrations({ query: (q, p) => client.query(q, p as unknown[]) as never, exec: (q) => client.query(q) }, readMigrations(migrationsDir()), "bench");
  return {
    label,
    args: ["--url", dbUrl],
    size: async () => Number((await client.query(`SELECT pg_database_size(current_database()) AS n`)).rows[0].n),
    cleanup: async () => {
      await client.end();
      stop?.();
    },
  };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function runScenario(server: { url: string; proc: ChildProcess }, backend: Backend, workers: number): Promise<void> {
  const created = await child("create-run", [...backend.args, "--server", server.url]).result;
  const runId = String(created.runId);
  console.log(`create run: ${Number(created.createSeconds).toFixed(1)} s, peak RSS ${created.peakMb} MB (opened ${created.openedMb} MB)`);
  const t0 = performance.now();
  const procs = Array.from({ length: workers }, () => child("worker", [...backend.args, "--run", runId]));
  const { value, startRate, endRate } = await throughputWhile(server.url, N, Promise.all(procs.map((p) => p.result)));
  const wall = (performance.now() - t0) / 1000;
  console.log(
    `execute: ${wall.toFixed(1)} s (${Math.round(N / wall)} items/s), items/s at start ${startRate ?? "?"}, at end ${endRate ?? "?"}` +
      (startRate && endRate ? ` (end/start ${(endRate / startRate).toFixed(2)})` : ""),
  );
  value.forEach((w, i) =>
    console.log(
      `  worker ${i + 1}: ${w.status}, peak RSS ${w.peakMb} MB, opened ${w.openedMb} MB, above opening ${Number(w.peakMb) - Number(w.openedMb)} MB (${((1024 * (Number(w.peakMb) - Number(w.openedMb))) / N).toFixed(2)} KB per item)`,
    ),
  );
  const size = await backend.size();
  console.log(`database size after the run: ${mb(size)} (${(size / N / 1024).toFixed(2)} KB per item)`);
  if (!values["skip-compare"]) {
    const copy = await child("copy-run", [...backend.args, "--run", runId]).result;
    const cmp = await child("compare", [...backend.args, "--run", runId, "--other", String(copy.runId)]).result;
    console.log(
      `compare two runs of ${N.toLocaleString("en")} items (the second a SQL copy, ${Number(copy.copySeconds).toFixed(1)} s): table ${cmp.tableMs} ms; paired statistics of ${cmp.pairedMetrics} metrics ${cmp.pairedTotalMs} ms in all, first ${cmp.pairedFirstMs} ms, slowest ${cmp.pairedMaxMs} ms; peak RSS ${cmp.peakMb} MB (opened ${cmp.openedMb} MB)`,
    );
  }
}

async function scenario(server: { url: string; proc: ChildProcess }, backend: Backend, workers: number): Promise<void> {
  console.log(`\n## ${backend.label}, ${workers} worker process(es), ${N.toLocaleString("en")} items`);
  const open = await child("open", backend.args).result;
  console.log(`open only: RSS ${open.beforeMb} MB before, ${open.openedMb} MB opened, peak ${open.peakMb} MB`);
  if (!values["skip-run"]) await runScenario(server, backend, workers);
  if (!values["skip-dataset"]) {
    const ds = await child("create-dataset", [...backend.args, "--server", server.url]).result;
    console.log(`create dataset (${ds.prompts} prompts × k ${K} × 2 teachers): ${Number(ds.createSeconds).toFixed(1)} s, peak RSS ${ds.peakMb} MB`);
    const d0 = performance.now();
    const dprocs = Array.from({ length: workers }, () => child("worker", [...backend.args, "--dataset", String(ds.datasetId)]));
    const expected = (2 * Number(ds.prompts)) | 0; // the servers accept n: one request per prompt and teacher
    const d = await throughputWhile(server.url, expected, Promise.all(dprocs.map((p) => p.result)));
    const dwall = (performance.now() - d0) / 1000;
    console.log(
      `generate, score and select the dataset: ${dwall.toFixed(1)} s (${Math.round(N / dwall)} candidates/s), requests/s at start ${d.startRate ?? "?"}, at end ${d.endRate ?? "?"}`,
    );
    d.value.forEach((w, i) => console.log(`  worker ${i + 1}: ${w.status}, peak RSS ${w.peakMb} MB, opened ${w.openedMb} MB`));
    console.log(`database size after the dataset: ${mb(await backend.size())}`);
    const ex = await child("export-dataset", [...backend.args, "--dataset", String(ds.datasetId)]).result;
    console.log(
      `export all candidates (JSON Lines): ${ex.lines} lines, ${mb(Number(ex.bytes))} in ${Number(ex.exportSeconds).toFixed(1)} s; peak RSS ${ex.peakMb} MB (opened ${ex.openedMb} MB)`,
    );
  }
}

async function main(): Promise<void> {
  const roles: Record<string, () => Promise<void>> = {
    open: roleOpenOnly,
    "create-run": roleCreateRun,
    worker: roleWorker,
    "copy-run": roleCopyRun,
    compare: roleCompare,
    "create-dataset": roleCreateDataset,
    "export-dataset": roleExportDataset,
  };
  if (values.role) {
    await roles[values.role]();
    process.exit(0);
  }
  console.log(
    `bench:scale — ${N.toLocaleString("en")} items per run and per dataset, test server at 0 ms; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
  );
  const server = await startServer();
  try {
    if (values.only !== "postgres") {
      const b = await embeddedBackend();
      try {
        await scenario(server, b, 1);
      } finally {
        await b.cleanup();
      }
    }
    if (values.only !== "embedded") {
      for (const w of values.workers!.split(",").map(Number)) {
        const b = await postgresBackend(`postgres-${w}`);
        try {
          await scenario(server, b, w);
        } finally {
          await b.cleanup();
        }
      }
    }
    const srv = memoryOf(server.proc.pid!);
    console.log(`\ntest server: peak RSS ${srv.peakMb} MB`);
  } finally {
    server.proc.kill("SIGTERM");
  }
}

await main();
process.exit(0);
