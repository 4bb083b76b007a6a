#!/usr/bin/env node
// `npm start`: builds the dashboard when the sources changed since the last build, then serves it on PORT
// (default 3000) with the embedded database unless DATABASE_URL is set.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const stampFile = path.join(root, ".next", "lineage-source-stamp");
const sourceRoots = ["app", "components", "lib", "public", "instrumentation.ts", "next.config.mjs", "package-lock.json", "tsconfig.json"];

function walk(p, out) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) if (name !== "node_modules") walk(path.join(p, name), out);
  } else {
    out.push(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}`);
  }
}

function sourceStamp() {
  const entries = [];
  for (const r of sourceRoots) walk(path.join(root, r), entries);
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}

const stamp = sourceStamp();
const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp;
if (!built) {
  console.log("[lineage] building the dashboard (first start or sources changed)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stampFile, stamp);
}

const port = process.env.PORT || "3000";
console.log(`[lineage] starting on http://localhost:${port}`);
const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port], {
  cwd: root,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
