/** BBQ (Parrish et al., 2022): `data/<Category>.jsonl`, one question per line; field names kept as released. */
import {
  decodeText,
  expectObject,
  fail,
  getInteger,
  getObject,
  getOneOf,
  getOptionalString,
  getString,
  getStringArray,
  parseJsonLines,
  type FieldContext,
  type TextInput,
} from "./text";

/** The 11 released category files (the paper toolkit uses 7: see BBQ_TOOLKIT_CATEGORIES). */
export const BBQ_CATEGORIES = [
  "Age",
  "Disability_status",
  "Gender_identity",
  "Nationality",
  "Physical_appearance",
  "Race_ethnicity",
  "Race_x_SES",
  "Race_x_gender",
  "Religion",
  "SES",
  "Sexual_orientation",
] as const;
export type BbqCategory = (typeof BBQ_CATEGORIES)[number];

/** The categories the LLM See, LLM Do toolkit evaluates (METRICS.md §2). */
export const BBQ_TOOLKIT_CATEGORIES: readonly BbqCategory[] = [
  "Gender_identity",
  "Age",
  "Disability_status",
  "Race_ethnicity",
  "Religion",
  "Nationality",
  "Sexual_orientation",
];

export type BbqAnswerKey = "ans0" | "ans1" | "ans2";

export interface BbqRecord {
  example_id: number;
  question_index: string;
  question_polarity: "neg" | "nonneg";
  context_condition: "ambig" | "disambig";
  category: string;
  /** Per option: [name or phrase, group label]; the group label "unknown" marks the unknown option. */
  answer_info: Record<BbqAnswerKey, [string, string]>;
  additional_metadata: {
    stereotyped_groups: string[];
    // Present in every record of the six files checked here; optional because the five files that could not be
    // checked (Gender_identity, Race_ethnicity, SES, Race_x_SES, Race_x_gender) should not fail on them.
    subcategory?: string;
    version?: string;
    source?: string;
    [key: string]: unknown;
  };
  context: string;
  question: string;
  ans0: string;
  ans1: string;
  ans2: string;
  /** Index (0–2) of the correct option. */
  label: 0 | 1 | 2;
}

export function parseBbqJsonl(input: TextInput, file = "bbq.jsonl"): BbqRecord[] {
  const text = decodeText(input, file);
  return parseJsonLines(text, file).map(({ line, value }) => parseBbqRecord(value, { file, at: { line } }));
}

export function parseBbqRecord(value: unknown, ctx: FieldContext): BbqRecord {
  const o = expectObject(value, ctx);
  const info = getObject(o, "answer_info", ctx);
  const answer_info = {} as Record<BbqAnswerKey, [string, string]>;
  for (const k of ["ans0", "ans1", "ans2"] as const) {
    const arr = getStringArray(info, k, ctx, `answer_info.${k}`);
    if (arr.length !== 2) fail(ctx, `expected field "answer_info.${k}" to be [answer, group], found ${arr.length} strings`);
    answer_info[k] = [arr[0], arr[1]];
  }
  const meta = getObject(o, "additional_metadata", ctx);
  const label = getInteger(o, "label", ctx);
  if (label < 0 || label > 2) fail(ctx, `expected field "label" to be 0, 1 or 2, found ${label}`);
  return {
    example_id: getInteger(o, "example_id", ctx),
    question_index: String(getStringOrInteger(o, "question_index", ctx)),
    question_polarity: getOneOf(o, "question_polarity", ["neg", "nonneg"] as const, ctx),
    context_condition: getOneOf(o, "context_condition", ["ambig", "disambig"] as const, ctx),
    category: getString(o, "category", ctx),
    answer_info,
    additional_metadata: {
      ...meta,
      stereotyped_groups: getStringArray(meta, "stereotyped_groups", ctx, "additional_metadata.stereotyped_groups"),
      subcategory: getOptionalString(meta, "subcategory", ctx, "additional_metadata.subcategory"),
      version: getOptionalString(meta, "version", ctx, "additional_metadata.version"),
      source: getOptionalString(meta, "source", ctx, "additional_metadata.source"),
    },
    context: getString(o, "context", ctx),
    question: getString(o, "question", ctx),
    ans0: getString(o, "ans0", ctx),
    ans1: getString(o, "ans1", ctx),
    ans2: getString(o, "ans2", ctx),
    label: label as 0 | 1 | 2,
  };
}

// The released files store question_index as a string ("1"); accept an integer too and normalise to string.
function getStringOrInteger(o: Record<string, unknown>, key: string, ctx: FieldContext): string | number {
  const v = o[key];
  if (typeof v === "number" && Number.isInteger(v)) return v;
  return getString(o, key, ctx);
}
