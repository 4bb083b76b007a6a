// The forms of a dataset: building one (createDatasetAction), re-selecting over its candidates and registering a
// student trained on a selection. Their schemas, and the choices the build form offers taken from the schema's enums.
// Bounds and the rules between fields are the dataset spec's (validateDatasetSpec in ./spec.ts), which the action
// applies after this parse. Pure: the form component imports it.
import { z } from "zod";
import { formCheckbox, formList, formNumber, formText, recordId } from "@/lib/forms";
import { choices } from "@/lib/runs/run-form";
import { REQUEST_MODE_LABELS, REQUEST_MODES } from "@/lib/runs/step-fields";

/** Best-of-k directions: the highest value, the lowest, or the one closest to a target value. */
export const SELECT_DIRECTIONS = ["max", "min", "closest"] as const;
export type SelectDirection = (typeof SELECT_DIRECTIONS)[number];
export function isSelectDirection(v: unknown): v is SelectDirection {
  return (SELECT_DIRECTIONS as readonly unknown[]).includes(v);
}

const direction = z.enum(SELECT_DIRECTIONS);

export const newDatasetSchema = z.object({
  name: formText(120, "At most 120 characters."),
  promptSource: z.enum(["upload", "dolly200-test", "dolly200-val", "alpaca"], { message: "Choose a prompt set." }),
  limit: formNumber().pipe(z.number().int("A whole number.").min(1, "At least 1.").optional()),
  teacherIds: formList(z.string()),
  k: formNumber(),
  mode: z.enum(REQUEST_MODES, { message: "Choose chat or completion." }),
  template: z.string().default(""),
  temperature: formNumber(1),
  top_p: formNumber(0.95),
  max_tokens: formNumber(256),
  seed: formNumber(0),
  rule: z.enum(["best", "random"], { message: "Choose best-of-k or random." }),
  target: z.string().default(""),
  direction: z.preprocess((v) => (isSelectDirection(v) ? v : null), direction.nullable()),
  /** What "closest" aims at; empty for an attribute's own target value. */
  targetValue: formNumber(),
  confirmGreedy: formCheckbox,
  dropEmpty: formCheckbox,
  dropTruncated: formCheckbox,
  minWords: formNumber(0),
});
type Field<K extends keyof typeof newDatasetSchema.shape> = z.output<(typeof newDatasetSchema.shape)[K]>;

export const DATASET_PROMPT_SOURCE_CHOICES = choices(newDatasetSchema.shape.promptSource.options, {
  upload: "Upload a prompt set",
  "dolly200-test": "Dolly-200 test (100)",
  "dolly200-val": "Dolly-200 val (100)",
  alpaca: "Alpaca (alpaca_5000.json)",
} satisfies Record<Field<"promptSource">, string>);

/** Chat first: instruction-tuned teachers are usually served for chat. */
export const DATASET_MODE_CHOICES = choices<Field<"mode">>(["chat", "completion"], REQUEST_MODE_LABELS);

export const DIRECTION_CHOICES = choices(SELECT_DIRECTIONS, {
  max: "Maximise",
  min: "Minimise",
  closest: "Closest to a value",
} satisfies Record<(typeof SELECT_DIRECTIONS)[number], string>);

export const RULE_CHOICES = choices(newDatasetSchema.shape.rule.options, {
  best: "Best of k (active inheritance)",
  random: "Random pick (passive baseline)",
} satisfies Record<Field<"rule">, string>);

export const reselectSchema = z.object({
  datasetId: recordId,
  rule: z.enum(["best", "random"]).default("best"),
  target: z.string().max(100).default(""),
  direction: z.preprocess((v) => (v === "" ? undefined : v), direction.optional()),
  targetValue: formNumber(),
});

/** The student, its base model and notes are read by createDerivation, which says what is wrong with them. */
export const registerStudentSchema = z.object({ datasetId: recordId, selectionId: recordId });
