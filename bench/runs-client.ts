// Throughput of the model client: 2,000 generate() calls through one endpoint with concurrency 32 against the
// test server in its own process (latency 50 ms), compared with the ideal 2000·50 ms / 32 = 3.125 s.
//   npx tsx bench/runs-client.ts [--calls 2000] [--concurrency 32] [--latency-ms 50] [--repeat 3]
// Target: ratio ≤ 1.15. The machine may be shared: each repetition reports its own figures, the CPU the client
// and the server spent per call, and the load average; the summary takes the best repetition.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { generate, type Endpoint } from "@/lib/llm";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const calls = arg("calls", 2000);
const concurrency = arg("concurrency", 32);
const latencyMs = arg("latency-ms", 50);
const repeat = arg("repeat", 3);

/** CPU milliseconds a child process has used (Linux /proc; null elsewhere). */
function childCpuMs(pid: number | undefined): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

const child = spawn(process.execPath, ["--import", "tsx", "tests/server/main.ts", "--port", "0", "--latency-ms", String(latencyMs)], {
  stdio: ["ignore", "pipe", "inherit"],
});
const kill = () => child.kill("SIGTERM");
process.on("exit", kill);

try {
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`test server exited (${code}) before printing its URL`)));
  });
  const { baseUrl, url } = JSON.parse(first) as { baseUrl: string; url: string };
  const endpoint: Endpoint = { baseUrl, modelId: "tiny-llama", concurrency };
  const call = (i: number) => generate(endpoint, { mode: "chat", prompt: `Prompt number ${i}`, temperature: 1, top_p: 0.9, max_tokens: 64, seed: i });

  // Warm-up, not timed: open the sockets and let the JIT optimise both processes' hot paths (the first
  // thousand calls cost about twice the CPU of later ones).
  await Promise.all(Array.from({ length: Math.max(concurrency, 1000) }, (_, i) => call(-1 - i)));
  await fetch(`${url}/__control/stats/reset`, { method: "POST" });

  const runs: Record<string, unknown>[] = [];
  for (let rep = 0; rep < repeat; rep++) {
    await fetch(`${url}/__control/stats/reset`, { method: "POST" });
    const cpu0 = process.cpuUsage();
    const srv0 = childCpuMs(child.pid);
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: calls }, (_, i) => call(rep * calls + i)));
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const srv1 = childCpuMs(child.pid);

    const stats = (await (await fetch(`${url}/__control/stats`)).json()) as { total: number; maxInFlight: number };
    const ideal = (calls * latencyMs) / 1000 / concurrency;
    const attempts = results.reduce((s, r) => s + r.attempts, 0);
    runs.push({
      wallSeconds: +wall.toFixed(3),
      ratio: +(wall / ideal).toFixed(3),
      clientCpuMsPerCall: +((cpu.user + cpu.system) / 1000 / calls).toFixed(3),
      serverCpuMsPerCall: srv0 === null || srv1 === null ? null : +((srv1 - srv0) / calls).toFixed(3),
      serverRequests: stats.total,
      serverMaxInFlight: stats.maxInFlight,
      attempts,
      loadAverage1m: +loadavg()[0].toFixed(2),
    });
  }
  const ideal = (calls * latencyMs) / 1000 / concurrency;
  const best = runs.reduce((a, b) => ((a.ratio as number) <= (b.ratio as number) ? a : b));
  console.log(
    JSON.stringify(
      {
        calls,
        concurrency,
        latencyMs,
        idealSeconds: +ideal.toFixed(3),
        target: 1.15,
        bestWallSeconds: best.wallSeconds,
        bestRatio: best.ratio,
        cpus: (await import("node:os")).cpus().length,
        runs,
      },
      null,
      2,
    ),
  );
} finally {
  kill();
}
