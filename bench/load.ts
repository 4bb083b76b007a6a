// npm run bench:load — page latency under load, as the faults issue (item 6) measures it: on the embedded database,
// a few completed textual runs of a few thousand items each (executed for real against the test server, so their
// items carry real outputs and scores) and four runs queued; the production dashboard (scripts/start.mjs, its own
// LINEAGE_HOME and PORT) then answers 300 requests at concurrency 20 — mostly a completed run's page, and a mix of
// /, /runs, /compare and an executing run's page — first with no run executing (LINEAGE_WORKER=off), then while the
// dashboard executes the four runs (LINEAGE_WORKER_JOBS=4) against the test server in its own process with latency,
// so they are still executing when the requests end. Prints p50/p95/p99 per page and overall. Target: p95 < 1 s with
// four runs executing. Also prints how many answers the runs stored meanwhile (writes must keep up with pages).
// Flags: --completed 3 --items 3000 --executing 4 --executing-items 20000 --requests 300 --concurrency 20
//        --latency-ms 100 --model-concurrency 8
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { compareQuery } from "@/lib/compare/params";
import { openDatabase, type Database } from "@/lib/db/client";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { freePort } from "./dashboard";
import { addTestModel } from "../tests/support/models";
import { inlineTextualSuite } from "../tests/support/textual-suite";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const COMPLETED = arg("completed", 3);
const ITEMS = arg("items", 3000);
const EXECUTING = arg("executing", 4);
const EXECUTING_ITEMS = arg("executing-items", 20_000);
const REQUESTS = arg("requests", 300);
const CONCURRENCY = arg("concurrency", 20);
const LATENCY_MS = arg("latency-ms", 100);
const MODEL_CONCURRENCY = arg("model-concurrency", 8);
const root = path.resolve(import.meta.dirname, "..");
const SECRET = "bench-load";
process.env.LINEAGE_SECRET_KEY = SECRET;

async function startEngine(latencyMs: number): Promise<{ baseUrl: string; url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", String(latencyMs)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.on("exit", () => proc.kill("SIGTERM"));
  const first = await new Promise<string>((resolve) => createInterface({ input: proc.stdout! }).once("line", resolve));
  const { baseUrl, url } = JSON.parse(first) as { baseUrl: string; url: string };
  return { baseUrl, url, proc };
}

const addModel = (db: Database, name: string, baseUrl: string, concurrency: number) =>
  addTestModel(db, { baseUrl }, name, "tiny-llama", { concurrency: String(concurrency) });

const textualSuite = (n: number, tag: string) => inlineTextualSuite(n, { name: `load ${tag}`, maxTokens: 64, tag });

interface Seeded {
  completed: string[];
  executing: string[];
}

/** Completed runs executed for real on a fast engine, then the runs the second phase executes, queued. */
async function seed(home: string, fastBaseUrl: string, slowBaseUrl: string): Promise<Seeded> {
  const db = await openDatabase({ home });
  try {
    const completed: string[] = [];
    for (let i = 0; i < COMPLETED; i++) {
      const modelId = await addModel(db, `done-${i}`, fastBaseUrl, 64);
      const runId = await createRun(db, modelId, await textualSuite(ITEMS, `done ${i}`));
      const outcome = await executeRun(db, runId);
      if (outcome !== "completed") throw new Error(`seed run ${i} ended ${outcome}`);
      // Executed here rather than by a worker: its job is done too (else the dashboard's worker would claim it).
      await db.sql.query(`UPDATE "Job" SET status = 'completed' WHERE payload->>'key' = $1`, [runId]);
      completed.push(runId);
    }
    const executing: string[] = [];
    for (let i = 0; i < EXECUTING; i++) {
      const modelId = await addModel(db, `busy-${i}`, slowBaseUrl, MODEL_CONCURRENCY);
      executing.push(await createRun(db, modelId, await textualSuite(EXECUTING_ITEMS, `busy ${i}`)));
    }
    return { completed, executing };
  } finally {
    await db.close();
  }
}

/** CPU seconds (user + system) used so far by a process and its children still running (Linux /proc). */
function cpuSeconds(rootPid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const pids = [rootPid];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === rootPid) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      /* gone */
    }
  }
  return total;
}

