#!/usr/bin/env node
// Runtime import cycles in app/, components/, lib/ and bin/ (type-only imports do not count: they vanish at build).
// Exit 1 and the cycles listed when there are any; run by `npm test`.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const DIRS = ["app", "components", "lib", "bin", "scripts"];
const EXT = [".ts", ".tsx", ".mjs", ".js"];

function files(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!["node_modules", "generated"].includes(e.name)) files(p, out);
    } else if (EXT.some((x) => e.name.endsWith(x)) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function resolve(from, spec) {
  let base;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const c of [base, ...EXT.map((x) => base + x), ...EXT.map((x) => path.join(base, "index" + x))])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

// Value imports and re-exports, static and dynamic-at-top are all runtime edges; `import type` / `export type` are not.
const IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
const graph = new Map();
for (const dir of DIRS) {
  if (!fs.existsSync(path.join(root, dir))) continue;
  for (const f of files(path.join(root, dir))) {
    const src = fs.readFileSync(f, "utf8");
    const deps = new Set();
    for (const m of src.matchAll(IMPORT)) {
      const r = resolve(f, m[1]);
      if (r) deps.add(r);
    }
    graph.set(f, deps);
  }
}

const cycles = [];
const state = new Map(); // 1 visiting, 2 done
const stack = [];
function visit(n) {
  state.set(n, 1);
  stack.push(n);
  for (const d of graph.get(n) ?? []) {
    if (!graph.has(d)) continue;
    if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => path.relative(root, p)));
    else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(n, 2);
}
for (const n of graph.keys()) if (!state.has(n)) visit(n);
for (const c of cycles) console.log(`cycle: ${c.join(" -> ")}`);
console.log(`${graph.size} files, ${cycles.length} runtime import cycle(s)`);
process.exit(cycles.length ? 1 : 0);
