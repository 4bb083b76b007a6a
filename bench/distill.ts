// npm run bench:distill — 1,000 prompts × k = 8 from two teachers on the test server (its own process, 50 ms latency,
// concurrency 32 per teacher), on the embedded database in a temp LINEAGE_HOME (or PostgreSQL with --pg: DATABASE_URL or
// a throwaway cluster). Prints the wall time against the ideal request time and the time to re-select over the
// 16,000 stored candidates with other targets.
//
// Two scenarios: the servers accept n (one request of n = 8 per prompt and teacher), and the servers refuse n (one
// request per candidate: the 1000·8·50 ms / 32 = 12.5 s ideal per teacher, teachers in parallel).
//   tsx bench/distill.ts [--prompts 1000] [--k 8] [--latency-ms 50] [--concurrency 32] [--only n|no-n] [--pg]
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { openDatabase, type Database } from "@/lib/db/client";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { migrationsDir } from "@/lib/db/config";
import { createDataset } from "@/lib/inheritance/datasets";
import { executeDataset } from "@/lib/inheritance/executor";
import { reselect } from "@/lib/inheritance/selection";
import { validateDatasetSpec } from "@/lib/inheritance/spec";
import { codeVersion } from "@/lib/runs/version";
import { addTestModel } from "../tests/support/models";

process.env.LINEAGE_SECRET_KEY ??= "bench-distill";

const { values } = parseArgs({
  options: {
    prompts: { type: "string", default: "1000" },
    k: { type: "string", default: "8" },
    "latency-ms": { type: "string", default: "50" },
    concurrency: { type: "string", default: "32" },
    only: { type: "string" },
    pg: { type: "boolean", default: false },
  },
});
const P = Number(values.prompts);
const K = Number(values.k);
const LATENCY = Number(values["latency-ms"]);
const CONC = Number(values.concurrency);

async function startServer(models?: Record<string, unknown>): Promise<{ url: string; proc: ChildProcess }> {
  const args = ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", String(LATENCY), "--exit-on-stdin-close"];
  if (models) args.push("--models", JSON.stringify(models));
  const proc = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ["pipe", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`test server exited with ${code}`)));
  });
  return { url: JSON.parse(first).url, proc };
}

