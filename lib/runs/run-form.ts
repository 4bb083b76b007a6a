// The new-run form: its fields as one schema (parsed by createRunAction through formAction) and the choices the form
// offers, taken from that schema's enums with a label for each, so the form cannot offer what the action refuses.
// The bounds are the suite's own (lib/llm/decoding.ts, lib/runs/step-fields.ts). Pure: the form component imports it.
import { z } from "zod";
import { QA_TEMPLATE } from "@/lib/benchmarks/templates";
import { formList, formNumber, formText } from "@/lib/forms";
import { decodingFields } from "@/lib/llm/decoding";
import { REQUEST_MODE_LABELS, REQUEST_MODES, samplesField, STEP_BENCHMARK_LABELS, STEP_BENCHMARKS, type StepBenchmark } from "./step-fields";

/** [value, label] pairs of an enum, in the enum's order. */
export function choices<V extends string>(values: readonly V[], labels: Record<V, string>): [V, string][] {
  return values.map((v) => [v, labels[v]]);
}

const positiveWhole = () => z.number().int("A whole number.").min(1, "At least 1.");
const templateWithPrompt = z
  .string()
  .min(1, "The template needs {prompt}.")
  .refine((t) => t.includes("{prompt}"), "The template needs {prompt}.");

export const newRunSchema = z.object({
  suite: z.enum(["textual", "quick", "paper", "custom"], { message: "Choose a suite." }).default("textual"),
  benchmarks: formList(z.enum(STEP_BENCHMARKS)),
  benchLimit: formNumber().pipe(positiveWhole().optional()),
  scorerName: formText(120),
  modelId: z.string({ message: "Choose a model." }).min(1, "Choose a model."),
  name: formText(120),
  // Absent when the textual fields are hidden (quick, paper, custom without textual): the suite's defaults apply.
  promptSource: z.enum(["dolly200-test", "dolly200-val", "upload"], { message: "Choose a prompt set." }).default("dolly200-test"),
  limit: formNumber().pipe(positiveWhole().optional()),
  samples: formNumber(1).pipe(samplesField()),
  mode: z.enum(REQUEST_MODES).default("completion"),
  template: z.string().default(QA_TEMPLATE).pipe(templateWithPrompt),
  temperature: formNumber(0).pipe(decodingFields.temperature()),
  top_p: formNumber(1).pipe(decodingFields.top_p()),
  max_tokens: formNumber(256).pipe(decodingFields.max_tokens()),
  seed: formNumber().pipe(decodingFields.seed().optional()),
  /** Custom attributes (names) the textual step measures too. */
  attributes: formList(z.string().min(1).max(120)),
});
export type NewRunInput = z.output<typeof newRunSchema>;
type Field<K extends keyof typeof newRunSchema.shape> = z.output<(typeof newRunSchema.shape)[K]>;

export const SUITE_CHOICES = choices(newRunSchema.shape.suite.unwrap().options, {
  textual: "Textual characteristics only",
  quick: "Quick paper profile (a seeded sample of every benchmark, minutes)",
  paper: "Paper profile (every benchmark, every item)",
  custom: "Choose benchmarks",
} satisfies Record<Field<"suite">, string>);

/** The textual step first, as the first thing a profile measures. */
export const BENCHMARK_CHOICES = choices<StepBenchmark>(
  [...STEP_BENCHMARKS].sort((a, b) => Number(b === "textual") - Number(a === "textual")),
  STEP_BENCHMARK_LABELS,
);

export const PROMPT_SOURCE_CHOICES = choices(newRunSchema.shape.promptSource.unwrap().options, {
  "dolly200-test": "Dolly-200 test (the paper's, 100 prompts)",
  "dolly200-val": "Dolly-200 val (100 prompts)",
  upload: "Upload a prompt set",
} satisfies Record<Field<"promptSource">, string>);

export const MODE_CHOICES = choices(REQUEST_MODES, REQUEST_MODE_LABELS);
