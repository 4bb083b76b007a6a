// A definition in words, for the attribute page, the CLI and the dataset card.
import type { AttributeDefinition } from "./spec";

/** [label, text] pairs describing the kind's settings. */
export function describeDefinition(d: AttributeDefinition): [string, string][] {
  switch (d.kind) {
    case "lexicon":
      return [
        ["Match", d.match === "words" ? `${d.terms.length} words or phrases` : `${d.terms.length} regular expressions`],
        ["Measure", d.measure === "rate" ? "matches per 100 words" : "presence (1 or 0)"],
        ["Case", d.caseSensitive ? "sensitive" : "insensitive"],
        [d.match === "words" ? "Terms" : "Patterns", d.terms.join("\n")],
      ];
    case "judge":
      return [
        ["Judge model", d.modelId],
        ["Rubric", d.rubric],
        [
          "Reader",
          d.reader.type === "number"
            ? `the first number, in [${d.reader.min}, ${d.reader.max}]`
            : d.reader.type === "labels"
              ? `labels: ${Object.entries(d.reader.labels)
                  .map(([k, v]) => `${k} = ${v}`)
                  .join(", ")}`
              : `JSON field ${d.reader.field}`,
        ],
        ["Decoding", `temperature ${d.temperature}, at most ${d.maxTokens} tokens, ${d.samples} judge sample${d.samples === 1 ? "" : "s"} averaged`],
      ];
    case "classifier":
      return [
        ["Scorer", d.scorer],
        ["Attribute", d.attribute],
      ];
  }
}
