import { describe, expect, it } from "vitest";
import { readScore, renderRubric } from "./reader";

describe("judge answers", () => {
  it("reads the first number within the range", () => {
    const r = { type: "number" as const, min: 1, max: 10 };
    expect(readScore(r, "7")).toEqual({ value: 7 });
    expect(readScore(r, "Score: 8.5/10 because…")).toEqual({ value: 8.5 });
    expect(readScore(r, "I'd say 11")).toEqual({ error: expect.stringMatching(/11 is outside \[1, 10\]/) });
    expect(readScore(r, "excellent")).toEqual({ error: expect.stringMatching(/no number in the answer "excellent"/) });
    expect(readScore(r, "  ")).toEqual({ error: "the judge's answer is empty" });
  });

  it("maps the first label found (whole words, case-insensitive; the longest at the same place)", () => {
    const r = { type: "labels" as const, labels: { helpful: 1, "not helpful": 0, formal: 2 } };
    expect(readScore(r, "Verdict: HELPFUL.")).toEqual({ value: 1 });
    expect(readScore(r, "not helpful at all")).toEqual({ value: 0 });
    expect(readScore(r, "formal, and helpful")).toEqual({ value: 2 });
    expect(readScore(r, "unhelpful")).toEqual({ error: expect.stringMatching(/none of the labels/) });
  });

  it("reads a field of the JSON answer (a dotted path; a numeric string counts)", () => {
    const r = { type: "json" as const, field: "scores.helpfulness" };
    expect(readScore(r, 'Here: {"scores": {"helpfulness": 4}} done')).toEqual({ value: 4 });
    expect(readScore(r, '{"scores": {"helpfulness": "3.5"}}')).toEqual({ value: 3.5 });
    expect(readScore(r, '{"scores": {}}')).toEqual({ error: expect.stringMatching(/no field scores.helpfulness/) });
    expect(readScore(r, '{"scores": {"helpfulness": "high"}}')).toEqual({ error: expect.stringMatching(/not a number/) });
    expect(readScore(r, "{oops")).toEqual({ error: expect.stringMatching(/no JSON object/) });
    expect(readScore(r, "{oops}")).toEqual({ error: expect.stringMatching(/does not parse/) });
  });

  it("renders the rubric without re-reading the inserted texts", () => {
    expect(renderRubric("Q: {prompt}\nA: {output}\n{output}", "say {output}", "ok")).toBe("Q: say {output}\nA: ok\nok");
  });
});
