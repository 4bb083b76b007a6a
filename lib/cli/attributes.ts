// `lineage attributes add|list|show|rejudge`: the same definitions as the /attributes form (lib/attributes/form.ts).
import fs from "node:fs";
import { describeDefinition } from "@/lib/attributes/describe";
import { attributeFieldsFromForm, attributeFormSchema } from "@/lib/attributes/form";
import { type AttributeVersionSnapshot, DIRECTION_LABELS } from "@/lib/attributes/spec";
import { type RejudgeSummary, rejudge } from "@/lib/attributes/reliability";
import { addVersion, createAttribute, getAttribute, listAttributes } from "@/lib/attributes/store";
import { findModel } from "@/lib/models/registry";
import { fieldErrorsFromZod } from "@/lib/forms";
import { intOption, stringOption } from "./args";
import { cliAudit, withDatabase } from "./database";
import { UsageError } from "./io";
import type { Action } from "./program";

const FLAG_OF: Record<string, string> = {
  name: "--name",
  unit: "--unit",
  description: "--description",
  direction: "--direction",
  target: "--target",
  kind: "--kind",
  terms: "--terms",
  match: "--match",
  measure: "--measure",
  judgeModelId: "--judge",
  rubric: "--rubric",
  readerMin: "--range",
  readerMax: "--range",
  readerLabels: "--labels",
  readerField: "--json-field",
  temperature: "--temperature",
  maxTokens: "--max-tokens",
  judgeSamples: "--judge-samples",
  scorerName: "--scorer",
  scorerAttribute: "--scorer-attribute",
};

