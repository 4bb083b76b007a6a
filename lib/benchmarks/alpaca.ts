/**
 * Stanford Alpaca instruction data: `alpaca_data.json` / `alpaca_5000.json` are ONE JSON array of
 * `{instruction, input, output}`; `seed_tasks.jsonl` (self-instruct seeds) is JSON Lines of
 * `{id, name, instruction, instances: [{input, output}], is_classification}`.
 */
import { decodeText, expectObject, fail, getArray, getBoolean, getString, parseJsonDocument, parseJsonLines, type FieldContext, type TextInput } from "./text";

export interface AlpacaRecord {
  index: number;
  instruction: string;
  /** Empty string when the task has no input. */
  input: string;
  output: string;
}

export function parseAlpacaJson(input: TextInput, file = "alpaca_data.json"): AlpacaRecord[] {
  const text = decodeText(input, file);
  const doc = parseJsonDocument(text, file);
  if (!Array.isArray(doc)) fail({ file, at: {} }, "expected a JSON array of {instruction, input, output}");
  return doc.map((v, index) => {
    const ctx: FieldContext = { file, at: { record: index } };
    const o = expectObject(v, ctx);
    return { index, instruction: getString(o, "instruction", ctx), input: getString(o, "input", ctx), output: getString(o, "output", ctx) };
  });
}

export interface SeedTask {
  line: number;
  id: string;
  name: string;
  instruction: string;
  instances: { input: string; output: string }[];
  is_classification: boolean;
}

export function parseSeedTasks(input: TextInput, file = "seed_tasks.jsonl"): SeedTask[] {
  const text = decodeText(input, file);
  return parseJsonLines(text, file).map(({ line, value }) => {
    const ctx: FieldContext = { file, at: { line } };
    const o = expectObject(value, ctx);
    const instances = getArray(o, "instances", ctx).map((iv, k) => {
      const inst = expectObject(iv, ctx, `instances[${k}] to be an object`);
      return { input: getString(inst, "input", ctx, `instances[${k}].input`), output: getString(inst, "output", ctx, `instances[${k}].output`) };
    });
    return {
      line,
      id: getString(o, "id", ctx),
      name: getString(o, "name", ctx),
      instruction: getString(o, "instruction", ctx),
      instances,
      is_classification: getBoolean(o, "is_classification", ctx),
    };
  });
}
