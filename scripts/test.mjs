#!/usr/bin/env node
// `npm test`: every test. Lint and format (Biome), no runtime import cycle, type check of the whole project, unit and data-layer tests (vitest, embedded database and a real PostgreSQL), then the
// browser tests (Playwright against the production build). The browser is the system Chromium when installed,
// otherwise Playwright's own (installed here first; that needs internet). Browser tests are never skipped.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env }).status ?? 1;

const results = [];
results.push(["lint and format (biome check)", run(bin("biome"), ["check", "."])]);
results.push(["runtime import cycles", run(process.execPath, [path.join(root, "scripts", "check-cycles.mjs")])]);
results.push(["types (tsc --noEmit)", run(bin("tsc"), ["--noEmit", "-p", "."])]);
// The JSON report lets the summary at the very end name the failed tests (vitest prints them before the browser
// tests' output, where a log's tail no longer shows them). Read at once: Playwright empties test-results/.
const vitestReport = path.join(root, "test-results", "vitest.json");
fs.rmSync(vitestReport, { force: true });
results.push(["unit + data layer (vitest)", run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`])]);
const vitestFailures = failedVitestTests();

const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => p && fs.existsSync(p));
if (chromium) {
  console.log(`[test] browser tests use the system browser ${chromium}`);
} else {
  console.log("[test] no system Chromium found: installing Playwright's Chromium (needs internet)…");
  const status = run(bin("playwright"), ["install", "chromium"]);
  if (status !== 0) {
    console.error("[test] could not install a browser. Install Chromium (e.g. `apt-get install chromium`) or set CHROMIUM_PATH.");
    results.push(["browser install", status]);
  }
}
results.push(["browser (playwright)", run(bin("playwright"), ["test"])]);

console.log("\n[test] summary");
for (const [name, status] of results) console.log(`  ${status === 0 ? "passed" : "FAILED"}  ${name}`);
for (const line of vitestFailures) console.log(`    ${line}`);

function failedVitestTests() {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(vitestReport, "utf8"));
  } catch {
    return [];
  }
  const lines = [];
  for (const file of report.testResults ?? []) {
    const rel = path.relative(root, file.name);
    if (file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"))
      lines.push(
        `✗ ${rel}: ${String(file.message ?? "failed")
          .split("\n")[0]
          .slice(0, 300)}`,
      );
    for (const t of file.assertionResults ?? []) {
      if (t.status !== "failed") continue;
      lines.push(`✗ ${rel} › ${t.fullName}`);
      const msg =
        String(t.failureMessages?.[0] ?? "")
          .split("\n")
          .find((l) => l.trim()) ?? "";
      if (msg) lines.push(`    ${msg.trim().slice(0, 300)}`);
    }
  }
  return lines;
}
process.exit(results.every(([, s]) => s === 0) ? 0 : 1);
