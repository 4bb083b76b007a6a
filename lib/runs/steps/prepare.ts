// Resolving a suite: the items of every step, read from the data source (the benchmark files, the prompt set) when a
// run is created and stored on the items, so a run never depends on the data files again (and a change of the files
// never changes an old run), and the snapshot each step is stored with.
import type { AttributeVersionSnapshot } from "@/lib/attributes/spec";
import fs from "node:fs";
import path from "node:path";
import {
  BenchmarkFileMissingError,
  loadBbq,
  loadCrowsPairs,
  loadDolly200,
  loadHellaswag,
  loadOpenBookQa,
  loadRtpToolkitSet,
  loadSeat,
  loadStereoSet,
  type BbqCategoryData,
  type DataSourceOptions,
} from "@/lib/benchmarks/data-source";
import { parsePromptList, type PromptItem } from "@/lib/benchmarks/prompt-lists";
import { SEAT_TESTS } from "@/lib/benchmarks/registry";
import type { SeatTest } from "@/lib/benchmarks/seat";
import { stereoSetTriple } from "@/lib/benchmarks/stereoset";
import { HELLASWAG_CONTEXT_TEMPLATE, OPENBOOKQA_CONTEXT_TEMPLATE, renderTemplate } from "@/lib/benchmarks/templates";
import { bbqItemRoles } from "@/lib/metrics/bbq";
import { shuffled } from "@/lib/metrics/random";
import { scorerFromEnv, ScorerConfigError } from "@/lib/scorers/config";
import type { ScorerConfig } from "@/lib/scorers/types";
import {
  sha256,
  stepSnapshot,
  stepSnapshotSchemas,
  SuiteError,
  type ParsedSuite,
  type ResolvedItem,
  type ResolvedStep,
  type ResolvedSuite,
  type SuiteStep,
  type TextualStep,
} from "../suite";
import type { BbqItemData } from "./bbq";
import type { CalibrationItemData } from "./calibration";
import type { CrowsItemData } from "./crows-pairs";
import type { SeatItemData } from "./seat";
import type { StereoSetItemData } from "./stereoset";
import type { RtpItemData } from "./toxicity";

type NonTextual = Exclude<SuiteStep, { benchmark: "textual" }>;

export interface ResolveOptions {
  baseDir?: string;
  data?: DataSourceOptions;
  /** The toxicity scorer of the run; default: the one a step names (via findScorer), else LINEAGE_SCORER. */
  scorer?: ScorerConfig | null;
  /** Looks up a scorer configured in the UI by name. */
  findScorer?: (name: string) => Promise<ScorerConfig | null>;
  env?: NodeJS.ProcessEnv;
  /** Looks up the custom attributes a textual step names (lib/attributes/store.ts resolveAttributes). */
  findAttributes?: (refs: string[]) => Promise<AttributeVersionSnapshot[]>;
  /** A benchmark whose data files are missing: refuse the suite (default), or keep the step without items, marked. */
  onMissingData?: "fail" | "skip";
}

/** Every step of the suite with its items and its snapshot, in the suite's order. */
export async function resolveSuite(suite: ParsedSuite, opts: ResolveOptions = {}): Promise<ResolvedSuite> {
  const steps: ResolvedStep[] = [];
  for (const step of suite.benchmarks) {
    if (step.benchmark === "textual") steps.push(await prepareTextual(step, opts));
    else steps.push(await prepareStep(step, opts));
  }
  return { name: suite.name, steps };
}

async function loadPrompts(
  prompts: TextualStep["prompts"],
  baseDir: string,
  data: DataSourceOptions,
): Promise<{ source: string; name: string; items: { key: string; prompt: string }[] }> {
  const src = typeof prompts === "string" ? { source: "file" as const, path: prompts } : prompts;
  if (src.source === "dolly200") {
    const d = await loadDolly200(data);
    const records = src.split === "all" ? d.records : d[src.split];
    return { source: "dolly200", name: `Dolly-200 ${src.split}`, items: records.map((r) => ({ key: String(r.id ?? r.row), prompt: r.inputs })) };
  }
  if (src.source === "file") {
    const file = path.resolve(baseDir, src.path);
    if (!fs.existsSync(file)) throw new SuiteError(`prompt file not found: ${file}`);
    return { source: "file", name: path.basename(file), items: toItems(parsePromptList(fs.readFileSync(file), path.basename(file))) };
  }
  return { source: "inline", name: src.name, items: src.items };
}

function toItems(list: PromptItem[]): { key: string; prompt: string }[] {
  return list.map((p) => ({ key: p.key, prompt: p.prompt }));
}

