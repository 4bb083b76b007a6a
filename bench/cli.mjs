// `npm run bench:cli`: start-up time of the command line, as a user sees it (a fresh process each time), against
// the floor set by PGlite opening its folder. Prints medians of N runs (default 7) for: `lineage help`,
// `lineage runs list` on an embedded database with a few runs, and a bare PGlite open of the same folder; then
// `lineage runs list` while the dashboard (scripts/start.mjs, built if needed) has that database open and answers it.
// Then two commands end to end, process start included (best of BENCH_E2E runs, default 3):
// `lineage profile --wait` of 2,000 textual prompts against the test server (tests/server, its own process) at
// 50 ms latency and concurrency 32 (ideal 2,000 / 32 × 50 ms = 3.125 s; target within 1.5×), and
// `lineage text-metrics` on 50,000 texts (target ≥ 2 M words/s). --skip-e2e skips them.
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = path.join(root, "bin", "lineage.mjs");
const N = Number(process.env.BENCH_N ?? 7);
const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-cli-"));
const env = { ...process.env, LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "bench" };

function time(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const series = (args) => {
  time(args); // warm the file cache and build the bundle if needed
  return Array.from({ length: N }, () => time(args));
};

// A database with two models so that `runs list` opens a real, migrated folder.
time([bin, "models", "add", "--name", "a", "--base-url", "http://127.0.0.1:9/v1", "--model-id", "a"]);
time([bin, "models", "add", "--name", "b", "--base-url", "http://127.0.0.1:9/v1", "--model-id", "b"]);
const openOnly = path.join(home, "open.mjs");
fs.writeFileSync(
  openOnly,
  `import { PGlite } from ${JSON.stringify(path.join(root, "node_modules/@electric-sql/pglite/dist/index.js"))};\nconst db = new PGlite(${JSON.stringify(path.join(home, "db"))});\nawait db.waitReady;\nawait db.close();\n`,
);
const results = {
  "lineage help": series([bin, "help"]),
  "lineage runs list": series([bin, "runs", "list"]),
  "node + PGlite open only (floor)": series([openOnly]),
  "node only": series(["-e", "0"]),
};
// The same command while the dashboard holds the database (lib/cli/runs-list.ts asks it).
{
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const dashboard = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: { ...env, PORT: String(port), LINEAGE_WORKER: "off" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    let up = false;
    for (let i = 0; i < 1500 && !up && dashboard.exitCode === null; i++) {
      up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 200));
    }
    if (!up) throw new Error("the dashboard did not start");
    results["lineage runs list (dashboard has the db)"] = series([bin, "runs", "list"]);
  } finally {
    dashboard.kill("SIGTERM");
    await new Promise((r) => (dashboard.exitCode === null ? dashboard.once("exit", r) : r()));
  }
}
console.log(`bench:cli — ${N} runs each, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
for (const [name, xs] of Object.entries(results)) console.log(`  ${name.padEnd(42)} median ${median(xs).toFixed(3)} s   min ${Math.min(...xs).toFixed(3)} s`);
const floor = median(results["node + PGlite open only (floor)"]);
console.log(`  runs list above the PGlite floor: ${(median(results["lineage runs list"]) - floor).toFixed(3)} s (targets: help < 0.25 s, runs list < 0.6 s)`);
console.log(`  runs list with the dashboard holding the database: median ${median(results["lineage runs list (dashboard has the db)"]).toFixed(3)} s`);

if (!process.argv.includes("--skip-e2e")) {
  const E2E = Number(process.env.BENCH_E2E ?? 3);
  const best = (args, opts) => Math.min(...Array.from({ length: E2E }, () => time(args, opts)));
  // The test server in its own process, so that it does not share a core's event loop with the command.
  const server = spawn(process.execPath, ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", "50"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const { baseUrl } = JSON.parse(await new Promise((resolve) => createInterface({ input: server.stdout }).once("line", resolve)));
    time([bin, "models", "add", "--name", "bench", "--base-url", baseUrl, "--model-id", "tiny-llama", "--concurrency", "32"]);
    const suite = path.join(home, "suite.json");
    const PROMPTS = 2000;
    fs.writeFileSync(
      suite,
      JSON.stringify({
        name: "bench",
        benchmarks: [
          {
            benchmark: "textual",
            prompts: { source: "inline", items: Array.from({ length: PROMPTS }, (_, i) => ({ key: `p${i}`, prompt: `Write about subject ${i}.` })) },
            decoding: { temperature: 1, top_p: 0.9, max_tokens: 64, seed: 1 },
          },
        ],
      }),
    );
    const ideal = (PROMPTS / 32) * 0.05;
    const profile = best([bin, "profile", "--model", "bench", "--suite", suite, "--wait", "--json"]);
    console.log(
      `  lineage profile --wait, ${PROMPTS} prompts, 50 ms, concurrency 32: best ${profile.toFixed(3)} s = ${(profile / ideal).toFixed(2)}× the ideal ${ideal.toFixed(3)} s (target ≤ 1.5×)`,
    );
  } finally {
    server.kill("SIGTERM");
  }
  // 50,000 texts of 60–140 words from a fixed vocabulary (seeded), as JSON Lines.
  const words = "the model writes a short answer about every subject it is given and some longer ones with commas, clauses; and numbers like 42".split(" ");
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let total = 0;
  const lines = [];
  for (let i = 0; i < 50_000; i++) {
    const n = 60 + Math.floor(rand() * 80);
    const text = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ") + ".";
    total += n;
    lines.push(JSON.stringify({ id: `t${i}`, text }));
  }
  const input = path.join(home, "texts.jsonl");
  fs.writeFileSync(input, lines.join("\n") + "\n");
  const metrics = best([bin, "text-metrics", "--in", input, "--out", path.join(home, "metrics.jsonl")]);
  console.log(
    `  lineage text-metrics, 50,000 texts (${(total / 1e6).toFixed(2)} M words): best ${metrics.toFixed(3)} s = ${(total / metrics / 1e6).toFixed(2)} M words/s (target ≥ 2)`,
  );
}
fs.rmSync(home, { recursive: true, force: true });
