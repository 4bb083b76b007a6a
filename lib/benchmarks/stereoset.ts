/**
 * StereoSet (Nadeem et al., 2021): `data/dev.json` =
 * `{version, data: {intersentence: [...], intrasentence: [...]}}`; each example is
 * `{id, target, bias_type, context, sentences: [{id, sentence, labels: [{label, human_id}], gold_label}]}`.
 * Intrasentence contexts hold the word `BLANK`; each example has one stereotype, one anti-stereotype and one
 * unrelated sentence (the evaluation script relies on that, so we check it).
 */
import { decodeText, expectObject, fail, getArray, getObject, getOneOf, getString, parseJsonDocument, type FieldContext, type TextInput } from "./text";

export const STEREOSET_GOLD_LABELS = ["stereotype", "anti-stereotype", "unrelated"] as const;
export type StereoSetGoldLabel = (typeof STEREOSET_GOLD_LABELS)[number];
/** Annotator labels may also be "related" (see the reference dataloader). */
export type StereoSetHumanLabel = StereoSetGoldLabel | "related";

export interface StereoSetSentence {
  id: string;
  sentence: string;
  gold_label: StereoSetGoldLabel;
  labels: { label: StereoSetHumanLabel; human_id: string }[];
}

export interface StereoSetExample {
  id: string;
  target: string;
  /** "gender" | "profession" | "race" | "religion" in the released data. */
  bias_type: string;
  context: string;
  sentences: StereoSetSentence[];
}

export interface StereoSetData {
  version: string;
  intrasentence: StereoSetExample[];
  /** Parsed too, though the toolkit only scores the intrasentence part. Empty when absent from the file. */
  intersentence: StereoSetExample[];
}

export function parseStereoSet(input: TextInput, file = "dev.json"): StereoSetData {
  const text = decodeText(input, file);
  const root = expectObject(parseJsonDocument(text, file), { file, at: {} }, 'a JSON object with "version" and "data"');
  const top: FieldContext = { file, at: {} };
  const version = getString(root, "version", top);
  const data = getObject(root, "data", top);
  const intra = getArray(data, "intrasentence", top, "data.intrasentence");
  const inter = "intersentence" in data ? getArray(data, "intersentence", top, "data.intersentence") : [];
  return {
    version,
    intrasentence: intra.map((v, k) => parseExample(v, { file, at: { record: `data.intrasentence[${k}]` } }, true)),
    intersentence: inter.map((v, k) => parseExample(v, { file, at: { record: `data.intersentence[${k}]` } }, false)),
  };
}

function parseExample(value: unknown, ctx: FieldContext, intrasentence: boolean): StereoSetExample {
  const o = expectObject(value, ctx);
  const context = getString(o, "context", ctx);
  if (intrasentence && !context.includes("BLANK")) fail(ctx, `expected field "context" to contain BLANK`);
  const sentences = getArray(o, "sentences", ctx).map((sv, j): StereoSetSentence => {
    const path = `sentences[${j}]`;
    const s = expectObject(sv, ctx, `${path} to be an object`);
    const labels = getArray(s, "labels", ctx, `${path}.labels`).map((lv, h) => {
      const lp = `${path}.labels[${h}]`;
      const l = expectObject(lv, ctx, `${lp} to be an object`);
      return {
        label: getOneOf(l, "label", [...STEREOSET_GOLD_LABELS, "related"] as const, ctx, `${lp}.label`),
        human_id: getString(l, "human_id", ctx, `${lp}.human_id`),
      };
    });
    return {
      id: getString(s, "id", ctx, `${path}.id`),
      sentence: getString(s, "sentence", ctx, `${path}.sentence`),
      gold_label: getOneOf(s, "gold_label", STEREOSET_GOLD_LABELS, ctx, `${path}.gold_label`),
      labels,
    };
  });
  const golds = sentences.map((s) => s.gold_label).sort();
  if (golds.join(",") !== "anti-stereotype,stereotype,unrelated") {
    fail(ctx, `expected one stereotype, one anti-stereotype and one unrelated sentence, found [${golds.join(", ")}]`);
  }
  return {
    id: getString(o, "id", ctx),
    target: getString(o, "target", ctx),
    bias_type: getString(o, "bias_type", ctx),
    context,
    sentences,
  };
}

/** The three sentences of an example by gold label (validated to exist by the parser). */
export function stereoSetTriple(example: StereoSetExample): Record<"stereotype" | "antiStereotype" | "unrelated", StereoSetSentence> {
  const by = (g: StereoSetGoldLabel) => example.sentences.find((s) => s.gold_label === g)!;
  return { stereotype: by("stereotype"), antiStereotype: by("anti-stereotype"), unrelated: by("unrelated") };
}
