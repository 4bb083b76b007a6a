// What a dataset is built from, validated before anything is stored or requested: the form, the command line and
// the tests all go through `validateDatasetSpec`, so an unknown metric, a neutral target without confirmation, k < 1,
// an empty prompt set or a teacher that cannot serve the requests is refused with a field-level message.
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import type { Model } from "@/lib/generated/prisma/client";
import { CATEGORY_LABELS, getMetric, metricsByCategory, type MetricDefinition } from "@/lib/metrics/catalogue";
import { TEXT_METRIC_IDS } from "@/lib/metrics/text";
import { templatePlaceholders } from "@/lib/benchmarks/templates";
import { decodingFields } from "@/lib/llm/decoding";
import { scorerConfigSchema, type ScorerConfig } from "@/lib/scorers/types";
import { resolveDatasetScorer, TOXICITY_TARGETS } from "./toxicity";
import { metricDefinitionOf, type AttributeVersionSnapshot } from "@/lib/attributes/spec";
import { checkAttributeTarget, isAttributeTarget } from "./attribute-target";
import { isSelectDirection, SELECT_DIRECTIONS, type SelectDirection } from "./dataset-form";

export { isSelectDirection, SELECT_DIRECTIONS, type SelectDirection };

/** Placeholders a dataset template may use: the prompt (instruction and input joined), or its two parts. */
export const TEMPLATE_VARIABLES = ["prompt", "instruction", "input"] as const;

/** Targets computed from the candidate text (lib/metrics/text.ts) or the endpoint's usage. */
const LOCAL_TARGETS = new Set<string>([...TEXT_METRIC_IDS, "length_tokens"]);

export interface DatasetPromptInput {
  /** The instruction (Alpaca `instruction`, Dolly `inputs`, a prompt-list line). */
  prompt: string;
  /** Alpaca's optional `input`; "" when there is none. */
  input: string;
}

/** Instruction and Alpaca input as one user turn (what exports carry as the prompt and a judge reads as {prompt}). */
export function joinInstruction(p: { prompt: string; input: string }): string {
  return p.input ? `${p.prompt}\n\n${p.input}` : p.prompt;
}

/** What a dataset records of its prompt set (Dataset.promptSet). */
export const promptSetSchema = z.object({
  source: z.enum(["dolly200", "alpaca", "upload", "file"]),
  name: z.string(),
  count: z.number().int(),
  split: z.string().optional(),
  limit: z.number().int().optional(),
  sha256: z.string().optional(),
});
export type PromptSetDescription = z.output<typeof promptSetSchema>;

export const filtersSchema = z
  .object({
    dropEmpty: z.boolean().default(true),
    dropTruncated: z.boolean().default(false),
    minWords: z.number().int().min(0).default(0),
  })
  .strict();
export type SelectionFilters = z.output<typeof filtersSchema>;

export const decodingSchema = z
  .object({ temperature: decodingFields.temperature(), top_p: decodingFields.top_p(), max_tokens: decodingFields.max_tokens() })
  .strict();
/** What a dataset stores as its decoding (Dataset.decoding): the spec's, the seed, and the toxicity scorer configured at creation. */
export const storedDecodingSchema = decodingSchema.extend({ seed: z.number().int(), scorer: scorerConfigSchema.optional() }).strip();
export type DatasetDecoding = z.output<typeof storedDecodingSchema>;

/** A dataset's stored filters, defaults filled in. */
export function readFilters(json: unknown): SelectionFilters {
  return filtersSchema.strip().parse(json ?? {});
}

/** A dataset's stored prompt set, decoding and filters, read back through the schemas they were written with. */
export function readDatasetSettings(row: { promptSet: unknown; decoding: unknown; filters: unknown }): {
  promptSet: PromptSetDescription;
  decoding: DatasetDecoding;
  filters: SelectionFilters;
} {
  return { promptSet: promptSetSchema.parse(row.promptSet), decoding: storedDecodingSchema.parse(row.decoding), filters: readFilters(row.filters) };
}

export const datasetSpecSchema = z.object({
  name: z.string().trim().max(120, "At most 120 characters.").default(""),
  teacherIds: z.array(z.string().min(1)).min(1, "Choose at least one teacher."),
  k: z.number({ message: "Enter a whole number." }).int("k is a whole number.").min(1, "k is at least 1.").max(64, "k is at most 64."),
  mode: z.enum(["chat", "completion"], { message: "Choose chat or completion." }),
  template: z.string().min(1, "The template needs {prompt}."),
  decoding: decodingSchema,
  seed: z
    .number({ message: "Enter a whole number." })
    .int("A whole number.")
    .min(0, "At least 0.")
    .max(2 ** 31 - 1, "Too large."),
  rule: z.enum(["best", "random"], { message: "Choose best-of-k or random." }),
  /** A catalogue metric id, or a custom attribute: `attr_<name>`, its name, or `name@version`. */
  target: z.string().min(1, "Choose a target metric."),
  direction: z.enum(SELECT_DIRECTIONS).nullable(),
  /** What "closest" aims at; for an attribute whose direction is a target value, that value when left empty. */
  targetValue: z.number({ message: "Enter a number." }).finite("Enter a number.").nullable().default(null),
  /** Build k > 1 candidates at temperature 0 anyway (they are copies on a real server). */
  confirmGreedy: z.boolean().default(false),
  filters: filtersSchema,
});
export type DatasetSpecInput = z.input<typeof datasetSpecSchema>;
export type DatasetSpec = z.output<typeof datasetSpecSchema>;

