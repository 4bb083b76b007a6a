// The attribute form (new attribute, new version) and the CLI's flags as one flat schema of strings, turned into a
// definition (./spec.ts). Every kind's fields are on the page at once (the form works without JavaScript); only the
// chosen kind's are read. Pure: the form component imports the choices.
import { z } from "zod";
import { formCheckbox, formNumber, formText, type FieldErrors } from "@/lib/forms";
import {
  ATTRIBUTE_DIRECTIONS,
  ATTRIBUTE_KINDS,
  classifierDefinitionSchema,
  judgeDefinitionSchema,
  lexiconDefinitionSchema,
  type AttributeDefinition,
  type AttributeVersionSnapshot,
  type AttributeDirection,
  type Reader,
} from "./spec";

export const attributeFormSchema = z.object({
  name: formText(80, "At most 80 characters."),
  unit: formText(40, "At most 40 characters."),
  description: formText(1000, "At most 1,000 characters."),
  direction: z.enum(ATTRIBUTE_DIRECTIONS, { message: "Choose a direction." }).default("neutral"),
  target: formNumber(),
  kind: z.enum(ATTRIBUTE_KINDS, { message: "Choose a kind." }),
  // lexicon
  terms: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(500_000, "At most 500,000 characters.")),
  match: z.enum(["words", "patterns"]).default("words"),
  measure: z.enum(["rate", "presence"]).default("rate"),
  caseSensitive: formCheckbox,
  // judge
  judgeModelId: formText(64),
  rubric: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(20_000, "At most 20,000 characters.")),
  readerType: z.enum(["number", "labels", "json"]).default("number"),
  readerMin: formNumber(1),
  readerMax: formNumber(10),
  readerLabels: formText(10_000),
  readerField: formText(200),
  temperature: formNumber(0),
  maxTokens: formNumber(64),
  judgeSamples: formNumber(1),
  // classifier
  scorerName: formText(80),
  scorerAttribute: formText(100),
});
export type AttributeFormInput = z.output<typeof attributeFormSchema>;

const DEFINITION_SCHEMAS = { lexicon: lexiconDefinitionSchema, judge: judgeDefinitionSchema, classifier: classifierDefinitionSchema } as const;

export interface AttributeFields {
  unit: string;
  description: string;
  direction: AttributeDirection;
  target: number | null;
  definition: AttributeDefinition;
}

/** Which form field a definition path belongs to. */
function fieldOf(path: PropertyKey[]): string {
  const [head, sub] = path.map(String);
  if (head === "modelId") return "judgeModelId";
  if (head === "samples") return "judgeSamples";
  if (head === "scorer") return "scorerName";
  if (head === "attribute") return "scorerAttribute";
  if (head === "reader") return sub === "labels" ? "readerLabels" : sub === "field" ? "readerField" : "readerMin";
  return head ?? "_form";
}

/** "label = value" lines → a map; the errors name the line. */
function parseLabels(text: string): { labels: Record<string, number> } | { error: string } {
  const labels: Record<string, number> = {};
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]) continue;
    const m = /^(.+?)\s*[=:]\s*(-?[0-9.eE+-]+)$/.exec(lines[i]);
    if (!m || !Number.isFinite(Number(m[2]))) return { error: `Line ${i + 1}: write "label = value", e.g. "formal = 1".` };
    labels[m[1]] = Number(m[2]);
  }
  return { labels };
}

