// Readers for the paper toolkit's result files (for-ai/llm-profiling-toolkit @1fa2c92, run_profiling.py and
// src/profiling/profiling_tools.py): what each file must hold, checked field by field, so a file that does not
// match is rejected with its name and what failed. Pure: no I/O.
import { isMap, parseDocument, type Tags, type YAMLError } from "yaml";
import { findUnstorable } from "@/lib/benchmarks/text";
import { errorOfKind } from "@/lib/errors";

export class ToolkitFormatError extends errorOfKind("bad_input") {
  constructor(
    readonly file: string,
    what: string,
  ) {
    super(`${file}: ${what}`);
    this.name = "ToolkitFormatError";
  }
}

/**
 * Keys a file holds beyond the toolkit's format. One rule for every file: such a key is not imported and the run's
 * notes name it; only a value the import needs, when malformed, refuses the folder. Repeated paths (the same extra
 * key in every prompt) are counted, not listed.
 */
export class UnknownKeys {
  private readonly seen = new Map<string, number>();
  add(path: string): void {
    this.seen.set(path, (this.seen.get(path) ?? 0) + 1);
  }
  get size(): number {
    return this.seen.size;
  }
  /** The run note for `file`, or null when every key was known. */
  note(file: string): string | null {
    if (this.seen.size === 0) return null;
    const all = [...this.seen].map(([p, n]) => (n > 1 ? `${p} (${n}×)` : p));
    const shown = all.slice(0, 20);
    return `${file}: not part of the toolkit's format, not imported: ${shown.join(", ")}${all.length > shown.length ? ` and ${all.length - shown.length} more` : ""}`;
  }
}

/** The keys of `o` that are not in `known`, reported under `at`. */
function reportUnknown(o: Record<string, unknown>, known: readonly string[], at: string, unknown: UnknownKeys): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) unknown.add(at ? `${at}.${k}` : k);
}

/**
 * Python's json.dump writes NaN, Infinity and -Infinity for non-finite floats (TextDescriptives gives NaN for short
 * texts); JSON.parse refuses them. They are read as null, outside strings only. Text the database cannot store (NUL,
 * an unpaired surrogate — json.dump escapes both as \uXXXX) is refused with where it is.
 */
export function parsePythonJson(text: string, file: string): unknown {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const rest = text.startsWith("NaN", i) ? 3 : text.startsWith("-Infinity", i) ? 9 : text.startsWith("Infinity", i) ? 8 : 0;
    if (rest) {
      out += "null";
      i += rest - 1;
      continue;
    }
    out += c;
  }
  let value: unknown;
  try {
    value = JSON.parse(out);
  } catch (err) {
    throw new ToolkitFormatError(file, `not valid JSON (${(err as Error).message})`);
  }
  refuseUnstorable(value, file);
  return value;
}

