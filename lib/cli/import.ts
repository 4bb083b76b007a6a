// `lineage import generations <file> --model <name|id> [--json]`
// `lineage import toolkit <dir> --model <name|id> [--json]` (the paper toolkit's results/profiling/<exp>/ folder)
import fs from "node:fs";
import path from "node:path";
import { findModel } from "@/lib/models/registry";
import { resolveAttributes } from "@/lib/attributes/store";
import { importGenerations, parseGenerations } from "@/lib/runs/import-generations";
import { importToolkitResults, parseToolkitResults, readToolkitDir } from "@/lib/runs/import-toolkit";
import { runMetrics } from "@/lib/runs/runs";
import { stringOption } from "./args";
import { cliAudit, withDatabase } from "./database";
import { UsageError } from "./io";
import type { Action } from "./program";

const optionsOf = (opts: Record<string, unknown>) => ({ model: stringOption(opts.model), name: stringOption(opts.name), json: opts.json === true });

export const importGenerationsAction: Action = async (opts, args, io) => {
  const values = optionsOf(opts);
  const file = args[0];
  const modelRef = String(values.model);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const generations = parseGenerations(text, path.basename(file));
  return withDatabase(async (db) => {
    const model = await findModel(db, modelRef);
    if (!model) throw new UsageError(`no model named or with id "${modelRef}" (see: lineage models list)`);
    const refs = (stringOption(opts.attributes) ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const attributes = await resolveAttributes(db, refs);
    const runId = await importGenerations(db, model.id, generations, { name: values.name, file: path.basename(file), attributes });
    await cliAudit(db, { action: "run.import", subjectType: "run", subjectId: runId, detail: { format: "generations", name: values.name } });
    const summary = { run: runId, status: "completed", metrics: await runMetrics(db, runId) };
    io.stdout.write(values.json ? JSON.stringify(summary) + "\n" : `imported ${generations.length} generations as run ${runId}\n`);
    return 0;
  });
};

export const importToolkitAction: Action = async (opts, args, io) => {
  const values = optionsOf(opts);
  const dir = args[0];
  const modelRef = String(values.model);
  const parsed = parseToolkitResults(readToolkitDir(dir));
  return withDatabase(async (db) => {
    const model = await findModel(db, modelRef);
    if (!model) throw new UsageError(`no model named or with id "${modelRef}" (see: lineage models list)`);
    const runId = await importToolkitResults(db, model.id, parsed, { name: values.name, folder: path.basename(path.resolve(dir)) });
    await cliAudit(db, { action: "run.import", subjectType: "run", subjectId: runId, detail: { format: "toolkit", name: values.name } });
    // What the import left out or read a particular way, as stored on the run (the same lines as `runs show`).
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { notes: true } });
    const notes = (run.notes ?? "").split("\n").filter((l) => l.trim() !== "");
    const summary = { run: runId, status: "completed", notes, metrics: await runMetrics(db, runId) };
    if (values.json) io.stdout.write(JSON.stringify(summary) + "\n");
    else {
      io.stdout.write(`imported ${parsed.files.join(", ")} as run ${runId}\n`);
      for (const n of notes) io.stdout.write(`  note: ${n}\n`);
    }
    return 0;
  });
};