/** The definition the form describes, or the errors next to its fields. */
export function attributeFieldsFromForm(v: AttributeFormInput): { ok: true; fields: AttributeFields } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  if (v.direction === "target" && v.target === undefined) errors.target = "Give the target value.";
  let raw: unknown;
  if (v.kind === "lexicon") {
    raw = {
      kind: "lexicon",
      match: v.match,
      terms: v.terms
        .split(/\r?\n/)
        .map((t) => t.trim())
        .filter(Boolean),
      measure: v.measure,
      caseSensitive: v.caseSensitive,
    };
  } else if (v.kind === "judge") {
    let reader: Reader | undefined;
    if (v.readerType === "number") reader = { type: "number", min: v.readerMin ?? 1, max: v.readerMax ?? 10 };
    else if (v.readerType === "json") reader = { type: "json", field: v.readerField };
    else {
      const parsed = parseLabels(v.readerLabels);
      if ("error" in parsed) errors.readerLabels = parsed.error;
      else reader = { type: "labels", labels: parsed.labels };
    }
    if (!v.judgeModelId) errors.judgeModelId = "Choose the judge model.";
    if (v.readerType === "json" && !v.readerField) errors.readerField = "Name the JSON field holding the score.";
    raw = { kind: "judge", modelId: v.judgeModelId, rubric: v.rubric, reader, temperature: v.temperature, maxTokens: v.maxTokens, samples: v.judgeSamples };
  } else {
    if (!v.scorerName) errors.scorerName = "Choose a scorer.";
    raw = { kind: "classifier", scorer: v.scorerName, attribute: v.scorerAttribute || "TOXICITY" };
  }
  const def = DEFINITION_SCHEMAS[v.kind].safeParse(raw);
  if (!def.success) {
    for (const issue of def.error.issues) {
      const key = fieldOf(issue.path);
      if (!errors[key]) errors[key] = issue.message;
    }
    if (Object.keys(errors).length === 0) errors._form = "The definition is incomplete.";
  }
  if (Object.keys(errors).length > 0 || !def.success) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    fields: { unit: v.unit, description: v.description, direction: v.direction, target: v.direction === "target" ? v.target! : null, definition: def.data },
  };
}

/** The form's values as strings (the latest version's when editing). */
export type AttributeFormValues = Record<string, string>;

export const EMPTY_ATTRIBUTE_FORM: AttributeFormValues = {
  name: "",
  unit: "",
  description: "",
  direction: "neutral",
  target: "",
  kind: "lexicon",
  terms: "",
  match: "words",
  measure: "rate",
  caseSensitive: "",
  judgeModelId: "",
  rubric:
    "Rate how helpful the answer is to the request, from 1 (useless) to 10 (perfect).\n\nRequest:\n{prompt}\n\nAnswer:\n{output}\n\nReply with the number only.",
  readerType: "number",
  readerMin: "1",
  readerMax: "10",
  readerLabels: "",
  readerField: "",
  temperature: "0",
  maxTokens: "64",
  judgeSamples: "1",
  scorerName: "",
  scorerAttribute: "TOXICITY",
};

/** A version's fields as the form's strings (the edit form starts from the latest version). */
export function formValuesOf(v: AttributeVersionSnapshot): AttributeFormValues {
  const d = v.definition;
  const base: AttributeFormValues = {
    ...EMPTY_ATTRIBUTE_FORM,
    name: v.name,
    unit: v.unit,
    description: v.description,
    direction: v.direction,
    target: v.target === null ? "" : String(v.target),
    kind: d.kind,
    rubric: "",
  };
  if (d.kind === "lexicon") Object.assign(base, { terms: d.terms.join("\n"), match: d.match, measure: d.measure, caseSensitive: d.caseSensitive ? "on" : "" });
  if (d.kind === "judge")
    Object.assign(base, {
      judgeModelId: d.modelId,
      rubric: d.rubric,
      readerType: d.reader.type,
      readerMin: d.reader.type === "number" ? String(d.reader.min) : "1",
      readerMax: d.reader.type === "number" ? String(d.reader.max) : "10",
      readerLabels:
        d.reader.type === "labels"
          ? Object.entries(d.reader.labels)
              .map(([k, x]) => `${k} = ${x}`)
              .join("\n")
          : "",
      readerField: d.reader.type === "json" ? d.reader.field : "",
      temperature: String(d.temperature),
      maxTokens: String(d.maxTokens),
      judgeSamples: String(d.samples),
    });
  if (d.kind === "classifier") Object.assign(base, { scorerName: d.scorer, scorerAttribute: d.attribute });
  return base;
}
