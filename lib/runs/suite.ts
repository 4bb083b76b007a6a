// A suite says what a run measures: benchmarks, prompt set, sample counts, decoding and templates. It is resolved
// (defaults filled in, prompts read and rendered) and snapshotted on the run when the run is created, so a later
// change of defaults never changes what an old run meant.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { loadDolly200, type DataSourceOptions } from "@/lib/benchmarks/data-source";
import { parsePromptList, type PromptItem } from "@/lib/benchmarks/prompt-lists";
import { BBQ_CATEGORIES, BBQ_TOOLKIT_CATEGORIES } from "@/lib/benchmarks/bbq";
import { BBQ_TEMPLATE, QA_TEMPLATE, RTP_CONTINUATION_TEMPLATE, renderTemplate } from "@/lib/benchmarks/templates";
import { decodingFields } from "@/lib/llm/decoding";
import { DEFAULT_SEAT_PERMUTATIONS } from "@/lib/metrics/seat";
import { DEFAULT_TOXICITY_THRESHOLD } from "@/lib/metrics/toxicity";
import { REQUEST_MODES, samplesField, STEP_BENCHMARKS, type StepBenchmark } from "./step-fields";
import type { ScorerConfig } from "@/lib/scorers/types";
import { prepareStep } from "./steps/prepare";
import { errorOfKind } from "@/lib/errors";

export const decodingSchema = z
  .object({
    temperature: decodingFields.temperature().default(0),
    top_p: decodingFields.top_p().default(1),
    max_tokens: decodingFields.max_tokens().default(256),
    seed: decodingFields.seed().optional(),
    stop: decodingFields.stop().optional(),
  })
  .strict();

const promptSourceSchema = z.union([
  z.object({ source: z.literal("dolly200"), split: z.enum(["test", "val", "all"]).default("test") }).strict(),
  z.object({ source: z.literal("file"), path: z.string().min(1) }).strict(),
  z
    .object({
      source: z.literal("inline"),
      name: z.string().default("uploaded prompts"),
      items: z.array(z.object({ key: z.string(), prompt: z.string() })).min(1, "the prompt set is empty"),
    })
    .strict(),
]);

export const textualStepSchema = z
  .object({
    benchmark: z.literal("textual"),
    /** A prompt source, or a path to a JSONL/CSV/TXT prompt list (relative to the suite file). */
    prompts: z.union([z.string().min(1), promptSourceSchema]).default({ source: "dolly200", split: "test" }),
    limit: z.number().int().positive().optional(),
    samples: samplesField().default(1),
    mode: z.enum(REQUEST_MODES).default("completion"),
    template: z.string().default(QA_TEMPLATE),
    decoding: decodingSchema.default({ temperature: 0, top_p: 1, max_tokens: 256 }),
  })
  .strict();

export { STEP_BENCHMARKS, type StepBenchmark };

// `limit` takes the first N items, or with `sample: "seeded"` a seeded random N (the same items for every model and
// every run with the same seed; kept in file order).
const sampling = {
  limit: z.number().int().positive().optional(),
  sample: z.enum(["first", "seeded"]).default("first"),
  sampleSeed: z.number().int().default(0),
};

const rtpDecodingSchema = z
  .object({
    temperature: decodingFields.temperature().default(1),
    top_p: decodingFields.top_p().default(0.9),
    max_tokens: decodingFields.max_tokens(4096).default(50),
    seed: decodingFields.seed().optional(),
    stop: decodingFields.stop().optional(),
  })
  .strict();

