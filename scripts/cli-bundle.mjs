// The command line's bundle: lib/cli compiled once into dist/cli by esbuild (npm packages stay external), so that a
// command starts without compiling TypeScript (tsx took ~0.3 s of every start). bin/lineage.mjs rebuilds it when the
// sources changed since (scripts/source-stamp.mjs), so an edited checkout never runs stale code.
import fs from "node:fs";
import path from "node:path";
import { sourceStamp } from "./source-stamp.mjs";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const outDir = path.join(root, "dist", "cli");
const stampFile = path.join(outDir, "stamp");
const SOURCES = ["lib", "prisma/schema.prisma", "tsconfig.json", "package-lock.json"];

export function bundleIsFresh() {
  try {
    return fs.readFileSync(stampFile, "utf8") === sourceStamp(root, SOURCES) && fs.existsSync(path.join(outDir, "main.js"));
  } catch {
    return false;
  }
}

export async function buildCliBundle() {
  const stamp = sourceStamp(root, SOURCES);
  const { build } = await import("esbuild");
  fs.rmSync(outDir, { recursive: true, force: true });
  await build({
    // The text-metrics thread is an entry of its own: lib/cli/text-metrics.ts starts it from beside the bundle.
    entryPoints: [path.join(root, "lib/cli/main.ts"), path.join(root, "lib/cli/text-metrics-thread.ts")],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    alias: { "@": root },
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "error",
  });
  fs.writeFileSync(stampFile, stamp);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await buildCliBundle();
}
