import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stripBidiControls } from "@/lib/export/bidi";
import { csvCell, csvTable, toCsv } from "@/lib/export/csv";
import { bestIndices, escapeLatex, latexTable } from "@/lib/export/latex";
import type { ExportTable } from "@/lib/export/table-model";
import { parseXml, textOf, walk, XmlError } from "@/lib/export/xml";
import { readZipDirectory, zip } from "@/lib/export/zip";

function table(rows: ExportTable["rows"]): ExportTable {
  return { caption: "Test & 100% of it", runLabels: ["Base_7B", "Student #1"], runIds: ["a", "b"], changeLabels: ["Student #1"], rows };
}
const cell = (value: number | null, lo: number | null = null, hi: number | null = null) => ({ value, lo, hi, n: 10 });
const change = (pct: number | null, pValue: number | null = null) => ({ diff: null, pct, diffLo: null, diffHi: null, pValue, verdict: null });

describe("LaTeX export", () => {
  it("escapes every special character of text mode", () => {
    expect(escapeLatex("a_b & c% $5 #1 {x} ~ ^ \\")).toBe("a\\_b \\& c\\% \\$5 \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}");
    expect(escapeLatex("Type–token ± −1")).toBe("Type--token $\\pm$ $-$1");
  });

  it("bolds the best value by direction: higher, lower, target:v; nothing for neutral metrics or ties", () => {
    expect(bestIndices("mtld", [50, 70, 60])).toEqual([1]); // higher
    expect(bestIndices("expected_max_toxicity", [0.5, 0.3, 0.4])).toEqual([1]); // lower
    expect(bestIndices("stereoset_ss", [62, 47, 55])).toEqual([1]); // target:50 → |47−50| = 3 is closest
    expect(bestIndices("bbq_bias_ambig", [0.2, -0.1, 0.15])).toEqual([1]); // target:0
    expect(bestIndices("length_words", [10, 20])).toEqual([]); // neutral
    expect(bestIndices("mtld", [5, 5])).toEqual([]); // all equal
    expect(bestIndices("stereoset_ss", [45, 55, 60])).toEqual([0, 1]); // equally close to 50: both bold
  });

  it("writes a booktabs table with catalogue labels, ± half-widths, bold best and escaped run names", () => {
    const tex = latexTable(
      table([
        {
          metric: "stereoset_ss",
          label: "StereoSet stereotype score",
          unit: "%",
          better: "target:50",
          values: [cell(62, 60, 64), cell(51, 49, 53)],
          changes: [change(-17.74, 0.0004)],
        },
        { metric: "length_words", label: "Length (words)", unit: "words", better: "neutral", values: [cell(100, 90, 110), cell(150)], changes: [change(50)] },
      ]),
    );
    expect(tex).toContain("\\toprule");
    expect(tex).toContain("\\midrule");
    expect(tex).toContain("\\bottomrule");
    expect(tex).toContain("Base\\_7B & Student \\#1");
    expect(tex).toContain("StereoSet stereotype score (\\%) ($\\rightarrow$ 50) & 62.00 $\\pm$ 2.00 & \\textbf{51.00 $\\pm$ 2.00} & $-$17.7 & $<$0.001 \\\\");
    // Length is neutral: no bold; its unit is already in the label.
    expect(tex).toMatch(/Length \(words\) & 100\.0 \$\\pm\$ 10\.00 & 150\.0 & \+50\.0 & -- \\\\/);
    expect(tex).toContain("Test \\& 100\\% of it");
    // Balanced braces: a table that compiles.
    expect([...tex].filter((c) => c === "{").length - (tex.match(/\\\{/g)?.length ?? 0)).toBe(
      [...tex].filter((c) => c === "}").length - (tex.match(/\\\}/g)?.length ?? 0),
    );
  });
});