export type FieldErrors = Record<string, string>;

/** Why greedy best-of-k is refused unless confirmed: seeds do nothing at temperature 0 on vLLM, llama.cpp or TGI. */
export const GREEDY_K_WARNING =
  "At temperature 0 a real server returns the same text for all k candidates (seeds change nothing when decoding is greedy), so best-of-k would choose among copies. Raise the temperature, set k to 1, or confirm to build it anyway.";

export interface TargetCheck {
  ok: boolean;
  /** Field-level error when not ok. */
  field?: "target" | "direction";
  message?: string;
  metric?: MetricDefinition;
}

/** Per-sample metrics a dataset can target: textual ones always, toxicity ones only with a scorer. */
export function targetableMetricIds(opts: { scorer?: boolean } = {}): string[] {
  return [...LOCAL_TARGETS, ...(opts.scorer ? Object.keys(TOXICITY_TARGETS) : [])];
}

export function isLocalTarget(id: string): boolean {
  return LOCAL_TARGETS.has(id);
}

export interface TargetOption {
  id: string;
  label: string;
  group: string;
  neutral: boolean;
  /** Why it cannot be chosen (e.g. no toxicity scorer), or null. */
  disabled: string | null;
  /** The value "closest" aims at by default (an attribute whose direction is a target value). */
  targetValue?: number | null;
  /** The direction a form starts on (an attribute's better direction); none for a neutral target. */
  defaultDirection?: SelectDirection;
}

/** The targets a form offers: every textual per-sample metric, and toxicity (disabled without a scorer). */
export function targetOptions(opts: { scorer: boolean }): TargetOption[] {
  const byCat = metricsByCategory();
  const out: TargetOption[] = byCat.textual
    .filter((m) => m.perSample && LOCAL_TARGETS.has(m.id))
    .map((m) => ({ id: m.id, label: m.label, group: CATEGORY_LABELS.textual, neutral: m.better === "neutral", disabled: null }));
  for (const m of byCat.toxicity)
    if (m.id in TOXICITY_TARGETS)
      out.push({ id: m.id, label: m.label, group: CATEGORY_LABELS.toxicity, neutral: false, disabled: opts.scorer ? null : "needs a toxicity scorer" });
  return out;
}

/**
 * The target rules: a catalogue id; per-sample; computable here (textual) or with a scorer (toxicity); a direction
 * for best-of-k. An explicit direction is the confirmation, also on a neutral metric (length, readability).
 */
export function checkTarget(
  target: string,
  rule: "best" | "random",
  direction: SelectDirection | null,
  opts: { scorer?: boolean; scorerError?: string | null } = {},
): TargetCheck {
  const metric = getMetric(target);
  if (!metric)
    return { ok: false, field: "target", message: `Unknown metric "${target}". Use a per-sample metric id of the catalogue, e.g. mtld or length_words.` };
  if (!metric.perSample)
    return {
      ok: false,
      field: "target",
      message: `${metric.label} is a benchmark-level metric: a target must be computed per candidate (e.g. mtld, length_words).`,
    };
  if (metric.category === "toxicity" && !(target in TOXICITY_TARGETS))
    return { ok: false, field: "target", message: `${metric.label} is a share over prompts: target a per-candidate score such as expected_max_toxicity.` };
  if (metric.category === "toxicity" && !opts.scorer)
    return {
      ok: false,
      field: "target",
      message: opts.scorerError
        ? `${metric.label} needs a toxicity scorer, and the configured one cannot be used: ${opts.scorerError}`
        : `${metric.label} needs a toxicity scorer to score every candidate, and none is configured: set LINEAGE_SCORER (perspective, moderation or http) or add a scorer, or choose a textual target.`,
    };
  if (metric.category !== "toxicity" && !LOCAL_TARGETS.has(target))
    return { ok: false, field: "target", message: `${metric.label} cannot be computed per candidate here.` };
  if (rule === "best" && !direction)
    return {
      ok: false,
      field: "direction",
      message:
        metric.better === "neutral"
          ? `${metric.label} has no better direction (it is steered either way): choose maximise, minimise or closest to a value.`
          : "Choose maximise, minimise or closest to a value.",
    };
  return { ok: true, metric };
}

/** "closest" needs the value it aims at. */
export function checkTargetValue(direction: SelectDirection | null, targetValue: number | null): string | null {
  return direction === "closest" && (targetValue === null || !Number.isFinite(targetValue)) ? "Give the value to be closest to." : null;
}

