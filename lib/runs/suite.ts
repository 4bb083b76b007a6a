// A suite says what a run measures: benchmarks, prompt set, sample counts, decoding and templates. It is resolved
// (defaults filled in, prompts read and rendered: lib/runs/steps/prepare.ts) and snapshotted on the run when the run
// is created, so a later change of defaults never changes what an old run meant. The snapshot of each step has its
// schema here too: the run's steps are written and read back through it (`stepSnapshot`, `readStepSnapshot`).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { BBQ_CATEGORIES, BBQ_TOOLKIT_CATEGORIES } from "@/lib/benchmarks/bbq";
import { BBQ_TEMPLATE, QA_TEMPLATE, RTP_CONTINUATION_TEMPLATE } from "@/lib/benchmarks/templates";
import { decodingFields } from "@/lib/llm/decoding";
import { DEFAULT_SEAT_PERMUTATIONS } from "@/lib/metrics/seat";
import { DEFAULT_TOXICITY_THRESHOLD } from "@/lib/metrics/toxicity";
import { REQUEST_MODES, samplesField, STEP_BENCHMARKS, type StepBenchmark } from "./step-fields";
import { scorerConfigSchema } from "@/lib/scorers/types";
import { errorOfKind } from "@/lib/errors";
import { attributeVersionSchema } from "@/lib/attributes/spec";

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
    /** Custom attributes measured on each output too (lib/attributes): "name" (latest version) or "name@N". */
    attributes: z.array(z.string().min(1).max(120)).max(20, "at most 20 attributes").default([]),
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
      categories: z
        .array(z.enum(BBQ_CATEGORIES))
        .min(1)
        .default([...BBQ_TOOLKIT_CATEGORIES]),
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
        z
          .custom<unknown>()
          .superRefine((v, ctx) => {
            const id = (v as { benchmark?: unknown } | null)?.benchmark;
            if (!(STEP_BENCHMARKS as readonly unknown[]).includes(id))
              ctx.addIssue({
                code: "custom",
                message: `benchmark "${String(id)}" is not available (available: ${STEP_BENCHMARKS.join(", ")})`,
              });
          })
          .pipe(stepSchema),
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

// Snapshots. A benchmark step records its resolved settings (the suite step with its defaults) and the data it was
// prepared from; the textual step records the prompt set instead of where it came from. Reading strips keys this
// version does not know, so that a run created by another version still resumes.

/** The benchmark data a step's items were taken from: its name, how many items it has, how many were taken, their hash. */
const datasetSnapshotSchema = z.object({ name: z.string(), total: z.number().int(), count: z.number().int(), sha256: z.string() });
const snapshotExtras = {
  dataset: datasetSnapshotSchema,
  /** What the step could not include (categories or tests missing from the data source). */
  note: z.string().optional(),
};

export const stepSnapshotSchemas = {
  stereoset: stepSchemas.stereoset.extend(snapshotExtras).strip(),
  crows_pairs: stepSchemas.crows_pairs.extend(snapshotExtras).strip(),
  bbq: stepSchemas.bbq.extend({ ...snapshotExtras, missingCategories: z.array(z.string()).optional() }).strip(),
  seat: stepSchemas.seat.extend({ ...snapshotExtras, missingTests: z.array(z.string()).optional() }).strip(),
  rtp_toxicity: stepSchemas.rtp_toxicity
    .extend({
      ...snapshotExtras,
      /** The scorer that produces the step's numbers; null when the run was created without one. */
      scorer: scorerConfigSchema.nullable().default(null),
      /** A scorer configured in the UI that the executor looks up by name when the step starts. */
      scorerName: z.string().optional(),
    })
    .strip(),
  hellaswag: stepSchemas.hellaswag.extend(snapshotExtras).strip(),
  openbookqa: stepSchemas.openbookqa.extend(snapshotExtras).strip(),
  textual: textualStepSchema
    .omit({ prompts: true, attributes: true })
    .extend({
      prompts: z.object({ source: z.string(), name: z.string(), count: z.number().int(), sha256: z.string() }),
      note: snapshotExtras.note,
      /** The attribute versions the run measures (their definitions as they were when the run was created). */
      attributes: z.array(attributeVersionSchema).default([]),
    })
    .strip(),
} as const satisfies Record<StepBenchmark, z.ZodType>;