async function startDashboard(home: string, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void>; cpu: () => number }> {
  const port = await freePort();
  const log = fs.openSync(path.join(home, `dashboard-${port}.log`), "w");
  const proc = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: { ...process.env, ...env, LINEAGE_HOME: home, PORT: String(port), DATABASE_URL: "", LINEAGE_SECRET_KEY: SECRET },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const stop = async () => {
    proc.kill("SIGTERM");
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 3000; i++) {
    if (proc.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop, cpu: () => cpuSeconds(proc.pid!) };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the dashboard did not start; see ${path.join(home, `dashboard-${port}.log`)}`);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** `count` requests over `pages` (by weight) with `concurrency` in flight; latencies by page. */
async function fire(url: string, pages: { path: string; weight: number; label: string }[], count: number): Promise<Map<string, number[]>> {
  const plan: { path: string; label: string }[] = [];
  const total = pages.reduce((a, p) => a + p.weight, 0);
  for (const p of pages) for (let i = 0; i < Math.round((p.weight / total) * count); i++) plan.push(p);
  // A fixed interleaving (not random) so that each run of the bench fires the same sequence.
  plan.sort((a, b) => a.label.localeCompare(b.label));
  const order = plan.map((p, i) => ({ p, k: (i * 7919) % plan.length })).sort((a, b) => a.k - b.k);
  const byPage = new Map<string, number[]>();
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < order.length) {
        const { p } = order[next++];
        const t0 = performance.now();
        const res = await fetch(url + p.path);
        await res.text();
        const ms = performance.now() - t0;
        if (!res.ok) failures.push(`${p.path} answered ${res.status}`);
        byPage.set(p.label, [...(byPage.get(p.label) ?? []), ms]);
      }
    }),
  );
  if (failures.length) throw new Error(failures.slice(0, 5).join("; "));
  return byPage;
}

function report(name: string, byPage: Map<string, number[]>): number {
  console.log(`${name}:`);
  const all: number[] = [];
  const line = (label: string, xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const f = (p: number) => `${(pct(s, p) / 1000).toFixed(2)} s`;
    console.log(`  ${label.padEnd(22)} n ${String(s.length).padStart(3)}  p50 ${f(50)}  p95 ${f(95)}  p99 ${f(99)}`);
  };
  for (const [label, xs] of byPage) {
    all.push(...xs);
    line(label, xs);
  }
  line("all", all);
  const s = all.sort((a, b) => a - b);
  return pct(s, 95);
}

async function storedAnswers(url: string, runIds: string[]): Promise<{ done: number; statuses: string[] }> {
  let done = 0;
  const statuses: string[] = [];
  for (const id of runIds) {
    const res = await fetch(`${url}/api/runs/${id}`);
    const p = (await res.json()) as { status: string; benchmarks: { done: number }[] };
    done += p.benchmarks.reduce((a, b) => a + b.done, 0);
    statuses.push(p.status);
  }
  return { done, statuses };
}

async function main() {
  console.log(
    `bench:load — ${COMPLETED} completed runs × ${ITEMS} items; ${EXECUTING} runs × ${EXECUTING_ITEMS} items executing at ${MODEL_CONCURRENCY} requests ` +
      `in flight each (engine latency ${LATENCY_MS} ms); ${REQUESTS} requests at concurrency ${CONCURRENCY}; ${os.cpus().length} cores`,
  );
  const fast = await startEngine(0);
  const slow = await startEngine(LATENCY_MS);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-load-"));
  const t0 = performance.now();
  const { completed, executing } = await seed(home, fast.baseUrl, slow.baseUrl);
  fast.proc.kill("SIGTERM");
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (LINEAGE_HOME ${home})`);
  const target = completed[0];
  const pages = [
    { label: "/runs/<completed>", path: `/runs/${target}`, weight: 60 },
    { label: "/runs/<executing>", path: `/runs/${executing[0]}`, weight: 10 },
    { label: "/", path: "/", weight: 10 },
    { label: "/runs", path: "/runs", weight: 10 },
    { label: "/compare", path: `/compare?${compareQuery(completed.slice(0, 2), completed[0])}`, weight: 10 },
  ];

  let dash = await startDashboard(home, { LINEAGE_WORKER: "off" });
  try {
    await fire(dash.url, pages, pages.length * 2); // warm-up: compiled routes, database pages
    const cpu0 = dash.cpu();
    report("no run executing", await fire(dash.url, pages, REQUESTS));
    // Under a shared machine's load the latencies stretch; the dashboard's own CPU time per request does not.
    console.log(`  dashboard CPU ${(((dash.cpu() - cpu0) * 1000) / REQUESTS).toFixed(0)} ms per request`);
  } finally {
    await dash.stop();
  }

  dash = await startDashboard(home, { LINEAGE_WORKER_JOBS: String(EXECUTING) });
  try {
    // Wait until every run executes and answers are being stored.
    for (let i = 0; i < 300; i++) {
      const { statuses, done } = await storedAnswers(dash.url, executing);
      if (statuses.every((s) => s === "running") && done > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await fire(dash.url, pages, pages.length * 2);
    const before = await storedAnswers(dash.url, executing);
    const t1 = performance.now();
    const cpu0 = dash.cpu();
    const p95 = report(`${EXECUTING} runs executing`, await fire(dash.url, pages, REQUESTS));
    const seconds = (performance.now() - t1) / 1000;
    console.log(`  dashboard CPU ${(dash.cpu() - cpu0).toFixed(1)} s over ${seconds.toFixed(1)} s (pages and the four runs)`);
    const after = await storedAnswers(dash.url, executing);
    const ideal = (EXECUTING * MODEL_CONCURRENCY * 1000) / LATENCY_MS;
    console.log(
      `  runs stored ${after.done - before.done} answers in ${seconds.toFixed(1)} s (${((after.done - before.done) / seconds).toFixed(0)}/s; ` +
        `the engine allows ${ideal.toFixed(0)}/s); runs afterwards: ${after.statuses.join(", ")}`,
    );
    if (after.statuses.some((s) => s !== "running")) console.log("  (a run finished during the measurement: raise --executing-items)");
    console.log(p95 < 1000 ? "  p95 under the 1 s target" : "  p95 OVER the 1 s target");
  } finally {
    await dash.stop();
    slow.proc.kill("SIGTERM");
  }
}

await main();
