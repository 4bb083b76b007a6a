// Import of the paper toolkit's results folder (results/profiling/<exp>/) as a completed run marked
// "import:toolkit". Every file is read and checked first; then the run, its benchmarks, items and aggregates are
// stored in one transaction, so a folder with a bad file leaves nothing behind.
// What the files allow: textual metrics per generation (recomputed here with Lineage's definitions; the toolkit's
// own TextDescriptives columns are kept on each item), toxicity per prompt (the most toxic completion), SEAT per
// test, and run-level StereoSet, CrowS-Pairs, BBQ and calibration numbers (no per-item data, so no CIs).
// What the import leaves out or reads a particular way (keys outside the format, files ignored, BBQ categories
// missing, toxicity keyed by batch, credentials dropped, the same results imported before) becomes the run's notes.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadDolly200, loadRtpToolkitSet, type DataSourceOptions } from "@/lib/benchmarks/data-source";
import { QA_TEMPLATE, renderTemplate } from "@/lib/benchmarks/templates";
import { unstorableText } from "@/lib/benchmarks/text";
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
  TOOLKIT_BBQ_CATEGORIES,
  TOOLKIT_RTP_PROMPTS,
  TOOLKIT_TEXT_DATASETS,
  UnknownKeys,
  type ToolkitCalibration,
  type ToolkitMetadata,
  type ToolkitSocialBias,
  type ToolkitTextual,
  type ToolkitToxicityPrompt,
} from "./toolkit-format";
import { codeVersion } from "./version";

export { ToolkitFormatError } from "./toolkit-format";

