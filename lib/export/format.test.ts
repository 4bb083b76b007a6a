// One formatting module: the pages' forms of a change, a p-value and a date next to the files' forms.
import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDiffOnScreen,
  formatP,
  formatPct,
  formatPctInFigure,
  formatPctOnScreen,
  formatPOnScreen,
  formatShare,
  formatValueCi,
  unitAfter,
  withUnit,
} from "./format";

describe("format", () => {
  it("a change: '+3.5 %' on the pages, '+3.46' in files", () => {
    expect([formatPctOnScreen(3.456), formatPct(3.456)]).toEqual(["+3.5 %", "+3.46"]);
    expect([formatPctOnScreen(-12), formatPctOnScreen(116.4), formatPctOnScreen(0), formatPctOnScreen(null)]).toEqual(["−12.0 %", "+116 %", "0.0 %", "—"]);
  });

  it("a p-value: '< 0.001' on the pages, '<0.001' in files", () => {
    expect([formatPOnScreen(0.0004), formatP(0.0004)]).toEqual(["< 0.001", "<0.001"]);
    expect([formatPOnScreen(0.0321), formatPOnScreen(undefined)]).toEqual(["0.032", "—"]);
  });

  it("dates in UTC, from a Date or an ISO string", () => {
    const d = new Date("2026-12-03T09:14:05.123Z");
    expect([formatDate(d), formatDateTime(d), formatDateTime(d.toISOString(), { seconds: true })]).toEqual([
      "2026-12-03",
      "2026-12-03 09:14",
      "2026-12-03 09:14:05",
    ]);
    expect([formatDate(null), formatDateTime(undefined), formatDate("not a date")]).toEqual(["", "", "not a date"]);
  });
  it("a difference, a share and a value with its interval as the pages show them", () => {
    expect([formatDiffOnScreen(2), formatDiffOnScreen(-0.12), formatDiffOnScreen(0), formatDiffOnScreen(null)]).toEqual(["+2.00", "−0.120", "0.000", "—"]);
    expect([formatShare(0.375), formatShare(1), formatShare(null)]).toEqual(["37.5 %", "100.0 %", "—"]);
    expect([formatValueCi(3, 2, 4), formatValueCi(142.5, null, null), formatValueCi(null, 1, 2)]).toEqual(["3.00 ± 1.00", "142.5", "—"]);
  });

  it("a change in a figure's cell: the pages' form without the unit", () => {
    expect([formatPctInFigure(3.456), formatPctInFigure(-12), formatPctInFigure(116.4), formatPctInFigure(-0.04), formatPctInFigure(null)]).toEqual([
      "+3.5",
      "−12.0",
      "+116",
      "0.0",
      "n/a",
    ]);
  });

  it("a unit is never written twice", () => {
    expect(withUnit("Length (words)", "words")).toBe("Length (words)");
    expect(withUnit("Words", "words")).toBe("Words");
    expect(withUnit("Words/sentence", "words")).toBe("Words/sentence");
    expect(withUnit("BBQ bias score (ambiguous contexts)", "score")).toBe("BBQ bias score (ambiguous contexts)");
    expect(withUnit("Mean sentence length", "words")).toBe("Mean sentence length (words)");
    expect(withUnit("Flesch reading ease", "score")).toBe("Flesch reading ease (score)");
    expect(withUnit("StereoSet SS", "%")).toBe("StereoSet SS (%)");
    expect(withUnit("TTR", "")).toBe("TTR");
    expect(unitAfter("Swords", "words")).toBe("words");
  });
});
