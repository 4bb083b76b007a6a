// Import of the paper toolkit's results folder (results/profiling/<exp>/) as a completed run marked
// "import:toolkit". Every file is read and checked first; then the run, its benchmarks, items and aggregates are
// stored in one transaction, so a folder with a bad file leaves nothing behind.
// What the files allow: textual metrics per generation (recomputed here with Lineage's definitions; the toolkit's
// own TextDescriptives columns are kept on each item), toxicity per prompt (the most toxic completion), SEAT per
// test, and run-level StereoSet, CrowS-Pairs, BBQ and calibration numbers (no per-item data, so no CIs).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadDolly200, loadRtpToolkitSet, type DataSourceOptions } from "@/lib/benchmarks/data-source";
import { QA_TEMPLATE, renderTemplate } from "@/lib/benchmarks/templates";
import type { Database } from "@/lib/db/client";
import { subMetricId } from "@/lib/metrics/catalogue";
import { textMetrics, TEXT_METRIC_IDS } from "@/lib/metrics/text";
import { expectedMaxToxicity, toxicityProbability, DEFAULT_TOXICITY_THRESHOLD, type PromptToxicity } from "@/lib/metrics/toxicity";
import { insertAggregates, meanAggregates, type AggregateRow } from "./aggregates";
import { writeBatchTx, type ItemResult } from "./item-writer";
import { insertItems } from "./runs";
import { seatStep } from "./steps/seat";
import { statisticAggregates } from "./steps/statistic-aggregates";
import type { ResolvedItem } from "./suite";
import {
  parseToolkitCalibration,
  parseToolkitMetadata,
  parseToolkitSocialBias,
  parseToolkitTextual,
  parseToolkitToxicity,
  ToolkitFormatError,
  TOOLKIT_TEXT_DATASETS,
  type ToolkitCalibration,
  type ToolkitSocialBias,
  type ToolkitTextual,
  type ToolkitToxicityPrompt,
  type ToolkitMetadata,
} from "./toolkit-format";
import { codeVersion } from "./version";

export { ToolkitFormatError } from "./toolkit-format";

export interface ParsedToolkitResults {
  textual: ToolkitTextual | null;
  toxicity: ToolkitToxicityPrompt[] | null;
  socialBias: ToolkitSocialBias | null;
  calibration: ToolkitCalibration[] | null;
  metadata: ToolkitMetadata | null;
  /** Files read, and files of the folder that are not toolkit results (left alone). */
  files: string[];
  ignored: string[];
  notes: string[];
}

const TEXTUAL_FILE = /^TextualCharacteristicsProfiling_(.+)\.json$/;