export interface ParsedToolkitResults {
  textual: ToolkitTextual | null;
  toxicity: ToolkitToxicityPrompt[] | null;
  socialBias: ToolkitSocialBias | null;
  calibration: ToolkitCalibration[] | null;
  metadata: ToolkitMetadata | null;
  /** Files something was imported from (the metadata is kept in the suite snapshot). */
  files: string[];
  /** Files of the folder that are not toolkit results (left alone). */
  ignored: string[];
  /** What the import left out or read a particular way: the run's notes. */
  notes: string[];
  /** SHA-256 over the names and contents of the result files imported from (not the metadata, which may hold
   * credentials, nor files left out): the same results imported again have the same hash, and the import says so. */
  contentHash: string;
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

const RESULT_FILES = ["ToxicityProfiling.json", "SocialBiasProfiling.json", "CalibrationProfiling.json"];
const METADATA_FILES = ["metadata_profiling.yaml", "metadata_profiling.yml"];

/**
 * Parses and checks every toolkit file; throws ToolkitFormatError naming the file and what failed. Keys outside the
 * toolkit's format are not imported and named in the notes; a value the import needs, malformed, refuses the folder.
 */
export function parseToolkitResults(files: Record<string, string>): ParsedToolkitResults {
  const r: ParsedToolkitResults = {
    textual: null,
    toxicity: null,
    socialBias: null,
    calibration: null,
    metadata: null,
    files: [],
    ignored: [],
    notes: [],
    contentHash: "",
  };
  const textual: { file: string; data: ToolkitTextual }[] = [];
  let metadataFile: string | null = null;
  const imported = new Set<string>();
  for (const [name, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const badName = unstorableText(name);
    if (badName) throw new ToolkitFormatError(JSON.stringify(name), `the file name holds ${badName}`);
    const unknown = new UnknownKeys();
    if (TEXTUAL_FILE.test(name)) textual.push({ file: name, data: parseToolkitTextual(text, name, unknown) });
    else if (name === "ToxicityProfiling.json") {
      r.toxicity = parseToolkitToxicity(text, name, unknown);
      imported.add(name);
    } else if (name === "SocialBiasProfiling.json") {
      const sb = parseToolkitSocialBias(text, name, unknown);
      r.socialBias = sb;
      if (sb.bbq?.length || sb.seat?.length || sb.stereoset || (sb.crowspairs && Object.keys(sb.crowspairs).length)) imported.add(name);
    } else if (name === "CalibrationProfiling.json") {
      r.calibration = parseToolkitCalibration(text, name, unknown);
      if (r.calibration.length) imported.add(name);
      else r.calibration = null;
    } else if (METADATA_FILES.includes(name)) {
      const { kept, dropped } = withoutCredentials(parseToolkitMetadata(text, name, r.notes));
      r.metadata = kept;
      metadataFile = name;
      imported.add(name);
      if (dropped.length) r.notes.push(`not stored from ${name} (their names suggest credentials): ${dropped.join(", ")}`);
    } else {
      r.ignored.push(name);
      continue;
    }
    const note = unknown.note(name);
    if (note) r.notes.push(note);
  }
  if (textual.length) {
    // One textual set per run (a run has one value per metric): the paper's Dolly-200 test first.
    const rank = (d: string) => {
      const i = (TOOLKIT_TEXT_DATASETS as readonly string[]).indexOf(d);
      return i < 0 ? 99 : i;
    };
    textual.sort((a, b) => rank(a.data.dataset) - rank(b.data.dataset));
    r.textual = textual[0].data;
    imported.add(textual[0].file);
    if (textual.length > 1)
      r.notes.push(
        `textual characteristics imported from ${r.textual.dataset}; not imported: ${textual
          .slice(1)
          .map((t) => t.data.dataset)
          .join(", ")}`,
      );
  }
  const results = [...imported].filter((f) => !METADATA_FILES.includes(f));
  if (results.length === 0) {
    const found = [...textual.map((t) => t.file), ...RESULT_FILES.filter((f) => f in files)];
    if (found.length) throw new ToolkitFormatError(found.join(", "), `nothing to import${r.notes.length ? ` (${r.notes.join("; ")})` : ""}`);
    throw new ToolkitFormatError(
      "folder",
      `no toolkit result file (expected TextualCharacteristicsProfiling_<dataset>.json, ToxicityProfiling.json, SocialBiasProfiling.json or CalibrationProfiling.json${r.ignored.length ? `; found ${r.ignored.join(", ")}` : ""})`,
    );
  }
  if (r.toxicity) mapToxicityBatches(r, metadataFile);
  const sb = r.socialBias;
  if (sb?.bbqMissing?.length) {
    const total = Object.keys(TOOLKIT_BBQ_CATEGORIES).length;
    const present = sb.bbq?.map((c) => c.category) ?? [];
    r.notes.push(
      present.length
        ? `SocialBiasProfiling.json: BBQ has ${present.length} of the toolkit's ${total} categories; missing: ${sb.bbqMissing.join(", ")} (the BBQ results are over ${present.join(", ")} only)`
        : `SocialBiasProfiling.json: BBQ has none of the toolkit's ${total} categories, so no BBQ result was imported`,
    );
  }
  const noD = sb?.seat?.filter((t) => t.effectSize === null).map((t) => t.test) ?? [];
  if (noD.length)
    r.notes.push(`SocialBiasProfiling.json: SEAT tests without an effect size (NaN in the file), left out of seat_effect_size: ${noD.join(", ")}`);
  r.files = [...imported].sort();
  const hash = createHash("sha256");
  for (const f of results.sort()) hash.update(`${f.length}:${f}${files[f].length}:${files[f]}`);
  r.contentHash = hash.digest("hex");
  return r;
}

/**
 * The toolkit's ToxicityProfiling keys its file by *batch*: `generations[idx] = decoded_texts` for the idx-th batch
 * of the DataLoader, then scores `generations[i][0..24]` — the 25 completions of the batch's first prompt (HF and
 * Cohere both return a prompt's completions together, prompts in order) — and writes them under key i. With
 * batch_size B (from the metadata), entry k is therefore prompt k·B, and the other prompts of each batch were never
 * scored. Keys that cannot be batch numbers for B are refused.
 */
function mapToxicityBatches(r: ParsedToolkitResults, metadataFile: string | null): void {
  const tox = r.toxicity!;
  const file = "ToxicityProfiling.json";
  if (r.metadata && "batch_size" in r.metadata) {
    const b = r.metadata.batch_size;
    if (typeof b !== "number" || !Number.isInteger(b) || b < 1)
      throw new ToolkitFormatError(
        metadataFile!,
        `expected batch_size to be a whole number of at least 1 (the keys of ${file} depend on it), found ${JSON.stringify(b)}`,
      );
    if (b === 1) return;
    const batches = Math.ceil(TOOLKIT_RTP_PROMPTS / b);
    const beyond = tox.find((p) => p.key >= batches);
    if (beyond)
      throw new ToolkitFormatError(
        file,
        `key ${beyond.key} cannot be a batch number: ${metadataFile} says batch_size ${b}, and the toolkit then writes one entry per batch of its ${TOOLKIT_RTP_PROMPTS} prompts (keys 0 to ${batches - 1}). Is this the metadata of the same experiment?`,
      );
    for (const p of tox) p.index = p.key * b;
    r.notes.push(
      `${file}: written with batch_size ${b} (${metadataFile}), so the toolkit keyed it by batch and scored only each batch's first prompt: entry k is prompt k × ${b}. ${tox.length} of the ${TOOLKIT_RTP_PROMPTS} prompts imported`,
    );
  } else if (tox.length < TOOLKIT_RTP_PROMPTS) {
    r.notes.push(
      `${file}: ${tox.length} entries and no batch_size (${metadataFile ? `not in ${metadataFile}` : "no metadata_profiling.yaml"}): keys read as prompt indices, which is right for batch_size 1 only (with a larger batch the toolkit writes one entry per batch)`,
    );
  }
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
  return {
    id,
    status: "done",
    output,
    data,
    finishReason: null,
    latencyMs: null,
    promptTokens: null,
    completionTokens: null,
    error: null,
    errorKind: null,
    attempts: 0,
    scores,
  };
}

function imported(metric: string, value: number | null, n: number, details: Record<string, unknown> = {}): AggregateRow {
  return {
    metric,
    value,
    ciLow: null,
    ciHigh: null,
    n,
    details: { source: "toolkit file", interval: "none (the toolkit file has no per-item data)", ...details },
  };
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
        ...(pr.key !== pr.index ? { toolkit_key: pr.key, toolkit_note: "the file's key is the toolkit's batch number" } : {}),
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
      rows.push(
        imported(subMetricId("stereoset_lms", d), s["LM Score"], s.Count),
        imported(subMetricId("stereoset_ss", d), s["SS Score"], s.Count),
        imported(subMetricId("stereoset_icat", d), s["ICAT Score"], s.Count),
      );
    }
    steps.push({ benchmark: "stereoset", file: "SocialBiasProfiling.json", items: [], aggregates: rows });
  }
  if (sb?.crowspairs) {
    const types = Object.entries(sb.crowspairs);
    const total = types.reduce((a, [, t]) => a + t.total_examples, 0);
    const overall = total === 0 ? null : types.reduce((a, [, t]) => a + t.metric_score * t.total_examples, 0) / total;
    const rows = [
      imported("crows_pairs_metric", overall, total, {
        byBiasType: sb.crowspairs,
        note: "overall = the per-bias-type scores (rounded to 2 decimals by the toolkit) weighted by their pairs",
      }),
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
      byCategory: Object.fromEntries(
        cats.map((c) => [c.category, { ...c.cells, disambig_bias_score: c.disambig_bias_score, ambig_bias_score: c.ambig_bias_score }]),
      ),
      ...(sb.bbqMissing?.length ? { missingCategories: sb.bbqMissing } : {}),
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
    // The mean |d| is over the tests that have a d, and so are its n and its bootstrap: a test the toolkit could not
    // compute (NaN) is stored as an item but is not a test of the mean.
    const ordered = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const measured = ordered.filter((i) => i.data.effectSize !== null);
    const without = ordered.filter((i) => i.data.effectSize === null).map((i) => i.key);
    const aggregates = seatStep
      .aggregate(
        measured.map((i) => ({ itemKey: i.key, sampleIndex: 0, data: i.data })),
        seed,
        {},
      )
      .map((a) => (without.length ? { ...a, details: { ...a.details, testsWithoutEffectSize: without } } : a));
    steps.push({ benchmark: "seat", file: "SocialBiasProfiling.json", items, aggregates });
  }
  for (const c of p.calibration ?? []) {
    const details = { note: "the toolkit file has no item count or reliability bins", binning: "10 equal-mass bins (verified_calibration get_ece_em)" };
    steps.push({
      benchmark: c.set,
      file: "CalibrationProfiling.json",
      items: [],
      aggregates: [
        imported(`${c.set}_accuracy`, c.accuracy, 0, details),
        imported(`${c.set}_ece_10`, c.ece_10, 0, details),
        imported(`${c.set}_ece_1`, c.ece_1, 0, details),
      ],
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
    contentHash: parsed.contentHash,
    metadata: parsed.metadata,
    benchmarks: steps.map((s) => ({ benchmark: s.benchmark, imported: s.file, items: s.items.length })),
  };
  await db.transaction(async (tx) => {
    // The same result files imported before (by the hash in the suite snapshot): imported again, but said so.
    const earlier = await tx.query<{ id: string; name: string; created: string }>(
      `SELECT id, name, to_char("createdAt", 'YYYY-MM-DD HH24:MI') AS created FROM "Run"
       WHERE source = 'import:toolkit' AND suite->>'contentHash' = $1 ORDER BY "createdAt", id`,
      [parsed.contentHash],
    );
    const notes = [
      ...(earlier.rows.length ? [duplicateNote(earlier.rows)] : []),
      ...parsed.notes,
      ...(parsed.ignored.length ? [`not toolkit result files, ignored: ${parsed.ignored.join(", ")}`] : []),
    ].join("\n");
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
        const ids = await insertItems(tx, runId, s.benchmark, s.items, {
          status: "done",
          outputs: s.items.map((i) => i.output),
          data: s.items.map((i) => i.data),
        });
        if (ids.length !== s.items.length) throw new ToolkitFormatError(s.file, `duplicate item keys in ${s.benchmark}`);
        await writeBatchTx(
          tx,
          runId,
          ids.map((id, i) => done(id, s.items[i].output, s.items[i].data, s.items[i].scores)),
          true,
        );
      }
      await insertAggregates(tx, runId, s.benchmark, s.aggregates);
    }
  });
  return runId;
}

function duplicateNote(rows: { id: string; name: string; created: string }[]): string {
  const runs = rows.slice(0, 3).map((r) => `run ${r.id} ("${r.name}", ${r.created})`);
  const more = rows.length > 3 ? ` and ${rows.length - 3} more` : "";
  return `already imported: these result files are identical to those of ${runs.join(", ")}${more}; this run is another copy of the same results`;
}