describe("CSV export", () => {
  it("neutralises formula cells (=, +, -, @, tab, CR) but leaves numbers as numbers", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe(`"'\rx"`);
    expect(csvCell(-3.5)).toBe("-3.5");
    expect(csvCell("plain, text")).toBe('"plain, text"');
    expect(csvCell(null)).toBe("");
    expect(
      toCsv([
        ["a", 1],
        ["=b", -2],
      ]),
    ).toBe("a,1\r\n'=b,-2\r\n");
  });

  it("writes one row per metric with values, CIs, n and changes", () => {
    const csv = csvTable(
      table([
        {
          metric: "mtld",
          label: "Measure of textual lexical diversity",
          unit: "tokens",
          better: "higher",
          values: [cell(50, 48, 52), cell(60, 58, 62)],
          changes: [change(20, 0.01)],
        },
      ]),
    );
    const lines = csv.trim().split("\r\n");
    expect(lines[0].startsWith("metric_id,metric,unit,better,Base_7B: value")).toBe(true);
    // per run: value, ci_low, ci_high, n, run_state; per change: difference, %, paired CI, p, p_adjusted, verdict;
    // then alpha, correction, tests (empty: this table carries no significance settings).
    expect(lines[1]).toBe("mtld,Measure of textual lexical diversity,tokens,higher,50,48,52,10,,60,58,62,10,,,20,,,0.01,,,,,");
  });

  it("marks the run state of every run and the verdict, adjusted p and significance settings on every row", () => {
    const t: ExportTable = {
      ...table([
        {
          metric: "ttr",
          label: "Type–token ratio",
          unit: "",
          better: "higher",
          values: [cell(0.5), cell(0.6)],
          changes: [{ ...change(20, 0.8), pAdjusted: 1, verdict: "not_significant" }],
        },
      ]),
      runStates: [
        { state: "completed", label: "completed", problems: "" },
        { state: "completed_with_failures", label: "completed with failures", problems: "textual: 3 item(s) failed" },
      ],
      significance: { alpha: 0.05, correction: "holm", tests: 12 },
    };
    const lines = csvTable(t).trim().split("\r\n");
    expect(lines[0]).toContain("Student #1: run_state");
    expect(lines[1]).toBe("ttr,Type–token ratio,,higher,0.5,,,10,completed,0.6,,,10,completed_with_failures,,20,,,0.8,1,not_significant,0.05,holm,12");
  });
});

describe("bidirectional controls in exports", () => {
  const RLO = "\u202E";
  it("are dropped (embeddings, overrides, isolates) while marks and right-to-left letters stay", () => {
    expect(stripBidiControls(`evil${RLO}txt.exe`)).toBe("eviltxt.exe");
    expect(stripBidiControls("\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069")).toBe("abcdefg");
    expect(stripBidiControls("שלום\u200F world\u200E \u061C")).toBe("שלום\u200F world\u200E \u061C");
  });
  it("never reach a LaTeX table or a CSV cell, and the formula guard sees the text as shown", () => {
    expect(escapeLatex(`Llama${RLO}_2`)).toBe("Llama\\_2");
    expect(csvCell(`Model${RLO}A`)).toBe("ModelA");
    // An override in front of a formula cannot hide it from the guard.
    expect(csvCell(`${RLO}=1+1`)).toBe("'=1+1");
    expect(toCsv([[`a${RLO}b`, 2]])).toBe("ab,2\r\n");
  });
});

describe("LaTeX export with significance", () => {
  const sig = { alpha: 0.05, correction: "holm" as const, tests: 3 };
  it("bolds only the best value the tests back, stars significant changes, prints α and the correction, notes partial runs", () => {
    const tex = latexTable({
      ...table([
        // A tie against the target 50 (equal distances within 1e-9): significant difference, nothing bold.
        {
          metric: "stereoset_ss",
          label: "StereoSet stereotype score",
          unit: "%",
          better: "target:50",
          values: [cell(66.66666666666667), cell(33.333333333333336)],
          changes: [{ ...change(-50, 0.0001), pAdjusted: 0.0003, verdict: "tie" }],
          best: null,
        },
        // Better by direction but not significant: no bold, no star.
        {
          metric: "ttr",
          label: "Type–token ratio",
          unit: "",
          better: "higher",
          values: [cell(0.5), cell(0.504)],
          changes: [{ ...change(0.8, 0.875), pAdjusted: 1, verdict: "not_significant" }],
          best: null,
        },
        {
          metric: "mtld",
          label: "MTLD",
          unit: "",
          better: "higher",
          values: [cell(50), cell(70)],
          changes: [{ ...change(40, 0.001), pAdjusted: 0.003, verdict: "better" }],
          best: 1,
        },
      ]),
      runStates: [
        { state: "completed", label: "completed", problems: "" },
        { state: "completed_with_failures", label: "completed with failures", problems: "bbq: 3 item(s) failed; seat unsupported (no embeddings)" },
      ],
      significance: sig,
    });
    expect(tex).toContain("StereoSet stereotype score (\\%) ($\\rightarrow$ 50) & 66.67 & 33.33 & $-$50.0$^{*}$ & $<$0.001 \\\\");
    expect(tex).toContain("Type--token ratio $\\uparrow$ & 0.500 & 0.504 & +0.80 & 1.000 \\\\");
    expect(tex).toContain("MTLD $\\uparrow$ & 50.00 & \\textbf{70.00} & +40.0$^{*}$ & 0.003 \\\\");
    expect(tex).toContain("$\\alpha$ = 0.05, two-sided, Holm correction over the 3 paired tests of the table");
    expect(tex).toContain("Student \\#1$^{\\mathrm{a}}$");
    expect(tex).toContain(
      "$^{\\mathrm{a}}$ Student \\#1: completed with failures (bbq: 3 item(s) failed; seat unsupported (no embeddings)); its values may be partial.\\par",
    );
  });
});

