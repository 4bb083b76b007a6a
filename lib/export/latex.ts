// LaTeX (booktabs) export of a metric table: labels from the catalogue, values as "v ± h" (h = half the 95 % CI),
// the best value per row in bold only where the paired tests back it, significant changes starred, the
// significance settings in the caption, runs that are not fully completed marked with a note, every text escaped.
import { describeSignificance } from "@/lib/compare/verdicts";
import { compareForBetter, getMetric } from "@/lib/metrics/catalogue";
import { stripBidiControls } from "./bidi";
import { formatNumber, formatP, formatPct, halfWidth, unitAfter } from "./format";
import type { ExportTable } from "./table-model";

const SPECIAL: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "<": "\\textless{}",
  ">": "\\textgreater{}",
  "|": "\\textbar{}",
  "–": "--",
  "—": "---",
  "−": "$-$",
  "±": "$\\pm$",
  "×": "$\\times$",
  "≥": "$\\geq$",
  "≤": "$\\leq$",
  "→": "$\\rightarrow$",
  α: "$\\alpha$",
  "\u00a0": "~",
};

/** Escapes text for LaTeX's text mode (the characters of SPECIAL; other Unicode is left to inputenc/fontspec). */
export function escapeLatex(text: string): string {
  let out = "";
  // Bidirectional controls are dropped (lib/export/bidi.ts): pdflatex does not apply them and they would only mislead.
  for (const ch of stripBidiControls(text)) out += SPECIAL[ch] ?? (ch === "\n" || ch === "\r" ? " " : ch);
  return out;
}

/** The header's mark of a metric's better direction: ↑, ↓ or → target. */
export function directionMark(better: string): string {
  if (better === "higher") return " $\\uparrow$";
  if (better === "lower") return " $\\downarrow$";
  if (better.startsWith("target:")) return ` ($\\rightarrow$ ${escapeLatex(better.slice(7))})`;
  return "";
}

/**
 * Indices of the best values of a row by direction alone (all of them on a tie); none for neutral or unknown
 * metrics. The export bolds `ExportRow.best` instead, which the tests back.
 */
export function bestIndices(metric: string, values: (number | null)[]): number[] {
  const m = getMetric(metric);
  if (!m || m.better === "neutral") return [];
  const present = values.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => x.v !== null);
  if (present.length < 2) return [];
  let best = [present[0]];
  for (const x of present.slice(1)) {
    const c = compareForBetter(metric, x.v, best[0].v);
    if (c === "better") best = [x];
    else if (c === "same") best.push(x);
  }
  // All equal: nothing stands out.
  return best.length === present.length ? [] : best.map((x) => x.i);
}

function num(v: number): string {
  // A minus sign in math mode, so that columns of negative numbers typeset as they should.
  return formatNumber(v).replace(/^-/, "$-$");
}

/** A value with ± half its interval, as every LaTeX table of Lineage writes it. */
export function latexValue(value: number, lo: number | null | undefined, hi: number | null | undefined): string {
  const h = halfWidth(lo, hi);
  return `${num(value)}${h !== null ? ` $\\pm$ ${formatNumber(h)}` : ""}`;
}

export interface LatexOptions {
  label?: string;
  /** add the paired p-value to each change column */
  pValues?: boolean;
}

const SIGNIFICANT = new Set(["better", "worse", "tie", "different"]);
const NOTE_MARKS = "abcdefghij";