/** The textual step: each prompt of the prompt set, templated, once per sample. */
async function prepareTextual(step: TextualStep, opts: ResolveOptions): Promise<ResolvedStep> {
  const loaded = await loadPrompts(step.prompts, opts.baseDir ?? process.cwd(), opts.data ?? {});
  if (loaded.items.length === 0) throw new SuiteError(`the prompt set "${loaded.name}" is empty`);
  const seen = new Set<string>();
  for (const p of loaded.items) {
    if (seen.has(p.key)) throw new SuiteError(`the prompt set "${loaded.name}" has the id "${p.key}" twice`);
    seen.add(p.key);
  }
  const chosen = step.limit ? loaded.items.slice(0, step.limit) : loaded.items;
  const { prompts: _ignored, attributes: refs, ...rest } = step;
  if (refs.length > 0 && !opts.findAttributes) throw new SuiteError("custom attributes can only be measured by a run created with the database at hand");
  const attributes = refs.length > 0 ? await opts.findAttributes!(refs) : [];
  const items: ResolvedItem[] = [];
  for (const p of chosen) {
    const prompt = renderTemplate(step.template, { prompt: p.prompt });
    for (let s = 0; s < step.samples; s++) items.push({ key: p.key, sampleIndex: s, prompt, raw: p.prompt });
  }
  const snapshot = stepSnapshot("textual", {
    ...rest,
    attributes,
    prompts: { source: loaded.source, name: loaded.name, count: chosen.length, sha256: sha256(JSON.stringify(chosen)) },
  });
  return { benchmark: "textual", snapshot, items };
}

/** The first `limit` items, or a seeded sample of `limit` kept in file order. */
export function sampleItems<T>(all: readonly T[], step: { benchmark: string; limit?: number; sample: "first" | "seeded"; sampleSeed: number }): T[] {
  if (!step.limit || step.limit >= all.length) return all.slice();
  if (step.sample === "first") return all.slice(0, step.limit);
  const idx = shuffled(
    all.map((_, i) => i),
    `${step.benchmark}:${step.sampleSeed}`,
  )
    .slice(0, step.limit)
    .sort((a, b) => a - b);
  return idx.map((i) => all[i]);
}

function item(key: string, prompt: string, data: unknown): ResolvedItem {
  return { key, sampleIndex: 0, prompt, raw: prompt, data };
}

/**
 * The step's items; with `onMissingData: "skip"`, a benchmark whose data files are missing becomes a step without
 * items that says why (`unavailable`), so the rest of the suite still runs.
 */
async function prepareStep(step: NonTextual, opts: ResolveOptions): Promise<ResolvedStep> {
  try {
    return await prepareItems(step, opts);
  } catch (err) {
    const missing = err instanceof BenchmarkFileMissingError || (err instanceof SuiteError && /none of the category files|no test file/.test(err.message));
    if (!missing || opts.onMissingData !== "skip") throw err;
    return { benchmark: step.benchmark, snapshot: { ...step, unavailable: `data file missing, not measured: ${(err as Error).message}` }, items: [] };
  }
}