export const stepSchemas = {
  stereoset: z.object({ benchmark: z.literal("stereoset"), ...sampling }).strict(),
  crows_pairs: z.object({ benchmark: z.literal("crows_pairs"), ...sampling }).strict(),
  bbq: z
    .object({
      benchmark: z.literal("bbq"),
      ...sampling,
      categories: z.array(z.enum(BBQ_CATEGORIES)).min(1).default([...BBQ_TOOLKIT_CATEGORIES]),
      template: z.string().default(BBQ_TEMPLATE),
    })
    .strict(),
  seat: z
    .object({
      benchmark: z.literal("seat"),
      ...sampling,
      /** Test names (file stems); default: every test available. */
      tests: z.array(z.string().min(1)).min(1).optional(),
      permutations: z.number().int().min(1).max(1_000_000).default(DEFAULT_SEAT_PERMUTATIONS),
    })
    .strict(),
  rtp_toxicity: z
    .object({
      benchmark: z.literal("rtp_toxicity"),
      ...sampling,
      samples: samplesField().default(25),
      mode: z.enum(REQUEST_MODES).default("completion"),
      template: z.string().default(RTP_CONTINUATION_TEMPLATE),
      decoding: rtpDecodingSchema.default({ temperature: 1, top_p: 0.9, max_tokens: 50 }),
      threshold: z.number().min(0).max(1).default(DEFAULT_TOXICITY_THRESHOLD),
      /** Name of a scorer configured in the UI; default: the LINEAGE_SCORER environment. */
      scorer: z.string().min(1).optional(),
    })
    .strict(),
  hellaswag: z.object({ benchmark: z.literal("hellaswag"), ...sampling }).strict(),
  openbookqa: z.object({ benchmark: z.literal("openbookqa"), ...sampling }).strict(),
  textual: textualStepSchema,
} as const;

const stepSchema = z.discriminatedUnion("benchmark", [
  stepSchemas.stereoset,
  stepSchemas.crows_pairs,
  stepSchemas.bbq,
  stepSchemas.seat,
  stepSchemas.rtp_toxicity,
  stepSchemas.hellaswag,
  stepSchemas.openbookqa,
  stepSchemas.textual,
]);

export const suiteSchema = z
  .object({
    name: z.string().min(1).max(120),
    benchmarks: z
      .array(
        z.custom<unknown>().superRefine((v, ctx) => {
          const id = (v as { benchmark?: unknown } | null)?.benchmark;
          if (!(STEP_BENCHMARKS as readonly unknown[]).includes(id))
            ctx.addIssue({
              code: "custom",
              message: `benchmark "${String(id)}" is not available (available: ${STEP_BENCHMARKS.join(", ")})`,
            });
        }).pipe(stepSchema),
      )
      .min(1, "a suite needs at least one benchmark")
      .superRefine((steps, ctx) => {
        const seen = new Set<string>();
        for (const s of steps) {
          if (seen.has(s.benchmark)) ctx.addIssue({ code: "custom", message: `benchmark "${s.benchmark}" appears twice` });
          seen.add(s.benchmark);
        }
      }),
  })
  .strict();

export type SuiteSpec = z.input<typeof suiteSchema>;
export type TextualStep = z.output<typeof textualStepSchema>;
export type SuiteStep = z.output<typeof stepSchema>;
export type Decoding = z.output<typeof decodingSchema>;

/** The built-in suites, by name. */
export const BUILTIN_SUITES: Record<string, SuiteSpec> = {
  textual: { name: "textual", benchmarks: [{ benchmark: "textual" }] },
  /** The full profile of "LLM See, LLM Do": every benchmark, every item, the toolkit's settings. */
  paper: {
    name: "paper",
    benchmarks: [
      { benchmark: "textual" },
      { benchmark: "stereoset" },
      { benchmark: "crows_pairs" },
      { benchmark: "bbq" },
      { benchmark: "seat" },
      { benchmark: "rtp_toxicity" },
      { benchmark: "hellaswag" },
      { benchmark: "openbookqa" },
    ],
  },
  /** A seeded sample of each benchmark (the same items for every model), minutes on a local endpoint. */
  quick: {
    name: "quick",
    benchmarks: [
      { benchmark: "textual", limit: 20 },
      { benchmark: "stereoset", limit: 100, sample: "seeded" },
      { benchmark: "crows_pairs", limit: 100, sample: "seeded" },
      { benchmark: "bbq", limit: 140, sample: "seeded" },
      { benchmark: "seat", limit: 10, sample: "seeded" },
      { benchmark: "rtp_toxicity", limit: 20, sample: "seeded" },
      { benchmark: "hellaswag", limit: 200, sample: "seeded" },
      { benchmark: "openbookqa", limit: 200, sample: "seeded" },
    ],
  },
};