export function latexTable(t: ExportTable, opts: LatexOptions = {}): string {
  const withP = opts.pValues ?? t.rows.some((r) => r.changes.some((c) => c?.pValue !== null && c?.pValue !== undefined));
  const sig = t.significance ?? null;
  // With significance settings the p column is the adjusted p-value the verdicts rest on.
  const pOf = (c: { pValue: number | null; pAdjusted?: number | null } | null) => (sig ? (c?.pAdjusted ?? null) : (c?.pValue ?? null));
  const pHead = sig && sig.correction !== "none" ? (sig.correction === "holm" ? "$p_{\\mathrm{Holm}}$" : "$p_{\\mathrm{BH}}$") : "$p$";
  // Runs that are not fully completed: a mark on their column and a note under the table.
  const partial = (t.runStates ?? []).map((s, i) => ({ ...s, i })).filter((s) => s.state !== "completed");
  const markOf = new Map(partial.map((s, k) => [s.i, NOTE_MARKS[k] ?? String(k + 1)]));
  const mark = (i: number) => (markOf.has(i) ? `$^{\\mathrm{${markOf.get(i)}}}$` : "");
  const changeMark = (j: number) => mark(j + 1);
  const cols = "l" + "r".repeat(t.runLabels.length) + "r".repeat(t.changeLabels.length * (withP ? 2 : 1));
  const head = [
    "Metric",
    ...t.runLabels.map((l, i) => escapeLatex(l) + mark(i)),
    ...t.changeLabels.flatMap((l, j) => [`$\\Delta$\\% ${escapeLatex(l)}${changeMark(j)}`, ...(withP ? [`${pHead} ${escapeLatex(l)}`] : [])]),
  ];
  const caption = [
    `${escapeLatex(t.caption)} Values are means $\\pm$ half the 95\\,\\% bootstrap CI; $\\Delta$\\% is the change relative to ${escapeLatex(t.runLabels[0] ?? "the reference")}`,
    withP
      ? `; ${pHead}: paired permutation test (sign flips of per-sample differences; swaps of items for benchmark-level metrics)${sig && sig.correction !== "none" ? ", adjusted for the multiple comparisons of the table" : ""}`
      : "",
    sig
      ? `; $^{*}$: significant difference (${escapeLatex(describeSignificance(sig, sig.tests))}); bold: the best value of a row where the tests back it (significantly better than the reference, or the reference significantly better than every other run).`
      : "; best value per row in bold.",
  ].join("");
  const lines: string[] = [
    "% Generated by Lineage. Needs \\usepackage{booktabs} and \\usepackage{graphicx} (a table wider than the text is scaled to fit).",
    "\\begin{table}[t]",
    "\\centering",
    "\\small",
    `\\caption{${caption}}`,
    `\\label{${(opts.label ?? "tab:lineage-compare").replace(/[^A-Za-z0-9:_-]/g, "-")}}`,
    "\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%",
    `\\begin{tabular}{${cols}}`,
    "\\toprule",
    head.join(" & ") + " \\\\",
    "\\midrule",
  ];
  for (const r of t.rows) {
    const unit = unitAfter(r.label, r.unit) ? ` (${unitAfter(r.label, r.unit)})` : "";
    const best = sig
      ? new Set(r.best === null || r.best === undefined || r.best < 0 ? [] : [r.best])
      : new Set(
          bestIndices(
            r.metric,
            r.values.map((c) => c?.value ?? null),
          ),
        );
    const cells = r.values.map((c, i) => {
      if (!c || c.value === null) return "--";
      const text = latexValue(c.value, c.lo, c.hi);
      return best.has(i) ? `\\textbf{${text}}` : text;
    });
    const changes = r.changes.flatMap((c) => {
      const star = c?.verdict && SIGNIFICANT.has(c.verdict) ? "$^{*}$" : "";
      const pct = c?.pct === null || c?.pct === undefined ? "--" : `${formatPct(c.pct).replace(/^-/, "$-$")}${star}`;
      const pv = pOf(c);
      const p = pv === null ? "--" : formatP(pv).replace("<", "$<$");
      return withP ? [pct, p] : [pct];
    });
    lines.push([`${escapeLatex(r.label + unit)}${directionMark(r.better)}`, ...cells, ...changes].join(" & ") + " \\\\");
  }
  lines.push("\\bottomrule", "\\end{tabular}}");
  const notes = [
    ...partial.map(
      (s) =>
        `$^{\\mathrm{${markOf.get(s.i)}}}$ ${escapeLatex(t.runLabels[s.i])}: ${escapeLatex(s.label)}${s.problems ? ` (${escapeLatex(s.problems)})` : ""}; its values may be partial.`,
    ),
    ...(t.absent?.length
      ? [`Not in the table: ${t.absent.map((a) => `${escapeLatex(a.name)} (${escapeLatex(a.role)}): ${escapeLatex(a.reason)}`).join("; ")}.`]
      : []),
  ];
  if (notes.length) lines.push("\\par\\smallskip{\\footnotesize\\raggedright", ...notes.map((n) => `${n}\\par`), "}");
  lines.push("\\end{table}", "");
  return lines.join("\n");
}
