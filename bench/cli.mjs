// `npm run bench:cli`: start-up time of the command line, as a user sees it (a fresh process each time), against
// the floor set by PGlite opening its folder. Prints medians of N runs (default 7) for: `lineage help`,
// `lineage runs list` on an embedded database with a few runs, and a bare PGlite open of the same folder.
import { spawnSync } from "node:child_process";
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
console.log(`bench:cli — ${N} runs each, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
for (const [name, xs] of Object.entries(results)) console.log(`  ${name.padEnd(34)} median ${median(xs).toFixed(3)} s   min ${Math.min(...xs).toFixed(3)} s`);
const floor = median(results["node + PGlite open only (floor)"]);
console.log(`  runs list above the PGlite floor: ${(median(results["lineage runs list"]) - floor).toFixed(3)} s (targets: help < 0.25 s, runs list < 0.6 s)`);
fs.rmSync(home, { recursive: true, force: true });