/** Reads the result files of a folder (not recursive): file name → text. */
export function readToolkitDir(dir: string): Record<string, string> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new ToolkitFormatError(dir, `cannot read the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const out: Record<string, string> = {};
  for (const name of names) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isFile() && /\.(json|ya?ml)$/i.test(name)) out[name] = fs.readFileSync(p, "utf8");
  }
  return out;
}

/** Parses and checks every toolkit file; throws ToolkitFormatError naming the file and what failed. */
export function parseToolkitResults(files: Record<string, string>): ParsedToolkitResults {
  const r: ParsedToolkitResults = { textual: null, toxicity: null, socialBias: null, calibration: null, metadata: null, files: [], ignored: [], notes: [] };
  const textual: ToolkitTextual[] = [];
  for (const [name, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (TEXTUAL_FILE.test(name)) textual.push(parseToolkitTextual(text, name));
    else if (name === "ToxicityProfiling.json") r.toxicity = parseToolkitToxicity(text, name);
    else if (name === "SocialBiasProfiling.json") r.socialBias = parseToolkitSocialBias(text, name);
    else if (name === "CalibrationProfiling.json") r.calibration = parseToolkitCalibration(text, name);
    else if (name === "metadata_profiling.yaml" || name === "metadata_profiling.yml") {
      const { kept, dropped } = withoutCredentials(parseToolkitMetadata(text, name, r.notes));
      r.metadata = kept;
      if (dropped.length) r.notes.push(`not stored from ${name} (their names suggest credentials): ${dropped.join(", ")}`);
    }
    else {
      r.ignored.push(name);
      continue;
    }
    r.files.push(name);
  }
  if (!r.toxicity && !r.socialBias && !r.calibration && textual.length === 0) {
    throw new ToolkitFormatError(
      "folder",
      `no toolkit result file (expected TextualCharacteristicsProfiling_<dataset>.json, ToxicityProfiling.json, SocialBiasProfiling.json or CalibrationProfiling.json${r.ignored.length ? `; found ${r.ignored.join(", ")}` : ""})`,
    );
  }
  if (textual.length) {
    // One textual set per run (a run has one value per metric): the paper's Dolly-200 test first.
    const rank = (d: string) => {
      const i = (TOOLKIT_TEXT_DATASETS as readonly string[]).indexOf(d);
      return i < 0 ? 99 : i;
    };
    textual.sort((a, b) => rank(a.dataset) - rank(b.dataset));
    r.textual = textual[0];
    if (textual.length > 1) r.notes.push(`textual characteristics imported from ${r.textual.dataset}; not imported: ${textual.slice(1).map((t) => t.dataset).join(", ")}`);
  }
  return r;
}

/** Metadata names that may hold a credential: the toolkit's args carry perspective_key and auth_token (an HF token). */
const CREDENTIAL_NAME = /key|token|secret|password|passwd|auth|credential/i;
/** Counts of tokens, not tokens: the toolkit's max_new_tokens (and the like) are decoding settings. */
const TOKEN_COUNT_NAME = /^(max|min)_(new_)?tokens$/i;

/** The metadata without any field whose name suggests a credential (whatever its value: "[hidden]" or null today,
 * a real key in someone's run), and the names dropped. The run's suite snapshot is shown and exported. */
export function withoutCredentials<T>(metadata: Record<string, T>): { kept: Record<string, T>; dropped: string[] } {
  const kept: Record<string, T> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(metadata)) {
    if (CREDENTIAL_NAME.test(name) && !TOKEN_COUNT_NAME.test(name)) dropped.push(name);
    else kept[name] = value;
  }
  return { kept, dropped };
}

function done(id: number, output: string | null, data: unknown, scores: Record<string, number | null>): ItemResult {
  return { id, status: "done", output, data, finishReason: null, latencyMs: null, promptTokens: null, completionTokens: null, error: null, errorKind: null, attempts: 0, scores };
}

function imported(metric: string, value: number | null, n: number, details: Record<string, unknown> = {}): AggregateRow {
  return { metric, value, ciLow: null, ciHigh: null, n, details: { source: "toolkit file", interval: "none (the toolkit file has no per-item data)", ...details } };
}

interface StepPlan {
  benchmark: string;
  file: string;
  items: (ResolvedItem & { output: string | null; scores: Record<string, number | null> })[];
  aggregates: AggregateRow[];
}

/**
 * The prompts behind the files, when the data source has them: the toolkit writes generations in prompt order
 * (Dolly-200 split rows 0…99, the 300 RTP prompts by index) but not the prompts. With them, imported items get the
 * same keys and prompts as a Lineage run on the same set, so the two compare item by item.
 */
export interface ToolkitPromptLookups {
  dolly?: { key: string; prompt: string }[];
  rtp?: string[];
}

export async function loadToolkitPrompts(p: ParsedToolkitResults, dataOpts: DataSourceOptions = {}): Promise<ToolkitPromptLookups> {
  const out: ToolkitPromptLookups = {};
  // The data folder or the download cache only: an import never starts a download.
  const data: DataSourceOptions = {
    fetch: async () => {
      throw new Error("no download during an import");
    },
    ...dataOpts,
  };
  const split = p.textual?.dataset === "Dolly200_test" ? "test" : p.textual?.dataset === "Dolly200_val" ? "val" : null;
  if (split) {
    try {
      out.dolly = (await loadDolly200(data))[split].map((r) => ({ key: String(r.id ?? r.row), prompt: r.inputs }));
    } catch {
      /* no data file: the items keep the toolkit's row numbers */
    }
  }
  if (p.toxicity) {
    try {
      out.rtp = (await loadRtpToolkitSet(data)).map((r) => r.prompt);
    } catch {
      /* no data file: the items have no prompt text */
    }
  }
  return out;
}

export function planToolkitImport(p: ParsedToolkitResults, seed: number, lookups: ToolkitPromptLookups = {}): StepPlan[] {
  const steps: StepPlan[] = [];
  if (p.textual) {
    const t = p.textual;
    const dolly = lookups.dolly && t.rows.length <= lookups.dolly.length && t.rows.every((r, i) => r.row === String(i)) ? lookups.dolly : null;
    const items = t.rows.map((row, i) => ({
      key: dolly ? dolly[i].key : row.row.padStart(4, "0"),
      sampleIndex: 0,
      prompt: dolly ? renderTemplate(QA_TEMPLATE, { prompt: dolly[i].prompt }) : "",
      raw: dolly ? dolly[i].prompt : "",
      data: {
        dataset: t.dataset,
        row: row.row,
        ...(dolly ? { prompt: dolly[i].prompt } : {}),
        toolkitMetrics: row.toolkitMetrics,
        note: dolly ? "prompt matched by position in the toolkit's Dolly-200 split" : "the toolkit stores generations, not their prompts",
      },
      output: row.text,
      scores: textMetrics(row.text) as unknown as Record<string, number | null>,
    }));
    const ordered = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const byMetric: Record<string, (number | null)[]> = {};
    for (const id of TEXT_METRIC_IDS) byMetric[id] = ordered.map((i) => i.scores[id] ?? null);
    steps.push({ benchmark: "textual", file: `TextualCharacteristicsProfiling_${t.dataset}.json`, items, aggregates: meanAggregates(byMetric, seed) });
  }
  if (p.toxicity) {
    const rtp = lookups.rtp;
    const items = p.toxicity.map((pr) => ({
      key: String(pr.index).padStart(4, "0"),
      sampleIndex: 0,
      prompt: rtp?.[pr.index] ?? "",
      raw: rtp?.[pr.index] ?? "",
      data: {
        prompt_index: pr.index,
        prompt: rtp?.[pr.index] ?? "",
        prompt_toxicity: null,
        continuations: pr.max ? [{ text: pr.max.completion, finishReason: null, scores: pr.max.scores }] : [],
        max: pr.max?.scores ?? {},
        scorer: "Perspective API (toolkit)",
        note: "the toolkit keeps only the most toxic of the 25 completions",
      },
      output: pr.max?.completion ?? null,
      scores: {
        expected_max_toxicity: pr.max?.scores.TOXICITY ?? null,
        // 1/0 per prompt, so that the mean is toxicity_probability and compare can pair it.
        toxicity_probability: pr.max?.scores.TOXICITY === undefined ? null : pr.max.scores.TOXICITY >= DEFAULT_TOXICITY_THRESHOLD ? 1 : 0,
      },
    }));
    const perPrompt: PromptToxicity[] = p.toxicity
      .filter((pr) => pr.max)
      .map((pr) => ({ promptId: String(pr.index), samples: 1, scoredSamples: 1, max: { TOXICITY: pr.max!.scores.TOXICITY } }));
    const aggregates = statisticAggregates(
      perPrompt,
      (s) => ({ expected_max_toxicity: expectedMaxToxicity(s), toxicity_probability: toxicityProbability(s, DEFAULT_TOXICITY_THRESHOLD) }),
      ["expected_max_toxicity", "toxicity_probability"],
      `${seed}:rtp_toxicity`,
      () => ({
        scorer: { name: "Perspective API (toolkit)", kind: "perspective" },
        threshold: DEFAULT_TOXICITY_THRESHOLD,
        excludedPrompts: p.toxicity!.filter((pr) => !pr.max).map((pr) => String(pr.index)),
        note: "the other attributes in the file belong to the most toxic completion, so their expected maxima cannot be derived",
      }),
    );
    steps.push({ benchmark: "rtp_toxicity", file: "ToxicityProfiling.json", items, aggregates });
  }
  const sb = p.socialBias;
  if (sb?.stereoset) {
    const { overall, domains } = sb.stereoset;
    const rows: AggregateRow[] = [
      imported("stereoset_lms", overall["LM Score"], overall.Count, { domains }),
      imported("stereoset_ss", overall["SS Score"], overall.Count, { domains }),
      imported("stereoset_icat", overall["ICAT Score"], overall.Count, { domains }),
    ];
    for (const [d, s] of Object.entries(domains)) {
      rows.push(imported(subMetricId("stereoset_lms", d), s["LM Score"], s.Count), imported(subMetricId("stereoset_ss", d), s["SS Score"], s.Count), imported(subMetricId("stereoset_icat", d), s["ICAT Score"], s.Count));
    }
    steps.push({ benchmark: "stereoset", file: "SocialBiasProfiling.json", items: [], aggregates: rows });
  }
  if (sb?.crowspairs) {
    const types = Object.entries(sb.crowspairs);
    const total = types.reduce((a, [, t]) => a + t.total_examples, 0);
    const overall = total === 0 ? null : types.reduce((a, [, t]) => a + t.metric_score * t.total_examples, 0) / total;
    const rows = [
      imported("crows_pairs_metric", overall, total, { byBiasType: sb.crowspairs, note: "overall = the per-bias-type scores (rounded to 2 decimals by the toolkit) weighted by their pairs" }),
      ...types.map(([type, t]) => imported(subMetricId("crows_pairs_metric", type), t.metric_score, t.total_examples, { ...t })),
    ];
    steps.push({ benchmark: "crows_pairs", file: "SocialBiasProfiling.json", items: [], aggregates: rows });
  }
  if (sb?.bbq?.length) {
    const cats = sb.bbq;
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const acc = (cond: "ambig" | "disambig") => meanOf(cats.map((c) => (c.cells[cond].neg.accuracy + c.cells[cond].nonneg.accuracy) / 2));
    const raw = (cond: "ambig" | "disambig") => {
      const biased = cats.reduce((a, c) => a + c.cells[cond].neg.biased_answers + c.cells[cond].nonneg.biased_answers, 0);
      const nonUnknown = cats.reduce((a, c) => a + c.cells[cond].neg.non_unknown_answers + c.cells[cond].nonneg.non_unknown_answers, 0);
      return nonUnknown === 0 ? null : (2 * biased) / nonUnknown - 1;
    };
    const accAmbig = acc("ambig");
    const rawAmbig = raw("ambig");
    const details = {
      byCategory: Object.fromEntries(cats.map((c) => [c.category, { ...c.cells, disambig_bias_score: c.disambig_bias_score, ambig_bias_score: c.ambig_bias_score }])),
      note: "accuracies are means over categories (the toolkit file has no item counts); bias scores pool the biased and non-unknown answer counts",
    };
    steps.push({
      benchmark: "bbq",
      file: "SocialBiasProfiling.json",
      items: [],
      aggregates: [
        imported("bbq_accuracy_ambig", accAmbig, 0, details),
        imported("bbq_accuracy_disambig", acc("disambig"), 0, details),
        imported("bbq_bias_ambig", rawAmbig === null ? null : rawAmbig * (1 - accAmbig), 0, details),
        imported("bbq_bias_disambig", raw("disambig"), 0, details),
      ],
    });
  }
  if (sb?.seat?.length) {
    const items = sb.seat.map((t) => ({
      key: t.test,
      sampleIndex: 0,
      prompt: t.test,
      raw: t.test,
      data: { test: t.test, effectSize: t.effectSize, pValue: t.pValue, note: "the toolkit's p-value is parametric (normal approximation)" },
      output: `d = ${t.effectSize === null ? "undefined" : t.effectSize.toFixed(3)}, p = ${t.pValue === null ? "?" : t.pValue.toPrecision(3)}`,
      scores: { seat_effect_size: t.effectSize },
    }));
    const ordered = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    steps.push({ benchmark: "seat", file: "SocialBiasProfiling.json", items, aggregates: seatStep.aggregate(ordered.map((i) => ({ itemKey: i.key, sampleIndex: 0, data: i.data })), seed, {}) });
  }
  for (const c of p.calibration ?? []) {
    const details = { note: "the toolkit file has no item count or reliability bins", binning: "10 equal-mass bins (verified_calibration get_ece_em)" };
    steps.push({
      benchmark: c.set,
      file: "CalibrationProfiling.json",
      items: [],
      aggregates: [imported(`${c.set}_accuracy`, c.accuracy, 0, details), imported(`${c.set}_ece_10`, c.ece_10, 0, details), imported(`${c.set}_ece_1`, c.ece_1, 0, details)],
    });
  }
  return steps;
}

export async function importToolkitResults(
  db: Database,
  modelId: string,
  parsed: ParsedToolkitResults,
  opts: { name?: string; folder?: string; seed?: number; data?: DataSourceOptions } = {},
): Promise<string> {
  const runId = randomUUID();
  const seed = opts.seed ?? 0;
  const steps = planToolkitImport(parsed, seed, await loadToolkitPrompts(parsed, opts.data));
  const name = opts.name ?? `toolkit import${opts.folder ? ` · ${opts.folder}` : ""}`;
  const suite = {
    name,
    source: "import:toolkit",
    folder: opts.folder ?? null,
    files: parsed.files,
    metadata: parsed.metadata,
    benchmarks: steps.map((s) => ({ benchmark: s.benchmark, imported: s.file, items: s.items.length })),
  };
  const notes = [...parsed.notes, ...(parsed.ignored.length ? [`not toolkit result files, ignored: ${parsed.ignored.join(", ")}`] : [])].join("\n");
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "Run" (id, "modelId", name, status, suite, source, notes, "codeVersion", seed, "createdAt", "startedAt", "finishedAt")
       VALUES ($1, $2, $3, 'completed', $4::jsonb, 'import:toolkit', $5, $6, $7, now(), now(), now())`,
      [runId, modelId, name, JSON.stringify(suite), notes, codeVersion(), seed],
    );
    for (const s of steps) {
      await tx.query(
        `INSERT INTO "RunBenchmark" ("runId", benchmark, status, total, reason, "startedAt", "finishedAt") VALUES ($1, $2, 'completed', $3, $4, now(), now())`,
        [runId, s.benchmark, s.items.length, `imported from ${s.file}`],
      );
      if (s.items.length) {
        const ids = await insertItems(tx, runId, s.benchmark, s.items, { status: "done", outputs: s.items.map((i) => i.output), data: s.items.map((i) => i.data) });
        if (ids.length !== s.items.length) throw new ToolkitFormatError(s.file, "duplicate item keys");
        await writeBatchTx(tx, runId, ids.map((id, i) => done(id, s.items[i].output, s.items[i].data, s.items[i].scores)), true);
      }
      await insertAggregates(tx, runId, s.benchmark, s.aggregates);
    }
  });
  return runId;
}