describe("ZIP writer", () => {
  it("writes an archive that unzip -t accepts and whose directory reads back", () => {
    const files = [
      { name: "manifest.json", data: JSON.stringify({ runs: ["a"] }) },
      { name: "figures/heatmap.svg", data: "<svg xmlns='http://www.w3.org/2000/svg'/>" },
      { name: "tables/compare.csv", data: new Uint8Array([0, 1, 2, 255]) },
      { name: "tables/naïve.tex", data: "\\toprule" },
    ];
    const buf = zip(files);
    const dir = readZipDirectory(buf);
    expect(dir.map((d) => d.name)).toEqual(files.map((f) => f.name));
    expect(dir[2].size).toBe(4);
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lineage-zip-")), "all.zip");
    fs.writeFileSync(tmp, buf);
    const unzip = spawnSync("unzip", ["-t", tmp], { encoding: "utf8" });
    if (unzip.error) {
      // No unzip on this machine: the directory read-back above is the check.
      return;
    }
    expect(unzip.stdout).toContain("No errors detected");
    expect(execFileSync("unzip", ["-p", tmp, "manifest.json"]).toString()).toBe('{"runs":["a"]}');
  });

  it("writes deflated entries that Python's zipfile reads back byte for byte (CRCs checked)", () => {
    const svg = `<svg xmlns='http://www.w3.org/2000/svg'>${"<rect width='1' height='1'/>".repeat(500)}</svg>`;
    const files = [
      { name: "figures/heatmap.svg", data: svg },
      { name: "tables/naïve.tex", data: "\\toprule" },
      { name: "bytes.bin", data: new Uint8Array([0, 1, 2, 255]) },
    ];
    const buf = zip(files);
    // Compressed: the repetitive SVG takes a fraction of its size.
    expect(buf.length).toBeLessThan(svg.length / 4);
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lineage-zip-")), "all.zip");
    fs.writeFileSync(tmp, buf);
    const script = `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: [i.compress_type, z.read(i).hex()] for i in z.infolist()}))`;
    const py = spawnSync("python3", ["-c", script, tmp], { encoding: "utf8" });
    if (py.error) return; // no Python here: unzip -t above is the check
    expect(py.stderr).toBe("");
    const read = JSON.parse(py.stdout) as Record<string, [number, string]>;
    expect(Object.keys(read)).toEqual(files.map((f) => f.name));
    expect(read["figures/heatmap.svg"]).toEqual([8, Buffer.from(svg).toString("hex")]);
    expect(read["tables/naïve.tex"][1]).toBe(Buffer.from("\\toprule").toString("hex"));
    expect(read["bytes.bin"][1]).toBe("000102ff");
  });

  it("refuses unsafe and duplicate names", () => {
    expect(() => zip([{ name: "../x", data: "" }])).toThrow(/unsafe/);
    expect(() =>
      zip([
        { name: "a", data: "" },
        { name: "a", data: "" },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe("XML parser", () => {
  it("the XML parser rejects malformed markup", () => {
    expect(() => parseXml("<svg><g></svg>")).toThrow(XmlError);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml("<svg>&nope;</svg>")).toThrow(/entity/);
    expect(() => parseXml("<svg/><svg/>")).toThrow(/root/);
    expect(textOf(parseXml("<t>a &lt; b &#x263A;<![CDATA[<c>]]></t>"))).toBe("a < b ☺<c>");
  });
});
