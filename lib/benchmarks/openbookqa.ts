/**
 * OpenBookQA (Mihaylov et al., 2018): `Data/Main/test.jsonl` of the AllenAI release =
 * `{id, question: {stem, choices: [{text, label}]}, answerKey}` (the "Additional" files add fact1, humanScore…).
 * The HF copy the toolkit loads is flat: `{id, question_stem, choices: {text: [], label: []}, answerKey}` —
 * both are accepted and normalised to the HF field names that METRICS.md uses.
 */
import {
  decodeText,
  expectObject,
  fail,
  getArray,
  getObject,
  getString,
  getStringArray,
  isObject,
  parseJsonLines,
  type FieldContext,
  type TextInput,
} from "./text";

export interface OpenBookQaItem {
  index: number;
  line: number;
  id: string;
  question_stem: string;
  choices: { text: string[]; label: string[] };
  answerKey: string;
  /** Position of `answerKey` in `choices.label`. */
  answerIndex: number;
  /** Supporting fact (Additional files only). */
  fact1?: string;
}

export function parseOpenBookQa(input: TextInput, file = "test.jsonl"): OpenBookQaItem[] {
  const text = decodeText(input, file);
  return parseJsonLines(text, file).map(({ line, value }, index) => {
    const ctx: FieldContext = { file, at: { line } };
    const o = expectObject(value, ctx);
    let stem: string;
    let choices: { text: string[]; label: string[] };
    if (isObject(o.question)) {
      const q = getObject(o, "question", ctx);
      stem = getString(q, "stem", ctx, "question.stem");
      const list = getArray(q, "choices", ctx, "question.choices");
      choices = { text: [], label: [] };
      list.forEach((cv, k) => {
        const c = expectObject(cv, ctx, `question.choices[${k}] to be an object`);
        choices.text.push(getString(c, "text", ctx, `question.choices[${k}].text`));
        choices.label.push(getString(c, "label", ctx, `question.choices[${k}].label`));
      });
    } else if ("question_stem" in o) {
      stem = getString(o, "question_stem", ctx);
      const c = getObject(o, "choices", ctx);
      choices = { text: getStringArray(c, "text", ctx, "choices.text"), label: getStringArray(c, "label", ctx, "choices.label") };
      if (choices.text.length !== choices.label.length) fail(ctx, `expected "choices.text" and "choices.label" of equal length`);
    } else {
      fail(ctx, `expected field "question" (object with stem and choices) or "question_stem"`);
    }
    if (choices.text.length < 2) fail(ctx, `expected at least 2 choices`);
    const answerKey = getString(o, "answerKey", ctx);
    const answerIndex = choices.label.indexOf(answerKey);
    if (answerIndex === -1) fail(ctx, `expected "answerKey" to be one of the choice labels ${choices.label.join(", ")}, found ${JSON.stringify(answerKey)}`);
    const item: OpenBookQaItem = { index, line, id: getString(o, "id", ctx), question_stem: stem, choices, answerKey, answerIndex };
    if (typeof o.fact1 === "string") item.fact1 = o.fact1;
    return item;
  });
}