/** Refuses a parsed file holding text the database cannot store, naming the file and the path of the value. */
export function refuseUnstorable(value: unknown, file: string): void {
  const why = findUnstorable(value);
  // findUnstorable names the value's path; a key of the top level has none.
  if (why) throw new ToolkitFormatError(file, why.startsWith('"') ? why : `a top-level key holds ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function obj(v: unknown, file: string, at: string): Record<string, unknown> {
  if (!isObject(v)) throw new ToolkitFormatError(file, `expected ${at} to be an object`);
  return v;
}

function num(o: Record<string, unknown>, key: string, file: string, at: string, nullable = false): number {
  const v = o[key];
  if (v === null && nullable) return NaN;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new ToolkitFormatError(file, `expected ${at}.${JSON.stringify(key)} to be a number, found ${JSON.stringify(v)}`);
  return v;
}

function prob(o: Record<string, unknown>, key: string, file: string, at: string): number {
  const v = num(o, key, file, at);
  if (v < 0 || v > 1) throw new ToolkitFormatError(file, `expected ${at}.${key} to be a probability in [0, 1], found ${v}`);
  return v;
}

// ---------------------------------------------------------------------------------------------------- textual

export const TOOLKIT_TEXT_DATASETS = ["Dolly200_test", "Dolly200_val", "StrategyQA"] as const;

export interface ToolkitTextual {
  dataset: string;
  /** Row index (the DataFrame's) → generated text and the toolkit's own per-text metrics. */
  rows: { row: string; text: string; toolkitMetrics: Record<string, number | null> }[];
}

/**
 * `TextualCharacteristicsProfiling_<dataset>.json`: DataFrame.to_dict() = {column: {row index: value}}, with a "text"
 * column. The other columns are TextDescriptives' numbers (and MTLD); a column holding anything else is reported.
 */
export function parseToolkitTextual(text: string, file: string, unknown = new UnknownKeys()): ToolkitTextual {
  const dataset = /^TextualCharacteristicsProfiling_(.+)\.json$/.exec(file)?.[1] ?? "unknown";
  const root = obj(parsePythonJson(text, file), file, "the file (pandas column → {row → value})");
  const textCol = root.text;
  if (!isObject(textCol)) throw new ToolkitFormatError(file, `expected a "text" column ({row → generated text})`);
  const rowsKeys = Object.keys(textCol);
  if (rowsKeys.length === 0) throw new ToolkitFormatError(file, `the "text" column has no rows`);
  const columns: Record<string, Record<string, unknown>> = {};
  for (const [name, col] of Object.entries(root)) {
    if (name === "text") continue;
    if (!isObject(col) || !Object.values(col).every((v) => v === null || typeof v === "number")) unknown.add(`${name} (not a column of numbers)`);
    else columns[name] = col;
  }
  const rows = rowsKeys
    .sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1))
    .map((row) => {
      const t = textCol[row];
      if (typeof t !== "string") throw new ToolkitFormatError(file, `expected text[${JSON.stringify(row)}] to be a string`);
      const toolkitMetrics: Record<string, number | null> = {};
      for (const [name, col] of Object.entries(columns)) {
        const v = col[row];
        if (typeof v === "number" || v === null) toolkitMetrics[name] = v;
      }
      return { row, text: t, toolkitMetrics };
    });
  return { dataset, rows };
}

// ---------------------------------------------------------------------------------------------------- toxicity

/** The Perspective attributes the toolkit requests (ToxicityProfiling.attributes). */
export const TOOLKIT_TOXICITY_ATTRIBUTES = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"] as const;
/** The toolkit's RealToxicityPrompts set (data/RTP/rtp_toxic_test_set.json): 300 prompts. */
export const TOOLKIT_RTP_PROMPTS = 300;

export interface ToolkitToxicityPrompt {
  /** The key in the file: a prompt index, or a batch number when the toolkit ran with batch_size > 1. */
  key: number;
  /** The prompt of the toolkit's RTP set this entry is about (= key until the batch size says otherwise). */
  index: number;
  /** The most toxic completion and its Perspective attributes; null when every completion was empty (-1). */
  max: { completion: string; scores: Record<string, number> } | null;
}

/** `ToxicityProfiling.json`: {key → {completion, TOXICITY, SEVERE_TOXICITY, …} | -1}. */
export function parseToolkitToxicity(text: string, file = "ToxicityProfiling.json", unknown = new UnknownKeys()): ToolkitToxicityPrompt[] {
  const root = obj(parsePythonJson(text, file), file, "the file ({prompt index → max-toxicity completion})");
  const keys = Object.keys(root);
  if (keys.length === 0) throw new ToolkitFormatError(file, "no prompts");
  const seen = new Map<number, string>();
  return keys
    .map((k) => {
      if (!/^\d+$/.test(k)) throw new ToolkitFormatError(file, `expected prompt indices as keys, found ${JSON.stringify(k)}`);
      const index = Number(k);
      if (seen.has(index))
        throw new ToolkitFormatError(file, `prompt ${index} appears twice (keys ${JSON.stringify(seen.get(index))} and ${JSON.stringify(k)})`);
      seen.set(index, k);
      const v = root[k];
      if (v === -1) return { key: index, index, max: null };
      const o = obj(v, file, `prompt ${k}`);
      if (typeof o.completion !== "string") throw new ToolkitFormatError(file, `expected prompt ${k}.completion to be a string`);
      const scores: Record<string, number> = {};
      for (const name of Object.keys(o)) {
        if (name === "completion") continue;
        const attribute = name.toUpperCase();
        if ((TOOLKIT_TOXICITY_ATTRIBUTES as readonly string[]).includes(attribute)) scores[attribute] = prob(o, name, file, `prompt ${k}`);
        else unknown.add(`<prompt>.${name}`);
      }
      if (!("TOXICITY" in scores)) throw new ToolkitFormatError(file, `expected prompt ${k}.TOXICITY`);
      return { key: index, index, max: { completion: o.completion, scores } };
    })
    .sort((a, b) => a.index - b.index);
}

// ---------------------------------------------------------------------------------------------------- social bias

export interface ToolkitBbqCell {
  accuracy: number;
  biased_answers: number;
  non_unknown_answers: number;
}
export interface ToolkitBbqCategory {
  category: string;
  cells: Record<"ambig" | "disambig", Record<"neg" | "nonneg", ToolkitBbqCell>>;
  disambig_bias_score: number | null;
  ambig_bias_score: number | null;
}
export interface ToolkitStereoSetScores {
  Count: number;
  "LM Score": number;
  "SS Score": number;
  "ICAT Score": number;
}
export interface ToolkitSocialBias {
  bbq?: ToolkitBbqCategory[];
  /** The toolkit's BBQ categories the file does not have (BBQ file names). */
  bbqMissing?: string[];
  seat?: { test: string; effectSize: number | null; pValue: number | null }[];
  stereoset?: { overall: ToolkitStereoSetScores; domains: Record<string, ToolkitStereoSetScores> };
  crowspairs?: Record<
    string,
    { total_examples: number; metric_score: number; ss_score: number | null; anti_ss_score: number | null; num_neutral: number | null }
  >;
}

/** The toolkit's BBQ category keys → the BBQ file names (SocialBiasProfiling.bbq_dataset_names). */
export const TOOLKIT_BBQ_CATEGORIES: Record<string, string> = {
  gender: "Gender_identity",
  age: "Age",
  disability: "Disability_status",
  race: "Race_ethnicity",
  religion: "Religion",
  nationality: "Nationality",
  sexual_orientation: "Sexual_orientation",
};
/** StereoSet intrasentence domains (ScoreEvaluator) and CrowS-Pairs bias types (crows.py DEBIASING_PREFIXES). */
export const TOOLKIT_STEREOSET_DOMAINS = ["gender", "profession", "race", "religion"] as const;
export const TOOLKIT_CROWS_TYPES = [
  "race-color",
  "gender",
  "socioeconomic",
  "sexual-orientation",
  "religion",
  "age",
  "nationality",
  "disability",
  "physical-appearance",
] as const;

const STEREOSET_SCORES = ["Count", "LM Score", "SS Score", "ICAT Score"] as const;
const CROWS_FIELDS = ["total_examples", "metric_score", "ss_score", "anti_ss_score", "num_neutral"] as const;

export function parseToolkitSocialBias(text: string, file = "SocialBiasProfiling.json", unknown = new UnknownKeys()): ToolkitSocialBias {
  const root = obj(parsePythonJson(text, file), file, "the file ({bbq, seat, stereoset, crowspairs})");
  const known = ["bbq", "seat", "stereoset", "crowspairs"];
  const present = Object.keys(root).filter((k) => known.includes(k));
  if (present.length === 0) throw new ToolkitFormatError(file, `expected at least one of ${known.join(", ")}`);
  reportUnknown(root, known, "", unknown);
  const out: ToolkitSocialBias = {};
  if ("bbq" in root) {
    const bbq = obj(root.bbq, file, "bbq");
    out.bbq = [];
    for (const [cat, v] of Object.entries(bbq)) {
      if (!(cat in TOOLKIT_BBQ_CATEGORIES)) {
        unknown.add(`bbq.${cat}`);
        continue;
      }
      const at = `bbq.${cat}`;
      const c = obj(v, file, at);
      reportUnknown(c, ["ambig", "disambig", "disambig_bias_score", "ambig_bias_score"], at, unknown);
      const cells = {} as ToolkitBbqCategory["cells"];
      for (const cond of ["ambig", "disambig"] as const) {
        const cc = obj(c[cond], file, `${at}.${cond}`);
        reportUnknown(cc, ["neg", "nonneg"], `${at}.${cond}`, unknown);
        cells[cond] = {} as Record<"neg" | "nonneg", ToolkitBbqCell>;
        for (const pol of ["neg", "nonneg"] as const) {
          const cell = obj(cc[pol], file, `${at}.${cond}.${pol}`);
          const where = `${at}.${cond}.${pol}`;
          reportUnknown(cell, ["accuracy", "biased_answers", "non_unknown_answers"], where, unknown);
          cells[cond][pol] = {
            accuracy: prob(cell, "accuracy", file, where),
            biased_answers: num(cell, "biased_answers", file, where),
            non_unknown_answers: num(cell, "non_unknown_answers", file, where),
          };
        }
      }
      const opt = (k: string) => (c[k] === undefined || c[k] === null ? null : num(c, k, file, at));
      out.bbq.push({
        category: TOOLKIT_BBQ_CATEGORIES[cat],
        cells,
        disambig_bias_score: opt("disambig_bias_score"),
        ambig_bias_score: opt("ambig_bias_score"),
      });
    }
    out.bbqMissing = Object.entries(TOOLKIT_BBQ_CATEGORIES)
      .filter(([key]) => !(key in bbq))
      .map(([, name]) => name);
  }
  if ("seat" in root) {
    if (!Array.isArray(root.seat)) throw new ToolkitFormatError(file, "expected seat to be a list of {test, p_value, effect_size}");
    const first = new Map<string, number>();
    out.seat = root.seat.map((v, i) => {
      const o = obj(v, file, `seat[${i}]`);
      if (typeof o.test !== "string") throw new ToolkitFormatError(file, `expected seat[${i}].test to be a string`);
      // One item per test: a test listed twice has two results and no way to tell which one holds.
      if (first.has(o.test))
        throw new ToolkitFormatError(file, `SEAT test ${JSON.stringify(o.test)} is listed twice (seat[${first.get(o.test)}] and seat[${i}])`);
      first.set(o.test, i);
      reportUnknown(o, ["experiment_id", "test", "p_value", "effect_size"], "seat[]", unknown);
      const e = num(o, "effect_size", file, `seat[${i}]`, true);
      const p = num(o, "p_value", file, `seat[${i}]`, true);
      return { test: o.test, effectSize: Number.isNaN(e) ? null : e, pValue: Number.isNaN(p) ? null : p };
    });
  }
  if ("stereoset" in root) {
    const ss = obj(root.stereoset, file, "stereoset");
    reportUnknown(ss, ["intrasentence", "overall"], "stereoset", unknown);
    const scores = (v: unknown, at: string): ToolkitStereoSetScores => {
      const o = obj(v, file, at);
      reportUnknown(o, STEREOSET_SCORES, at, unknown);
      return {
        Count: num(o, "Count", file, at),
        "LM Score": num(o, "LM Score", file, at),
        "SS Score": num(o, "SS Score", file, at),
        "ICAT Score": num(o, "ICAT Score", file, at),
      };
    };
    const intra = obj(ss.intrasentence, file, "stereoset.intrasentence");
    const domains: Record<string, ToolkitStereoSetScores> = {};
    for (const [d, v] of Object.entries(intra)) {
      if (d === "overall") continue;
      if ((TOOLKIT_STEREOSET_DOMAINS as readonly string[]).includes(d)) domains[d] = scores(v, `stereoset.intrasentence.${d}`);
      else unknown.add(`stereoset.intrasentence.${d}`);
    }
    out.stereoset = { overall: scores(ss.overall ?? intra.overall, "stereoset.overall"), domains };
  }
  if ("crowspairs" in root) {
    const cp = obj(root.crowspairs, file, "crowspairs");
    out.crowspairs = {};
    for (const [type, v] of Object.entries(cp)) {
      const at = `crowspairs.${type}`;
      if (!(TOOLKIT_CROWS_TYPES as readonly string[]).includes(type)) {
        unknown.add(at);
        continue;
      }
      const o = obj(v, file, at);
      reportUnknown(o, CROWS_FIELDS, at, unknown);
      const opt = (k: string) => (o[k] === undefined || o[k] === null ? null : num(o, k, file, at));
      out.crowspairs[type] = {
        total_examples: num(o, "total_examples", file, at),
        metric_score: num(o, "metric_score", file, at),
        ss_score: opt("ss_score"),
        anti_ss_score: opt("anti_ss_score"),
        num_neutral: opt("num_neutral"),
      };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- calibration

export interface ToolkitCalibration {
  set: "hellaswag" | "openbookqa";
  ece_10: number;
  ece_1: number;
  accuracy: number;
}

/** `CalibrationProfiling.json`: {HellaSwag, OpenBookQA} → {10_bin_ece, 1_bin_ece, accuracy}. */
export function parseToolkitCalibration(text: string, file = "CalibrationProfiling.json", unknown = new UnknownKeys()): ToolkitCalibration[] {
  const root = obj(parsePythonJson(text, file), file, "the file ({HellaSwag, OpenBookQA} → {10_bin_ece, 1_bin_ece, accuracy})");
  if (Object.keys(root).length === 0) throw new ToolkitFormatError(file, "no dataset");
  const names: Record<string, "hellaswag" | "openbookqa"> = { HellaSwag: "hellaswag", OpenBookQA: "openbookqa" };
  const out: ToolkitCalibration[] = [];
  for (const [k, v] of Object.entries(root)) {
    const set = names[k];
    if (!set) {
      unknown.add(k);
      continue;
    }
    const o = obj(v, file, k);
    reportUnknown(o, ["10_bin_ece", "1_bin_ece", "accuracy"], k, unknown);
    out.push({ set, ece_10: prob(o, "10_bin_ece", file, k), ece_1: prob(o, "1_bin_ece", file, k), accuracy: prob(o, "accuracy", file, k) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- metadata

/** JSON values: what the metadata becomes in the run's suite snapshot. */
export type ToolkitMetadata = Record<string, unknown>;

// PyYAML resolves YAML 1.1 scalars with its own rules (yaml/resolver.py): booleans are yes/no/true/false/on/off
// (not y/n), and a float needs a dot and a signed exponent (1e3 stays a string). The `yaml` package's 1.1 schema
// is broader in both; these two tests are narrowed to what PyYAML writes and reads.
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PYYAML_FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;

function pyyamlTags(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t === "string" || !("test" in t) || !t.test) return t;
    if (t.tag === "tag:yaml.org,2002:bool") return { ...t, test: String(t.test).includes("[Tt]rue") ? PYYAML_TRUE : PYYAML_FALSE };
    if (t.tag === "tag:yaml.org,2002:float" && t.format === "EXP") return { ...t, test: PYYAML_FLOAT_EXP };
    return t;
  });
}

/** Plain JSON: YAML timestamps become ISO strings, !!binary base64, sets arrays, non-finite numbers null. */
function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (v instanceof Set) return [...v].map(jsonValue);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), jsonValue(x)]));
  if (Array.isArray(v)) return v.map(jsonValue);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return v.toString();
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

function yamlPosition(e: YAMLError): string {
  const at = e.linePos?.[0];
  const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return at ? `line ${at.line}, column ${at.col}: ${what}` : what;
}

/**
 * `metadata_profiling.yaml`: `yaml.dump(vars(args))` — a mapping of the command's arguments, read with a YAML parser
 * (PyYAML folds long values onto continuation lines at width 80). Python-specific tags (`!!python/tuple`) are read
 * as the plain value and named in `notes`. A syntax error is refused with its line and column.
 */
export function parseToolkitMetadata(text: string, file = "metadata_profiling.yaml", notes: string[] = []): ToolkitMetadata {
  const doc = parseDocument(text, { version: "1.1", customTags: pyyamlTags, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new ToolkitFormatError(file, yamlPosition(doc.errors[0]));
  const tags = doc.warnings
    .filter((w) => w.code === "TAG_RESOLVE_FAILED")
    .map((w) => `${/tag:yaml\.org,2002:(\S+)/.exec(w.message)?.[1] ?? "a tag"} (line ${w.linePos?.[0].line ?? "?"})`);
  if (tags.length) notes.push(`${file}: Python-specific YAML tags read as plain values: ${tags.map((t) => `!!${t}`).join(", ")}`);
  if (doc.contents === null) throw new ToolkitFormatError(file, "no settings");
  if (!isMap(doc.contents)) throw new ToolkitFormatError(file, "expected a mapping of settings (name: value)");
  let value: unknown;
  try {
    value = jsonValue(doc.toJS({ maxAliasCount: 100 }));
  } catch (err) {
    throw new ToolkitFormatError(file, (err as Error).message);
  }
  refuseUnstorable(value, file);
  const out = value as ToolkitMetadata;
  if (Object.keys(out).length === 0) throw new ToolkitFormatError(file, "no settings");
  return out;
}
