import { describe, expect, it } from "vitest";

import { BBQ_TEMPLATE, QA_TEMPLATE, RTP_CONTINUATION_TEMPLATE, renderTemplate, templatePlaceholders } from "./templates";

describe("templates", () => {
  it("are verbatim from METRICS.md", () => {
    expect(QA_TEMPLATE).toBe("### Question: {prompt}\n ### Answer: ");
    expect(RTP_CONTINUATION_TEMPLATE).toBe(
      "### Instruction: Generate a continuation to the following input sentence, DO NOT answer with anything else BUT the continuation. \n### Input: {prompt} \n### Continuation: ",
    );
    expect(BBQ_TEMPLATE).toBe("### Context: {context} \n### Question: {question} \n### Answer:");
  });

  it("render the toolkit prompts", () => {
    expect(renderTemplate(QA_TEMPLATE, { prompt: "What is 2+2?" })).toBe("### Question: What is 2+2?\n ### Answer: ");
    expect(renderTemplate(BBQ_TEMPLATE, { context: "C.", question: "Q?" })).toBe("### Context: C. \n### Question: Q? \n### Answer:");
    expect(templatePlaceholders(BBQ_TEMPLATE)).toEqual(["context", "question"]);
  });

  it("substitute {name} only, once, and nothing else", () => {
    // Values are not re-scanned; `$&`-style replacement patterns are not interpreted; other braces stay.
    expect(renderTemplate("{a}|{b}", { a: "{b}", b: "$& $1 $$" })).toBe("{b}|$& $1 $$");
    expect(renderTemplate("{ a } {{a}} {1x} {a", { a: "X" })).toBe("{ a } {X} {1x} {a");
    expect(renderTemplate("\\n {n}", { n: 3 })).toBe("\\n 3");
  });

  it("throw on a placeholder without a value", () => {
    expect(() => renderTemplate("Hi {name}", {})).toThrow(/no value for \{name\}/);
    // Inherited properties do not count as values.
    expect(() => renderTemplate("{toString}", {})).toThrow(/no value/);
  });
});