export function checkTemplate(template: string): string | null {
  const names = templatePlaceholders(template);
  const unknown = names.filter((n) => !(TEMPLATE_VARIABLES as readonly string[]).includes(n));
  if (unknown.length) return `Unknown placeholder {${unknown[0]}}: use {prompt} (or {instruction} and {input}).`;
  if (names.length === 0) return "The template needs {prompt}.";
  return null;
}

/** A teacher can serve the dataset: it has an endpoint and the capability the request mode needs. */
export function teacherProblem(m: Model, mode: "chat" | "completion"): string | null {
  if (!m.baseUrl || !m.servedModelId) return `Teacher "${m.name}" has no endpoint yet: add its base URL and served model id.`;
  if (mode === "chat" && !m.capChat)
    return `Teacher "${m.name}" does not declare chat completions: choose the completion template or enable chat on the model.`;
  const probe = m.probe as { completions?: { supported?: boolean }; chat?: { supported?: boolean } } | null;
  if (mode === "chat" && probe?.chat?.supported === false)
    return `Teacher "${m.name}" refused chat completions when it was probed: use the completion template.`;
  if (mode === "completion" && probe?.completions?.supported === false)
    return `Teacher "${m.name}" refused completions when it was probed: use the chat template.`;
  return null;
}

export interface ValidatedSpec {
  spec: DatasetSpec;
  teachers: Model[];
  metric: MetricDefinition;
  /** The custom attribute version targeted (spec.target is then its metric id), or null for a built-in metric. */
  attribute: AttributeVersionSnapshot | null;
  /** The toxicity scorer configured at creation (snapshotted on the dataset), or null. */
  scorer: ScorerConfig | null;
}

/** Validates everything that can be checked without a request. Teachers are looked up by id or exact name. */
export async function validateDatasetSpec(
  db: Database,
  raw: unknown,
  prompts: DatasetPromptInput[] | null,
): Promise<{ ok: true; value: ValidatedSpec } | { ok: false; fieldErrors: FieldErrors }> {
  const errors: FieldErrors = {};
  const parsed = datasetSpecSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const key = i.path[0] === "decoding" || i.path[0] === "filters" ? String(i.path[1]) : String(i.path[0]);
      errors[key] ??= i.message;
    }
    return { ok: false, fieldErrors: errors };
  }
  const spec = parsed.data;
  const scorer = await resolveDatasetScorer(db);
  let metric: MetricDefinition | undefined;
  let attribute: AttributeVersionSnapshot | null = null;
  if (isAttributeTarget(spec.target)) {
    const a = await checkAttributeTarget(db, spec.target, spec.rule, spec.direction);
    if (!a.ok) errors[a.field] = a.message;
    else {
      attribute = a.attribute;
      metric = metricDefinitionOf(a.attribute);
      spec.target = a.attribute.metric;
      spec.targetValue ??= a.defaultTargetValue;
    }
  } else {
    const t = checkTarget(spec.target, spec.rule, spec.direction, { scorer: !!scorer.config, scorerError: scorer.error });
    if (!t.ok) errors[t.field!] = t.message!;
    metric = t.metric;
  }
  if (spec.rule !== "best" || spec.direction !== "closest") spec.targetValue = null;
  const tv = spec.rule === "best" ? checkTargetValue(spec.direction, spec.targetValue) : null;
  if (tv && !errors.target) errors.targetValue = tv;
  const tpl = checkTemplate(spec.template);
  if (tpl) errors.template = tpl;
  if (spec.k > 1 && spec.decoding.temperature === 0 && !spec.confirmGreedy) errors.confirmGreedy = GREEDY_K_WARNING;
  if (prompts !== null && prompts.length === 0) errors.prompts = "The prompt set is empty.";
  const ids = [...new Set(spec.teacherIds)];
  const teachers: Model[] = [];
  for (const ref of ids) {
    const m = (await db.prisma.model.findUnique({ where: { id: ref } })) ?? (await db.prisma.model.findUnique({ where: { name: ref } }));
    if (!m) {
      errors.teacherIds ??= `No model named or with id "${ref}".`;
      continue;
    }
    const problem = teacherProblem(m, spec.mode);
    if (problem) errors.teacherIds ??= problem;
    teachers.push(m);
  }
  if (new Set(teachers.map((m) => m.id)).size !== teachers.length) errors.teacherIds ??= "A teacher is chosen twice.";
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { spec, teachers, metric: metric!, attribute, scorer: scorer.config } };
}

/** Every model as a possible teacher, by name: why it can serve neither chat nor completion requests, or null. */
export async function teacherChoices(db: Database): Promise<{ id: string; name: string; servedModelId: string | null; problem: string | null }[]> {
  const models = await db.prisma.model.findMany({ orderBy: { name: "asc" } });
  return models.map((m) => ({ id: m.id, name: m.name, servedModelId: m.servedModelId, problem: teacherProblem(m, "chat") && teacherProblem(m, "completion") }));
}