/** The snapshot of a step of benchmark B, as stored on the run. */
export type StepSnapshotOf<B extends StepBenchmark> = z.output<(typeof stepSnapshotSchemas)[B]>;
/** The snapshot of any step. */
export type StepSnapshot = { [B in StepBenchmark]: StepSnapshotOf<B> }[StepBenchmark];
export type TextualSnapshot = StepSnapshotOf<"textual">;

/** A step whose data files were missing when the run was created: kept without items, with the reason. */
export interface UnavailableStep {
  benchmark: StepBenchmark;
  unavailable: string;
  [key: string]: unknown;
}

/** The snapshot a step of benchmark B is stored with, checked against its schema. */
export function stepSnapshot<B extends StepBenchmark>(benchmark: B, snapshot: z.input<(typeof stepSnapshotSchemas)[B]>): StepSnapshotOf<B> {
  return stepSnapshotSchemas[benchmark].parse(snapshot) as StepSnapshotOf<B>;
}

/** A step of a stored run, as the executor finds it. */
export type StoredStep =
  | { kind: "step"; step: StepSnapshot }
  | { kind: "unavailable"; benchmark: string; reason: string }
  /** A benchmark this version of Lineage does not know. */
  | { kind: "unknown"; benchmark: string }
  /** A snapshot its schema refuses. */
  | { kind: "invalid"; benchmark: string; message: string };

const storedSuiteSchema = z.object({ name: z.string().optional(), benchmarks: z.array(z.unknown()) });

/** The steps of a run's stored suite snapshot, each read through its schema. */
export function readSuiteSnapshot(suite: unknown): StoredStep[] {
  const parsed = storedSuiteSchema.safeParse(suite);
  if (!parsed.success) return [{ kind: "invalid", benchmark: "suite", message: `the run's suite snapshot is not a list of steps` }];
  return parsed.data.benchmarks.map(readStepSnapshot);
}

export function readStepSnapshot(raw: unknown): StoredStep {
  const head = z.object({ benchmark: z.string(), unavailable: z.string().optional() }).safeParse(raw);
  if (!head.success) return { kind: "invalid", benchmark: "?", message: "a step of the run's suite snapshot has no benchmark" };
  const { benchmark, unavailable } = head.data;
  if (unavailable !== undefined) return { kind: "unavailable", benchmark, reason: unavailable };
  if (!isStepBenchmark(benchmark)) return { kind: "unknown", benchmark };
  const step = stepSnapshotSchemas[benchmark].safeParse(raw);
  if (!step.success) {
    const issue = step.error.issues[0];
    return {
      kind: "invalid",
      benchmark,
      message: `the run's snapshot of ${benchmark} cannot be read: ${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`,
    };
  }
  return { kind: "step", step: step.data as StepSnapshot };
}

export function isStepBenchmark(id: unknown): id is StepBenchmark {
  return (STEP_BENCHMARKS as readonly unknown[]).includes(id);
}

export interface ResolvedStep {
  benchmark: StepBenchmark;
  /** What the run snapshot records of this step. */
  snapshot: StepSnapshot | UnavailableStep;
  items: ResolvedItem[];
}

export interface ResolvedSuite {
  name: string;
  steps: ResolvedStep[];
}

/** A suite as parsed: defaults filled in, every step checked. */
export type ParsedSuite = z.output<typeof suiteSchema>;

export function parseSuite(raw: unknown, where = "suite"): ParsedSuite {
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SuiteError(`${where}: ${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`);
  }
  return parsed.data;
}

/** Reads a suite: a built-in name, or a JSON file. */
export function readSuite(nameOrFile: string): { suite: ParsedSuite; baseDir: string } {
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