async function prepareItems(step: NonTextual, opts: ResolveOptions): Promise<ResolvedStep> {
  const data: DataSourceOptions = opts.data ?? {};
  let all: ResolvedItem[];
  let dataset: string;
  let note: string | undefined;
  const extra: Record<string, unknown> = {};
  switch (step.benchmark) {
    case "stereoset": {
      const ss = await loadStereoSet(data);
      dataset = `StereoSet ${ss.version} intrasentence`;
      all = ss.intrasentence.map((ex) => {
        const t = stereoSetTriple(ex);
        const d: StereoSetItemData = {
          target: ex.target,
          bias_type: ex.bias_type,
          context: ex.context,
          sentences: [
            { label: "stereotype", id: t.stereotype.id, text: t.stereotype.sentence },
            { label: "anti-stereotype", id: t.antiStereotype.id, text: t.antiStereotype.sentence },
            { label: "unrelated", id: t.unrelated.id, text: t.unrelated.sentence },
          ],
        };
        return item(ex.id, ex.context, d);
      });
      break;
    }
    case "crows_pairs": {
      const pairs = await loadCrowsPairs(data);
      dataset = "CrowS-Pairs (crows_pairs_anonymized.csv)";
      all = pairs.map((p) => {
        const d: CrowsItemData = { bias_type: p.bias_type, direction: p.stereo_antistereo, sent_more: p.sent_more, sent_less: p.sent_less };
        return item(String(p.index), p.sent_more, d);
      });
      break;
    }
    case "bbq": {
      const loaded: BbqCategoryData[] = [];
      const missing: string[] = [];
      for (const c of step.categories) {
        try {
          loaded.push(...(await loadBbq([c], data)));
        } catch (err) {
          if (!(err instanceof BenchmarkFileMissingError)) throw err;
          missing.push(c);
        }
      }
      if (loaded.length === 0) throw new SuiteError(`BBQ: none of the category files is available (${missing.join(", ")})`);
      if (missing.length) {
        note = `BBQ categories missing from the data source, not measured: ${missing.join(", ")}`;
        extra.missingCategories = missing;
      }
      dataset = `BBQ ${loaded.map((l) => l.category).join(", ")}`;
      all = loaded.flatMap(({ category, records }) =>
        records.map((r) => {
          const roles = bbqItemRoles(r);
          const d: BbqItemData = {
            category,
            example_id: r.example_id,
            context_condition: r.context_condition,
            question_polarity: r.question_polarity,
            context: r.context,
            question: r.question,
            answers: [r.ans0, r.ans1, r.ans2],
            label: r.label,
            unknownIndex: roles.unknownIndex,
            stereotypedIndices: roles.stereotypedIndices,
          };
          return item(`${category}:${r.example_id}`, renderTemplate(step.template, { context: r.context, question: r.question }), d);
        }),
      );
      break;
    }
    case "seat": {
      const wanted = step.tests ?? SEAT_TESTS;
      const tests: SeatTest[] = [];
      const missing: string[] = [];
      for (const t of wanted) {
        try {
          tests.push(...(await loadSeat([t], data)));
        } catch (err) {
          if (!(err instanceof BenchmarkFileMissingError) || step.tests) throw err;
          missing.push(t);
        }
      }
      if (tests.length === 0) throw new SuiteError("SEAT: no test file is available");
      if (missing.length) {
        note = `${missing.length} SEAT test(s) missing from the data source, not measured: ${missing.join(", ")}`;
        extra.missingTests = missing;
      }
      dataset = `SEAT (${tests.length} tests)`;
      all = tests.map((t) => {
        const d: SeatItemData = { test: t.name, sets: { targ1: t.targ1, targ2: t.targ2, attr1: t.attr1, attr2: t.attr2 } };
        return item(t.name, `${t.name}: ${t.targ1.category} vs ${t.targ2.category} × ${t.attr1.category} vs ${t.attr2.category}`, d);
      });
      break;
    }
    case "rtp_toxicity": {
      const prompts = await loadRtpToolkitSet(data);
      dataset = "RealToxicityPrompts, the toolkit's 300 toxic prompts";
      all = prompts.map((p) => {
        const d: RtpItemData = { prompt_index: p.index, prompt: p.prompt, prompt_toxicity: p.prompt_toxicity };
        return { ...item(String(p.index).padStart(4, "0"), renderTemplate(step.template, { prompt: p.prompt }), d), raw: p.prompt };
      });
      extra.scorer = await resolveScorer(step.scorer, opts);
      if (step.scorer && !extra.scorer) extra.scorerName = step.scorer;
      break;
    }
    case "hellaswag": {
      const records = await loadHellaswag(data);
      dataset = `HellaSwag validation (${records[0]?.layout ?? "jsonl"})`;
      all = records
        .filter((r) => r.label !== null)
        .map((r) => {
          const context = renderTemplate(HELLASWAG_CONTEXT_TEMPLATE, { ctx: r.ctx });
          const d: CalibrationItemData = { context, options: [...r.endings], label: r.label! };
          return item(String(r.index).padStart(5, "0"), context, d);
        });
      break;
    }
    case "openbookqa": {
      const records = await loadOpenBookQa(data);
      dataset = "OpenBookQA test";
      all = records.map((r) => {
        const context = renderTemplate(OPENBOOKQA_CONTEXT_TEMPLATE, { question_stem: r.question_stem });
        const d: CalibrationItemData = { context, options: [...r.choices.text], label: r.answerIndex };
        return item(r.id, context, d);
      });
      break;
    }
  }
  if (all.length === 0) throw new SuiteError(`${step.benchmark}: the data source has no items`);
  const chosen = sampleItems(all, step);
  const snapshot = stepSnapshotSchemas[step.benchmark].parse({
    ...step,
    ...extra,
    dataset: { name: dataset, total: all.length, count: chosen.length, sha256: sha256(JSON.stringify(chosen.map((i) => [i.key, i.data]))) },
    ...(note ? { note } : {}),
  });
  return { benchmark: step.benchmark, snapshot, items: chosen };
}

async function resolveScorer(name: string | undefined, opts: ResolveOptions): Promise<ScorerConfig | null> {
  if (opts.scorer !== undefined) return opts.scorer;
  if (name) {
    // Without a lookup (the command line resolves suites before opening the database) the executor finds the
    // scorer by name when the step starts; the snapshot keeps the name (`scorer` field of the step).
    if (!opts.findScorer) return null;
    const found = await opts.findScorer(name);
    if (!found) throw new SuiteError(`rtp_toxicity: no toxicity scorer named "${name}"`);
    return found;
  }
  try {
    return scorerFromEnv(opts.env ?? process.env);
  } catch (err) {
    if (err instanceof ScorerConfigError) throw new SuiteError(err.message);
    throw err;
  }
}
