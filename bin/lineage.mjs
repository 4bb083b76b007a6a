#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript, run through tsx so that `npx lineage` works without a build step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