function readText(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${file} (${(err as Error).message})`);
  }
}

export const addAttributeAction: Action = async (opts, _args, io) => {
  const s = (k: string) => stringOption(opts[k]);
  const range = s("range")?.split(",");
  if (range && range.length !== 2) throw new UsageError("--range: write min,max (e.g. 1,10)");
  const terms = s("termsFile") ? readText(s("termsFile")!, "--terms-file") : (s("terms") ?? "").split(",").join("\n");
  const rubric = s("rubricFile") ? readText(s("rubricFile")!, "--rubric-file") : s("rubric");
  const kind = s("kind");
  const raw = {
    name: s("name"),
    unit: s("unit"),
    description: s("description"),
    direction: s("direction") ?? "neutral",
    target: s("target"),
    kind,
    terms,
    match: s("match"),
    measure: s("measure"),
    caseSensitive: opts.caseSensitive === true ? "on" : "",
    rubric,
    readerType: s("labels") ? "labels" : s("jsonField") ? "json" : "number",
    readerMin: range?.[0],
    readerMax: range?.[1],
    readerLabels: (s("labels") ?? "").split(",").join("\n"),
    readerField: s("jsonField"),
    temperature: s("temperature"),
    maxTokens: s("maxTokens"),
    judgeSamples: s("judgeSamples"),
    scorerName: s("scorer"),
    scorerAttribute: s("scorerAttribute"),
  };
  const firstError = (errors: Record<string, string>) => {
    const [field, message] = Object.entries(errors)[0];
    return new UsageError(`${FLAG_OF[field] ?? field}: ${message}`);
  };
  return withDatabase(async (db) => {
    const judge = s("judge");
    let judgeModelId = "";
    if (judge) {
      const m = await findModel(db, judge);
      if (!m) throw new UsageError(`--judge: no model named "${judge}" (lineage models list)`);
      judgeModelId = m.id;
    }
    const parsed = attributeFormSchema.safeParse({ ...raw, judgeModelId });
    if (!parsed.success) throw firstError(fieldErrorsFromZod(parsed.error, { depth: 1 }));
    const fields = attributeFieldsFromForm(parsed.data);
    if (!fields.ok) throw firstError(fields.fieldErrors);
    let saved: AttributeVersionSnapshot;
    if (opts.newVersion === true) {
      const a = await getAttribute(db, parsed.data.name);
      if (!a) throw new UsageError(`--new-version: no attribute named "${parsed.data.name}" (lineage attributes list)`);
      saved = await addVersion(db, a.id, fields.fields);
    } else saved = await createAttribute(db, parsed.data.name, fields.fields);
    await cliAudit(db, {
      action: opts.newVersion === true ? "attribute.version" : "attribute.create",
      subjectType: "attribute",
      subjectId: saved.attributeId,
      detail: { name: saved.name, version: saved.version },
    });
    io.stdout.write(
      opts.json === true
        ? JSON.stringify({ id: saved.attributeId, versionId: saved.versionId, version: saved.version, metric: saved.metric }) + "\n"
        : `${opts.newVersion === true ? "added version" : "added attribute"} ${saved.name} v${saved.version} (metric ${saved.metric}, id ${saved.attributeId})\n`,
    );
    return 0;
  });
};

export const listAttributesAction: Action = async (opts, _args, io) =>
  withDatabase(async (db) => {
    const list = await listAttributes(db);
    if (opts.json === true) io.stdout.write(JSON.stringify(list) + "\n");
    else if (list.length === 0) io.stdout.write("no attributes yet: lineage attributes add --name … --kind lexicon --terms …\n");
    else for (const a of list) io.stdout.write(`${a.id}  ${a.name}  ${a.metric}  ${a.latest.definition.kind}  v${a.latest.version}\n`);
    return 0;
  });

export const showAttributeAction: Action = async (opts, args, io) =>
  withDatabase(async (db) => {
    const a = await getAttribute(db, args[0]);
    if (!a) throw new UsageError(`no attribute "${args[0]}" (lineage attributes list)`);
    if (opts.json === true) {
      io.stdout.write(JSON.stringify(a) + "\n");
      return 0;
    }
    io.stdout.write(`${a.name}  (metric ${a.metric}, id ${a.id})\n`);
    for (const v of a.versions) {
      io.stdout.write(`\nversion ${v.version}  ${v.createdAt}\n`);
      io.stdout.write(`  kind: ${v.definition.kind}\n  unit: ${v.unit || "—"}\n`);
      io.stdout.write(`  direction: ${v.direction === "target" ? `closest to ${v.target}` : DIRECTION_LABELS[v.direction]}\n`);
      for (const [k, text] of describeDefinition(v.definition)) io.stdout.write(`  ${k.toLowerCase()}: ${text.replace(/\n/g, "\n    ")}\n`);
    }
    return 0;
  });

function agreementLines(p: RejudgeSummary): string {
  const rho = p.spearman.ok ? `Spearman rho ${p.spearman.value.toFixed(4)}` : `Spearman rho not defined: ${p.spearman.reason}`;
  const mad = p.meanAbsDiff.ok ? `mean |diff| ${p.meanAbsDiff.value.toFixed(4)}` : `mean |diff| not defined: ${p.meanAbsDiff.reason}`;
  const dropped = p.spearman.dropped ? ` (${p.spearman.dropped} without a readable second score)` : "";
  return `${rho}\n${mad}\nn ${p.spearman.n}${dropped}\n`;
}

export const rejudgeAttributeAction: Action = async (opts, args, io) => {
  const runId = stringOption(opts.run);
  if (!runId) throw new UsageError("--run: name the run whose judged outputs to ask about again");
  const sampleSize = intOption(opts.sample, "sample", 2) ?? 20;
  const seed = intOption(opts.seed, "seed", 0) ?? 0;
  return withDatabase(async (db) => {
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once("SIGINT", stop);
    try {
      const pass = await rejudge(db, {
        attribute: args[0],
        runId,
        sampleSize,
        seed,
        signal: abort.signal,
        onScore: (done, total) => {
          if (opts.json !== true) io.stderr.write(`\rjudged again ${done} / ${total}`);
        },
      });
      if (opts.json !== true) io.stderr.write("\n");
      await cliAudit(db, {
        action: "attribute.rejudge",
        subjectType: "attribute",
        subjectId: pass.attributeId,
        detail: { runId, sampleSize, seed, pass: pass.id },
      });
      if (opts.json === true) {
        const { pairs: _pairs, ...summary } = pass;
        io.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        io.stdout.write(
          `re-judged ${pass.stored} of ${pass.sampleSize} outputs of run ${pass.runId} with version ${pass.version} (seed ${pass.seed}, pass ${pass.id})\n`,
        );
        io.stdout.write(agreementLines(pass));
      }
      return 0;
    } finally {
      process.off("SIGINT", stop);
    }
  });
};
