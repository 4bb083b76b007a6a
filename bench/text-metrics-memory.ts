/**
 * Memory check of `lineage text-metrics` on a 1,000,000-line input.
 *
 * Run: `npx tsx bench/text-metrics-memory.ts [lines]` (no npm script on purpose). It starts the real
 * bin (`node bin/lineage.mjs text-metrics`), feeds it generated JSON Lines on stdin as fast as the
 * command reads them (respecting backpressure, so the input never sits in memory), counts and discards
 * its output, and prints the command's peak resident set size — the kernel's VmHWM of the child,
 * polled from /proc (Linux). The contract: memory stays flat, peak RSS under 200 MB.
 *
 * Texts are the Alpaca outputs of ../shared/data when present (cycled, each made unique with its
 * line number), else a synthetic paragraph.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const LINES = Number(process.argv[2] ?? 1_000_000);
const LIMIT_MB = 200;
const repoRoot = path.resolve(import.meta.dirname, "..");
const dataPath = path.resolve(repoRoot, "../shared/data/alpaca/alpaca_5000.json");

const texts: string[] = existsSync(dataPath)
  ? (JSON.parse(readFileSync(dataPath, "utf8")) as { output: string }[]).map((r) => r.output)
  : ["Synthetic data shapes the student model. It inherits length, lexical diversity and readability from its teacher, and sometimes toxicity too."];

const child = spawn(process.execPath, [path.join(repoRoot, "bin/lineage.mjs"), "text-metrics"], {
  cwd: repoRoot,
  stdio: ["pipe", "pipe", "inherit"],
});

/** VmHWM (peak RSS) and VmRSS of the child in MB, or null where /proc is not available. */
function readMemory(): { peak: number; rss: number } | null {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { peak: kb("VmHWM") / 1024, rss: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}

let peakMb = 0;
const rssTrace: number[] = [];
let polls = 0;
const poller = setInterval(() => {
  const memory = readMemory();
  if (!memory) return;
  peakMb = Math.max(peakMb, memory.peak);
  if (polls++ % 20 === 0) rssTrace.push(Math.round(memory.rss)); // every ~2 s
}, 100);

let outputLines = 0;
child.stdout.on("data", (data: Buffer) => {
  for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) outputLines++;
});
const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

const start = performance.now();
let chunk = "";
for (let i = 0; i < LINES; i++) {
  chunk += JSON.stringify({ id: `line-${i}`, text: `${texts[i % texts.length]} (#${i})` }) + "\n";
  if (chunk.length >= 65_536 || i === LINES - 1) {
    if (!child.stdin.write(chunk)) await once(child.stdin, "drain");
    chunk = "";
  }
}
child.stdin.end();
const [code] = await exited;
clearInterval(poller);
const seconds = (performance.now() - start) / 1000;

console.log(
  `exit code ${code}; ${outputLines.toLocaleString("en-US")} output lines in ${seconds.toFixed(1)} s (${Math.round(LINES / seconds).toLocaleString("en-US")} lines/s)`,
);
if (peakMb === 0) {
  console.log("peak RSS: not available (needs Linux /proc); try /usr/bin/time -v node bin/lineage.mjs text-metrics …");
} else {
  console.log(`RSS of the command every ~2 s (MB): ${rssTrace.join(" ")}`);
  console.log(`peak RSS of the command: ${peakMb.toFixed(0)} MB (limit ${LIMIT_MB} MB): ${peakMb < LIMIT_MB ? "ok" : "OVER"}`);
}
if (code !== 0 || outputLines !== LINES || peakMb >= LIMIT_MB) process.exitCode = 1;