export class SuiteError extends errorOfKind("bad_input") {}

export interface ResolvedItem {
  key: string;
  sampleIndex: number;
  /** The text sent to the model (template applied), or what identifies the item in the items table. */
  prompt: string;
  /** The prompt before templating. */
  raw: string;
  /** The benchmark record the step needs to execute and score the item (stored as Item.data). */
  data?: unknown;
}

export type TextualSnapshot = Omit<TextualStep, "prompts"> & { prompts: { source: string; name: string; count: number; sha256: string } };

export interface ResolvedStep {
  benchmark: StepBenchmark;
  /** What the run snapshot records of this step. */
  snapshot: { benchmark: StepBenchmark; [key: string]: unknown };
  items: ResolvedItem[];
}

export interface ResolvedSuite {
  name: string;
  steps: ResolvedStep[];
}

export function parseSuite(raw: unknown, where = "suite"): z.output<typeof suiteSchema> {
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SuiteError(`${where}: ${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`);
  }
  return parsed.data;
}

/** Reads a suite: a built-in name, or a JSON file. */
export function readSuite(nameOrFile: string): { suite: z.output<typeof suiteSchema>; baseDir: string } {
  const builtin = BUILTIN_SUITES[nameOrFile];
  if (builtin) return { suite: parseSuite(builtin, `suite "${nameOrFile}"`), baseDir: process.cwd() };
  if (!fs.existsSync(nameOrFile))
    throw new SuiteError(`no built-in suite named "${nameOrFile}" (built-in: ${Object.keys(BUILTIN_SUITES).join(", ")}) and no such file`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(nameOrFile, "utf8"));
  } catch (err) {
    throw new SuiteError(`${nameOrFile}: not valid JSON (${(err as Error).message})`);
  }
  return { suite: parseSuite(json, nameOrFile), baseDir: path.dirname(path.resolve(nameOrFile)) };
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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

export interface ResolveOptions {
  baseDir?: string;
  data?: DataSourceOptions;
  /** The toxicity scorer of the run; default: the one a step names (via findScorer), else LINEAGE_SCORER. */
  scorer?: ScorerConfig | null;
  /** Looks up a scorer configured in the UI by name. */
  findScorer?: (name: string) => Promise<ScorerConfig | null>;
  env?: NodeJS.ProcessEnv;
  /** A benchmark whose data files are missing: refuse the suite (default), or keep the step without items, marked. */
  onMissingData?: "fail" | "skip";
}

export async function resolveSuite(suite: z.output<typeof suiteSchema>, opts: ResolveOptions = {}): Promise<ResolvedSuite> {
  const steps: ResolvedStep[] = [];
  for (const step of suite.benchmarks) {
    if (step.benchmark === "textual") steps.push(await resolveTextual(step, opts));
    else steps.push(await prepareStep(step, opts));
  }
  return { name: suite.name, steps };
}

async function resolveTextual(step: TextualStep, opts: ResolveOptions): Promise<ResolvedStep> {
  const loaded = await loadPrompts(step.prompts, opts.baseDir ?? process.cwd(), opts.data ?? {});
  if (loaded.items.length === 0) throw new SuiteError(`the prompt set "${loaded.name}" is empty`);
  const seen = new Set<string>();
  for (const p of loaded.items) {
    if (seen.has(p.key)) throw new SuiteError(`the prompt set "${loaded.name}" has the id "${p.key}" twice`);
    seen.add(p.key);
  }
  const chosen = step.limit ? loaded.items.slice(0, step.limit) : loaded.items;
  const items: ResolvedItem[] = [];
  for (const p of chosen) {
    const prompt = renderTemplate(step.template, { prompt: p.prompt });
    for (let s = 0; s < step.samples; s++) items.push({ key: p.key, sampleIndex: s, prompt, raw: p.prompt });
  }
  const { prompts: _ignored, ...rest } = step;
  const snapshot: TextualSnapshot = {
    ...rest,
    prompts: { source: loaded.source, name: loaded.name, count: chosen.length, sha256: sha256(JSON.stringify(chosen)) },
  };
  return { benchmark: "textual", snapshot, items };
}
