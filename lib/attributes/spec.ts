// What a custom attribute is (docs/attributes.md): a name, a unit, a better direction and one of three kinds —
// judge (a registered model reads a rubric), classifier (a configured scorer's score) or lexicon (words or patterns,
// computed in-process by lib/metrics/lexicon.ts). A version's definition is stored as JSON and read back through
// these schemas. Pure: the form and the CLI share it.
import { z } from "zod";
import { CUSTOM_METRIC_PREFIX, type MetricDefinition } from "@/lib/metrics/catalogue";
import { compileLexicon } from "@/lib/metrics/lexicon";

export const ATTRIBUTE_KINDS = ["lexicon", "judge", "classifier"] as const;
export type AttributeKind = (typeof ATTRIBUTE_KINDS)[number];
export const ATTRIBUTE_DIRECTIONS = ["higher", "lower", "target", "neutral"] as const;
export type AttributeDirection = (typeof ATTRIBUTE_DIRECTIONS)[number];

export const KIND_LABELS: Record<AttributeKind, string> = {
  lexicon: "Lexicon / patterns (computed here)",
  judge: "LLM judge (a registered model reads a rubric)",
  classifier: "Classifier (a configured scorer)",
};
export const DIRECTION_LABELS: Record<AttributeDirection, string> = {
  higher: "higher is better",
  lower: "lower is better",
  target: "closest to a target value is best",
  neutral: "no better direction",
};

export const lexiconDefinitionSchema = z
  .object({
    kind: z.literal("lexicon"),
    match: z.enum(["words", "patterns"]),
    terms: z.array(z.string().min(1).max(500)).min(1, "List at least one word, phrase or pattern.").max(5000, "At most 5,000 terms."),
    measure: z.enum(["rate", "presence"]),
    caseSensitive: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    try {
      compileLexicon(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["terms"], message: `${(err as Error).message}.` });
    }
  });

/** How the judge's answer becomes a number. */
export const readerSchema = z.discriminatedUnion("type", [
  /** The first number in the answer, which must lie in [min, max]. */
  z.object({ type: z.literal("number"), min: z.number(), max: z.number() }).strict(),
  /** The first of the labels found in the answer (whole words, case-insensitive), mapped to its value. */
  z
    .object({ type: z.literal("labels"), labels: z.record(z.string().min(1), z.number()) })
    .strict()
    .refine((v) => Object.keys(v.labels).length > 0, "Give at least one label."),
  /** A field of the JSON object in the answer (a dotted path), a number or a numeric string. */
  z.object({ type: z.literal("json"), field: z.string().min(1).max(200) }).strict(),
]);
export type Reader = z.output<typeof readerSchema>;

export const judgeDefinitionSchema = z
  .object({
    kind: z.literal("judge"),
    /** The registered model (Model.id) that judges. */
    modelId: z.string().min(1),
    rubric: z
      .string()
      .min(1)
      .max(20_000)
      .refine((r) => r.includes("{output}"), "The rubric needs {output} (and usually {prompt})."),
    reader: readerSchema,
    temperature: z.number().min(0).max(2).default(0),
    maxTokens: z.number().int().min(1).max(4096).default(64),
    /** Judge samples per output, averaged (with temperature > 0 they differ). */
    samples: z.number().int().min(1).max(10).default(1),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.reader.type === "number" && !(v.reader.min < v.reader.max)) ctx.addIssue({ code: "custom", path: ["reader"], message: "The range needs min < max." });
  });

export const classifierDefinitionSchema = z
  .object({
    kind: z.literal("classifier"),
    /** A scorer configured on /scorers, by name. */
    scorer: z.string().min(1).max(80),
    /** The attribute of its answer (TOXICITY, a moderation category, a classifier label). */
    attribute: z.string().min(1).max(100).default("TOXICITY"),
  })
  .strict();

export const definitionSchema = z.union([lexiconDefinitionSchema, judgeDefinitionSchema, classifierDefinitionSchema]);
export type AttributeDefinition = z.output<typeof definitionSchema>;
export type LexiconDefinition = z.output<typeof lexiconDefinitionSchema>;
export type JudgeDefinition = z.output<typeof judgeDefinitionSchema>;
export type ClassifierDefinition = z.output<typeof classifierDefinitionSchema>;

/** One version of an attribute, as runs and datasets snapshot it. */
export const attributeVersionSchema = z.object({
  attributeId: z.string(),
  versionId: z.string(),
  version: z.number().int().min(1),
  name: z.string(),
  metric: z.string(),
  unit: z.string(),
  direction: z.enum(ATTRIBUTE_DIRECTIONS),
  target: z.number().nullable(),
  description: z.string(),
  definition: definitionSchema,
});
export type AttributeVersionSnapshot = z.output<typeof attributeVersionSchema>;

/** `attr_<slug>`: lower-case letters and digits joined by single underscores. */
export function metricIdOf(name: string): string | null {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 48)
    .replace(/_+$/, "");
  return slug ? `${CUSTOM_METRIC_PREFIX}${slug}` : null;
}

/** The catalogue entry of an attribute's version (lib/metrics/catalogue.ts). */
export function metricDefinitionOf(v: AttributeVersionSnapshot): MetricDefinition {
  return {
    id: v.metric,
    label: v.name,
    category: "attributes",
    unit: v.unit,
    better: v.direction === "target" ? `target:${v.target ?? 0}` : v.direction,
    perSample: true,
    reference: `custom attribute, version ${v.version} (${v.definition.kind})`,
    description: v.description || `${KIND_LABELS[v.definition.kind]}.`,
  };
}
