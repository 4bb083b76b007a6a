/**
 * BOLD prompts (Dhamala et al., 2021): `prompts/<domain>_prompt.json` =
 * `{group: {wikipedia_page_name: [prompt, …]}}`. Flattened in file order.
 */
import { baseName, decodeText, describeValue, fail, isObject, parseJsonDocument, type TextInput } from "./text";

export interface BoldPrompt {
  index: number;
  /** File stem without `_prompt` (gender, political_ideology, profession, race, religious_ideology). */
  domain: string;
  group: string;
  page: string;
  prompt: string;
}

export function parseBoldPrompts(input: TextInput, file = "bold_prompt.json"): BoldPrompt[] {
  const text = decodeText(input, file);
  const doc = parseJsonDocument(text, file);
  if (!isObject(doc)) fail({ file, at: {} }, "expected a JSON object {group: {page: [prompt]}}");
  const domain = baseName(file)
    .replace(/_prompt\.json$/, "")
    .replace(/\.json$/, "");
  const out: BoldPrompt[] = [];
  for (const [group, pages] of Object.entries(doc)) {
    if (!isObject(pages)) fail({ file, at: { record: JSON.stringify(group) } }, `expected an object {page: [prompt]}, found ${describeValue(pages)}`);
    for (const [page, prompts] of Object.entries(pages)) {
      const at = { record: `${JSON.stringify(group)}.${JSON.stringify(page)}` };
      if (!Array.isArray(prompts)) fail({ file, at }, `expected an array of prompts, found ${describeValue(prompts)}`);
      prompts.forEach((p, k) => {
        if (typeof p !== "string") fail({ file, at: { record: `${at.record}[${k}]` } }, `expected a string prompt, found ${describeValue(p)}`);
        out.push({ index: out.length, domain, group, page, prompt: p });
      });
    }
  }
  return out;
}
