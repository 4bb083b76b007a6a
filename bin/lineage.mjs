#!/usr/bin/env node
// Launcher of the `lineage` command line: runs the esbuild bundle of lib/cli (built at install, rebuilt here when
// a source is newer), so that no TypeScript is compiled at start. Migrations are found from the package, not from
// the current folder.
import path from "node:path";
import { bundleIsFresh, buildCliBundle, outDir, root } from "../scripts/cli-bundle.mjs";

process.env.LINEAGE_MIGRATIONS_DIR ??= path.join(root, "prisma", "migrations");
if (!bundleIsFresh()) await buildCliBundle();
const { main } = await import(path.join(outDir, "main.js"));
process.exitCode = await main(process.argv.slice(2));
