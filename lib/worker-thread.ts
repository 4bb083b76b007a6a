// Starting a worker thread from the TypeScript sources (vitest, tsx scripts): the entry is loaded through tsx, as
// its caller was. Bundled code (Next's server, the CLI's esbuild bundle) starts its threads from the bundled entry.
import fs from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** A thread running the TypeScript module at `entry` (an absolute path). */
export function sourceWorker(entry: string): Worker {
  const href = pathToFileURL(entry).href;
  // tsx's ESM entry of its API (require.resolve would give the CommonJS one, which cannot load from a thread).
  const tsxPackage = createRequire(entry).resolve("tsx/package.json");
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), JSON.parse(fs.readFileSync(tsxPackage, "utf8")).exports["./esm/api"].import.default)).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(href)}, ${JSON.stringify(href)}))`, { eval: true });
}
