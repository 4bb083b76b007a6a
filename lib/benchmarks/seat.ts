/**
 * SEAT test files (May et al., 2019; as shipped by bias-bench and the paper toolkit): despite the `.jsonl` name,
 * each file is ONE (pretty-printed) JSON object `{targ1, targ2, attr1, attr2}`, each `{category, examples}`.
 */
import { baseName, decodeText, expectObject, fail, getObject, getString, getStringArray, parseJsonDocument, type FieldContext, type TextInput } from "./text";

export interface SeatSet {
  category: string;
  examples: string[];
}

export interface SeatTest {
  /** Test name = file name without `.jsonl` (e.g. `sent-weat6`). */
  name: string;
  targ1: SeatSet;
  targ2: SeatSet;
  attr1: SeatSet;
  attr2: SeatSet;
}

export function seatTestName(file: string): string {
  return baseName(file).replace(/\.jsonl?$/, "");
}

export function parseSeatTest(input: TextInput, file = "seat.jsonl"): SeatTest {
  const text = decodeText(input, file);
  const ctx: FieldContext = { file, at: {} };
  const root = expectObject(parseJsonDocument(text, file), ctx, "one JSON object with targ1, targ2, attr1, attr2");
  const set = (key: string): SeatSet => {
    const s = getObject(root, key, ctx);
    const examples = getStringArray(s, "examples", ctx, `${key}.examples`);
    if (examples.length === 0) fail(ctx, `expected field "${key}.examples" to be a non-empty array`);
    return { category: getString(s, "category", ctx, `${key}.category`), examples };
  };
  return { name: seatTestName(file), targ1: set("targ1"), targ2: set("targ2"), attr1: set("attr1"), attr2: set("attr2") };
}
