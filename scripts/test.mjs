#!/usr/bin/env node
// `npm test`: every test. Type check of the whole project, unit and data-layer tests (vitest, embedded database and a real PostgreSQL), then the
// browser tests (Playwright against the production build). The browser is the system Chromium when installed,
// otherwise Playwright's own (installed here first; that needs internet). Browser tests are never skipped.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env }).status ?? 1;

const results = [];
results.push(["types (tsc --noEmit)", run(bin("tsc"), ["--noEmit", "-p", "."])]);
results.push(["unit + data layer (vitest)", run(bin("vitest"), ["run"])]);

const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(
  (p) => p && fs.existsSync(p),
);
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
process.exit(results.every(([, s]) => s === 0) ? 0 : 1);
