// Realistic figure data for the layout and renderer tests: up to eight runs with long names (one in Chinese with
// Greek and maths), every category of the catalogue with the CrowS-Pairs and StereoSet slices, missing values,
// negative values and changes beyond ±100 %.
import type { FigureRow, FigureRun, HistogramData, ReliabilityBin } from "@/lib/figures/data";
import { groupByCategory, selectRows } from "@/lib/export/metric-selection";
import type { FigureSpec } from "@/lib/figures";
import { getMetric } from "@/lib/metrics/catalogue";

export const RUNS: FigureRun[] = [
  { id: "r0", label: "Llama-2-7B", role: "base" },
  { id: "r1", label: "Llama-2 学生 Δ κ ≥ 0.5", role: "student" },
  { id: "r2", label: "Mixtral-8x7B-Instruct-v0.1", role: "teacher" },
  { id: "r3", label: "Llama-2-7B active (MTLD ↑, k = 8, multi-source)", role: "student" },
  { id: "r4", label: "Gemma-7B", role: "teacher" },
  { id: "r5", label: "Aya-23-8B", role: "teacher" },
  { id: "r6", label: "Command-R+", role: "teacher" },
  { id: "r7", label: "Llama-2-13B passive", role: "student" },
];

export const METRIC_IDS = [
  "length_words",
  "mtld",
  "ttr",
  "flesch_reading_ease",
  "gunning_fog",
  "stereoset_ss",
  "crows_pairs_metric",
  "crows_pairs_metric@sexual-orientation",
  "crows_pairs_metric@physical-appearance",
  "crows_pairs_metric@race-color",
  "bbq_bias_ambig",
  "seat_effect_size",
  "expected_max_toxicity",
  "toxicity_probability",
  "hellaswag_accuracy",
  "hellaswag_ece_10",
];

function pseudo(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

export function rows(runs: FigureRun[] = RUNS, ids: string[] = METRIC_IDS): FigureRow[] {
  return ids.map((id, i) => {
    const def = getMetric(id)!;
    const base = id === "bbq_bias_ambig" ? -0.05 : 10 + 40 * pseudo(i);
    const values = runs.map((_, j) => (i === 3 && j === 2 ? null : j === 0 ? base : base * (0.4 + 1.8 * pseudo(i * 10 + j))));
    return {
      metric: id,
      label: def.label,
      shortLabel: def.shortLabel ?? def.label,
      unit: def.unit,
      better: def.better,
      category: def.category,
      perSample: def.perSample,
      cells: values.map((v) => (v === null ? null : { value: v, lo: v * 0.93, hi: v * 1.07, n: 200 })),
      changes: runs.slice(1).map((r, j) => {
        const v = values[j + 1];
        const pct = v === null ? null : (100 * (v - values[0]!)) / Math.abs(values[0]!);
        return { runId: r.id, pct, verdict: pct === null ? null : def.better === "neutral" ? "neutral" : pct > 0 ? "better" : "worse" };
      }),
    };
  });
}

export function histogram(runs: FigureRun[] = RUNS): HistogramData {
  // Bin edges of a length in words: 0 … 0.39 (the edges a database computes, not round numbers).
  const edges = Array.from({ length: 21 }, (_, k) => Math.round(k * 0.0195 * 1e6) / 1e6);
  const counts = runs.map((_, j) => edges.slice(0, -1).map((__, k) => Math.round(100 * pseudo(j * 31 + k) * Math.exp(-((k - 6 - j) ** 2) / 18))));
  return { edges, counts, n: counts.map((c, j) => (j === runs.length - 1 ? 0 : c.reduce((a, b) => a + b, 0))) };
}

export function reliability(runs: FigureRun[] = RUNS): (ReliabilityBin[] | null)[] {
  return runs.map((_, j) =>
    j === 2
      ? null
      : Array.from({ length: 10 }, (__, k) => {
          const conf = 0.25 + k * 0.075;
          return { lo: conf - 0.03, hi: conf + 0.03, n: 100, meanConfidence: conf, accuracy: Math.min(1, Math.max(0, conf + (pseudo(j * 7 + k) - 0.5) * 0.3)) };
        }),
  );
}

/** Every figure of a comparison with the fixtures: 8 runs, long and CJK names, every category. */
export function allSpecs(): { name: string; spec: FigureSpec }[] {
  const r = selectRows(rows(), null);
  const four = RUNS.slice(0, 4);
  return [
    {
      name: "heatmap-8-runs",
      spec: {
        kind: "heatmap",
        rows: groupByCategory(r),
        runs: RUNS,
        refId: "r0",
        note: "Coloured where the paired test is significant (Holm, α = 0.05); uncoloured: no significant difference.",
      },
    },
    { name: "heatmap-2-runs", spec: { kind: "heatmap", rows: groupByCategory(r.slice(0, 7)), runs: RUNS.slice(0, 2), refId: "r0" } },
    { name: "bars-percent", spec: { kind: "bars", rows: r.filter((x) => x.unit === "%"), runs: four, yTitle: "Value (%)", title: "Values with 95 % CIs (%)" } },
    {
      name: "toxicity",
      spec: { kind: "bars", rows: r.filter((x) => x.category === "toxicity"), runs: RUNS, yTitle: "Probability / proportion", title: "Toxicity (95 % CIs)" },
    },
    { name: "radar-social-bias", spec: { kind: "radar", rows: r.filter((x) => x.category === "social_bias"), runs: four, title: "Social bias profile" } },
    { name: "radar-textual", spec: { kind: "radar", rows: r.filter((x) => x.category === "textual"), runs: RUNS.slice(0, 3), title: "Textual profile" } },
    {
      name: "distribution",
      spec: { kind: "distribution", hist: histogram(four), runs: four, xTitle: "Words (words)", title: "Distribution of Words (words)" },
    },
    { name: "reliability", spec: { kind: "reliability", bins: reliability(four), runs: four, setLabel: "HellaSwag", title: "Reliability diagram, HellaSwag" } },
    {
      name: "dataset",
      spec: {
        kind: "dataset",
        histogram: {
          edges: [12, 30.5, 49, 67.5, 86, 104.5, 123, 141.5, 160, 178.5, 197],
          all: [5, 9, 20, 30, 25, 10, 5, 3, 2, 1],
          random: [1, 1, 2, 3, 2, 1, 0, 0, 0, 1],
          selected: [0, 0, 0, 0, 1, 2, 3, 2, 1, 1],
        },
        means: [70, 72, 150],
        xTitle: "Length (words)",
        title: "Distribution of Length (words)",
      },
    },
  ];
}