/** CPU seconds a process has used (Linux /proc; null elsewhere): shows when the stand-in server is the bottleneck. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

async function stats(url: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  return (await fetch(`${url}/__control/stats`)).json() as never;
}

async function openDb(): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  if (!values.pg) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-distill-"));
    const db = await openDatabase({ home });
    return {
      db,
      cleanup: async () => {
        await db.close();
        fs.rmSync(home, { recursive: true, force: true });
      },
    };
  }
  let url = process.env.DATABASE_URL;
  let stop: (() => void | Promise<void>) | null = null;
  if (!url) {
    const pg = await import("../tests/support/pg-cluster");
    const cluster = await pg.startPgCluster();
    url = await pg.createDatabase(cluster.url, `bench_distill_${Date.now()}`);
    stop = cluster.stop;
  }
  const { default: pgm } = await import("pg");
  const client = new pgm.Client({ connectionString: url });
  await client.connect();
  await applyMigrations({ query: (q, p) => client.query(q, p as unknown[]) as never, exec: (q) => client.query(q) }, readMigrations(migrationsDir()), "bench");
  await client.end();
  const db = await openDatabase({ url });
  return {
    db,
    cleanup: async () => {
      await db.close();
      await stop?.();
    },
  };
}

async function scenario(label: string, nAccepted: boolean) {
  const teachers = ["tiny-llama", "tiny-gemma"];
  const server = await startServer(nAccepted ? undefined : Object.fromEntries(teachers.map((t) => [t, { flags: { n: false } }])));
  const { db, cleanup } = await openDb();
  try {
    const ids: string[] = [];
    for (const t of teachers) {
      ids.push(await addTestModel(db, { baseUrl: `${server.url}/v1` }, `${t}-bench`, t, { concurrency: String(CONC) }));
    }
    const prompts = Array.from({ length: P }, (_, i) => ({ prompt: `Write a few sentences about topic ${i} for a general audience.`, input: "" }));
    const v = await validateDatasetSpec(
      db,
      {
        teacherIds: ids,
        k: K,
        mode: "chat",
        template: "{prompt}",
        decoding: { temperature: 1, top_p: 0.95, max_tokens: 64 },
        seed: 1,
        rule: "best",
        target: "mtld",
        direction: "max",
        filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
      },
      prompts,
    );
    if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
    codeVersion(); // the server asks git once at start (lib/server-start.ts), not while creating a dataset
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const server0 = cpuSeconds(server.proc.pid);
    const id = await createDataset(db, v.value, prompts, { source: "file", name: "bench", count: P });
    const tCreated = performance.now();
    const outcome = await executeDataset(db, id, { controlPollMs: 1000 });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const busy = (cpu.user + cpu.system) / 1e6;
    const server1 = cpuSeconds(server.proc.pid);
    const serverBusy = server0 === null || server1 === null ? null : server1 - server0;
    if (outcome !== "completed") throw new Error(`dataset ${outcome}`);
    const s = await stats(server.url);
    const requests = s.byRoute["/v1/chat/completions"] ?? 0;
    const done = await db.prisma.candidate.count({ where: { datasetId: id, status: "done" } });
    const idealSpec = (P * K * LATENCY) / CONC / 1000; // one request per candidate, teachers in parallel
    const idealReq = ((requests / teachers.length) * LATENCY) / CONC / 1000; // the requests actually made
    console.log(`\n## ${label} (${db.mode} database)`);
    console.log(`candidates: ${done} of ${P * K * teachers.length}; requests: ${requests} (${(requests / teachers.length).toFixed(0)} per teacher)`);
    console.log(
      `wall time: ${wall.toFixed(2)} s (creating the dataset ${((tCreated - t0) / 1000).toFixed(2)} s); this process busy ${busy.toFixed(2)} s (${((100 * busy) / wall).toFixed(0)} % of a core), the test server ${serverBusy === null ? "?" : `${serverBusy.toFixed(2)} s (${((100 * serverBusy) / wall).toFixed(0)} %)`}`,
    );
    console.log(`ideal, one request per candidate (1000·8·50 ms / 32): ${idealSpec.toFixed(2)} s → ratio ${(wall / idealSpec).toFixed(2)}× (target ≤ 1.2×)`);
    if (requests / teachers.length !== P * K)
      console.log(`ideal for the ${requests / teachers.length} requests per teacher made: ${idealReq.toFixed(2)} s → ratio ${(wall / idealReq).toFixed(2)}×`);
    const before = (await stats(server.url)).total;
    for (const [target, direction] of [
      ["length_words", "min"],
      ["flesch_reading_ease", "max"],
      ["ttr", "max"],
    ] as const) {
      const r0 = performance.now();
      const sel = await reselect(db, id, { rule: "best", target, direction });
      const secs = (performance.now() - r0) / 1000;
      const n = await db.prisma.selectionItem.count({ where: { selectionId: sel } });
      console.log(`re-select ${direction} ${target} over ${done} candidates: ${secs.toFixed(3)} s, ${n} selected (target < 2 s)`);
    }
    const r0 = performance.now();
    await reselect(db, id, { rule: "random", target: "mtld", direction: null });
    console.log(`re-select random (passive) pick: ${((performance.now() - r0) / 1000).toFixed(3)} s`);
    console.log(`generation requests during re-selection: ${(await stats(server.url)).total - before}`);
  } finally {
    await cleanup();
    server.proc.kill("SIGTERM");
  }
}

console.log(`bench:distill — ${P} prompts × k = ${K} × 2 teachers, ${LATENCY} ms latency, concurrency ${CONC} per teacher`);
if (values.only !== "no-n") await scenario("servers accept n (one n = k request per prompt and teacher)", true);
if (values.only !== "n") await scenario("servers refuse n (one request per candidate)", false);
process.exit(0);
