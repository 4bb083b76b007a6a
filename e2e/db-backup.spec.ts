// `lineage db backup` while the dashboard has the embedded database open and a run is executing: the command asks
// the dashboard (one-time token in LINEAGE_HOME) for a consistent copy. The copy opens with PGlite, every row of
// every table reads, and its counts are those of one moment: the run's stored answers lie between those before and
// after the backup, and every table agrees with the others. Without the token the route refuses and writes nothing.
// `lineage runs list` meanwhile is answered by the dashboard too.
import { expect, test } from "@playwright/test";
import { PGlite } from "@electric-sql/pglite";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "./support";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-backup-"));
const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key" };

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/lineage.mjs", ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startDashboard(port: number): Promise<ChildProcess> {
  // The production build made for the other browser tests.
  const log = fs.openSync(path.join(home, "dashboard.log"), "w");
  const proc = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", log, log],
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return proc;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the dashboard did not start");
}

async function doneOf(base: string, runId: string): Promise<{ status: string; done: number }> {
  // Retried once: a kept-alive connection the server closed while the test was busy fails with "other side closed".
  const get = () => fetch(`${base}/api/runs/${runId}`);
  const res = await get().catch(get);
  const p = (await res.json()) as { status: string; benchmarks: { done: number }[] };
  return { status: p.status, done: p.benchmarks.reduce((a, b) => a + b.done, 0) };
}

test("db backup while the dashboard executes a run: a consistent copy that opens and reads whole", async () => {
  test.setTimeout(240_000);
  const server = await startTestServer(["--latency-ms", "150"]);
  let dashboard: ChildProcess | null = null;
  try {
    const prompts = path.join(home, "prompts.txt");
    const ITEMS = 400;
    fs.writeFileSync(prompts, Array.from({ length: ITEMS }, (_, i) => `Tell me something about number ${i}.`).join("\n"));
    fs.writeFileSync(path.join(home, "suite.json"), JSON.stringify({ name: "backup", benchmarks: [{ benchmark: "textual", prompts: "prompts.txt" }] }));
    const added = await cli(["models", "add", "--name", "m", "--base-url", `${server.url}/v1`, "--model-id", "tiny-llama", "--concurrency", "4"]);
    expect(added.code, added.stderr).toBe(0);
    const queued = await cli(["profile", "--model", "m", "--suite", path.join(home, "suite.json")]);
    expect(queued.code, queued.stderr).toBe(0);
    const runId = queued.stdout.trim().split("\n")[0];

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    dashboard = await startDashboard(port);
    await expect.poll(async () => (await doneOf(base, runId)).done, { timeout: 60_000 }).toBeGreaterThan(20);

    // No token, a wrong one: refused, nothing written.
    const stolen = path.join(home, "stolen");
    expect((await fetch(`${base}/api/admin/backup`, { method: "POST", body: JSON.stringify({ dest: stolen }) })).status).toBe(403);
    const forged = await fetch(`${base}/api/admin/backup`, {
      method: "POST",
      headers: { "x-lineage-local-token": `${"a".repeat(32)}.${"b".repeat(64)}` },
      body: JSON.stringify({ dest: stolen }),
    });
    expect(forged.status).toBe(403);
    expect(fs.existsSync(stolen)).toBe(false);

    // `runs list` cannot open the database the dashboard holds: the dashboard answers it (same token scheme).
    const listed = await cli(["runs", "list", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: runId, model: "m", status: "running" })]);
    const plain = await cli(["runs", "list"]);
    expect(plain.stdout).toMatch(new RegExp(`^${runId}  running  +m  `));
    expect(fs.readdirSync(home).filter((f) => f.endsWith(".token"))).toEqual([]);
    expect((await fetch(`${base}/api/admin/runs`)).status).toBe(403);

    const before = await doneOf(base, runId);
    const dest = path.join(home, "backup");
    const backup = await cli(["db", "backup", dest]);
    const after = await doneOf(base, runId);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/the running dashboard wrote a consistent copy/);
    // The run was executing throughout, and no token is left behind.
    expect(before.status).toBe("running");
    expect(after.status).toBe("running");
    expect(after.done).toBeLessThan(ITEMS);
    expect(fs.readdirSync(home).filter((f) => f.endsWith(".token"))).toEqual([]);

    const copy = await PGlite.create(path.join(dest, "db"));
    try {
      const { rows: tables } = await copy.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["Run", "Item", "Model", "Job", "Aggregate"]));
      // Every row of every table reads back.
      for (const { name } of tables) await copy.query(`SELECT * FROM "${name}"`);
      const one = async (sql: string) => Number((await copy.query<{ n: number }>(sql)).rows[0].n);
      const done = await one(`SELECT count(*)::int AS n FROM "Item" WHERE "runId" = '${runId}' AND status = 'done'`);
      expect(done).toBeGreaterThanOrEqual(before.done);
      expect(done).toBeLessThanOrEqual(after.done);
      expect(await one(`SELECT count(*)::int AS n FROM "Item" WHERE "runId" = '${runId}'`)).toBe(ITEMS);
      expect(await one(`SELECT count(*)::int AS n FROM "Item" WHERE status = 'done' AND (output IS NULL OR "completedAt" IS NULL)`)).toBe(0);
      expect(await one(`SELECT total AS n FROM "RunBenchmark" WHERE "runId" = '${runId}'`)).toBe(ITEMS);
      expect(await one(`SELECT count(*)::int AS n FROM "Job" WHERE payload->>'key' = '${runId}' AND status = 'active'`)).toBe(1);
    } finally {
      await copy.close();
    }

    // The dashboard carries on: the run completes.
    await expect.poll(async () => (await doneOf(base, runId)).status, { timeout: 120_000 }).toBe("completed");
  } finally {
    dashboard?.kill("SIGTERM");
    server.stop();
  }
});
