/**
 * The metric catalogue: every metric id of METRICS.md with its label, category, unit, better
 * direction, per-sample flag, reference and a one-sentence description. Everything that shows,
 * compares or exports a metric reads it from here.
 *
 * Sub-metric ids: `<base id>@<slice>`, where the slice is the benchmark's own label, verbatim:
 * the StereoSet domains (`stereoset_ss@gender`, … for lms, ss and icat) and the 9 CrowS-Pairs bias
 * types of the CSV's `bias_type` column (`crows_pairs_metric@race-color`, …). A sub-metric inherits
 * everything but its id and labels from its base. Not in the catalogue (they are not METRICS.md ids):
 * the CrowS-Pairs stereo-only / anti-stereo-only scores and % ties, and BBQ per-category figures;
 * both stay in their benchmark reports.
 */

export const METRIC_CATEGORIES = ["textual", "social_bias", "toxicity", "calibration", "attributes"] as const;
export type MetricCategory = (typeof METRIC_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<MetricCategory, string> = {
  textual: "Textual characteristics",
  social_bias: "Social bias",
  toxicity: "Toxicity",
  calibration: "Calibration",
  attributes: "Custom attributes",
};

/** `target:<v>`: the closer to v, the better. */
export type BetterDirection = "higher" | "lower" | "neutral" | `target:${number}`;

export interface MetricDefinition {
  id: string;
  /** Paper-ready name. */
  label: string;
  /** For table headers and axes where the label is too long. */
  shortLabel?: string;
  category: MetricCategory;
  /** Unit of the value as stored ("" for a pure number). */
  unit: string;
  better: BetterDirection;
  /** Computed per generation / per prompt and aggregated as a mean with a bootstrap CI. */
  perSample: boolean;
  reference: string;
  description: string;
  /** For sub-metrics: the base metric id and the slice after "@". */
  baseId?: string;
  slice?: string;
}

// ---------------------------------------------------------------------------------------------
// Base metrics

const TEXTUAL_REFERENCE = "textstat 0.7.4";

const textual: MetricDefinition[] = [
  {
    id: "length_words",
    label: "Length (words)",
    shortLabel: "Words",
    category: "textual",
    unit: "words",
    better: "neutral",
    perSample: true,
    reference: TEXTUAL_REFERENCE,
    description: "Number of words after deleting punctuation and splitting on whitespace.",
  },
  {
    id: "length_chars",
    label: "Length (characters)",
    shortLabel: "Characters",
    category: "textual",
    unit: "characters",
    better: "neutral",
    perSample: true,
    reference: TEXTUAL_REFERENCE,
    description: "Number of non-whitespace characters, punctuation included.",
  },
  {
    id: "length_sentences",
    label: "Length (sentences)",
    shortLabel: "Sentences",
    category: "textual",
    unit: "sentences",
    better: "neutral",
    perSample: true,
    reference: TEXTUAL_REFERENCE,
    description: "Number of sentences of more than two words, at least one.",
  },
  {
    id: "length_tokens",
    label: "Length (tokens)",
    shortLabel: "Tokens",
    category: "textual",
    unit: "tokens",
    better: "neutral",
    perSample: true,
    reference: "endpoint usage",
    description: "Completion tokens as reported by the model endpoint, when it reports them.",
  },
  {
    id: "mean_sentence_length",
    label: "Mean sentence length",
    shortLabel: "Words/sentence",
    category: "textual",
    unit: "words",
    better: "neutral",
    perSample: true,
    reference: TEXTUAL_REFERENCE,
    description: "Words divided by sentences.",
  },
  {
    id: "mean_word_length",
    label: "Mean word length",
    shortLabel: "Letters/word",
    category: "textual",
    unit: "letters",
    better: "neutral",
    perSample: true,
    reference: TEXTUAL_REFERENCE,
    description: "Letters (characters other than punctuation) divided by words.",
  },
  {
    id: "ttr",
    label: "Type–token ratio",
    shortLabel: "TTR",
    category: "textual",
    unit: "",
    better: "higher",
    perSample: true,
    reference: "Templin 1957; lexicalrichness 0.5.1",
    description: "Distinct tokens divided by tokens, with lexicalrichness's tokenizer.",
  },
  {
    id: "mtld",
    label: "Measure of textual lexical diversity",
    shortLabel: "MTLD",
    category: "textual",
    unit: "tokens",
    better: "higher",
    perSample: true,
    reference: "McCarthy & Jarvis 2010; lexicalrichness 0.5.1",
    description: "Mean length of the token runs that keep a type–token ratio above 0.72, averaged over a forward and a backward pass.",
  },
  {
    id: "flesch_reading_ease",
    label: "Flesch reading ease",
    shortLabel: "FRE",
    category: "textual",
    unit: "score",
    better: "neutral",
    perSample: true,
    reference: "Flesch 1948; textstat 0.7.4",
    description: "Readability score from sentence length and syllables per word; higher reads more easily.",
  },
  {
    id: "flesch_kincaid_grade",
    label: "Flesch–Kincaid grade level",
    shortLabel: "FKGL",
    category: "textual",
    unit: "grade",
    better: "neutral",
    perSample: true,
    reference: "Kincaid et al. 1975; textstat 0.7.4",
    description: "US school grade estimated from sentence length and syllables per word.",
  },
  {
    id: "gunning_fog",
    label: "Gunning fog index",
    shortLabel: "Fog",
    category: "textual",
    unit: "grade",
    better: "neutral",
    perSample: true,
    reference: "Gunning 1952; TextDescriptives 2.8.2",
    description: "Years of schooling estimated from sentence length and the share of words of three or more syllables.",
  },
  {
    id: "smog",
    label: "SMOG index",
    shortLabel: "SMOG",
    category: "textual",
    unit: "grade",
    better: "neutral",
    perSample: true,
    reference: "McLaughlin 1969; textstat 0.7.4",
    description: "Grade level from the number of polysyllabic words per 30 sentences; needs at least three sentences.",
  },
  {
    id: "coleman_liau",
    label: "Coleman–Liau index",
    shortLabel: "CLI",
    category: "textual",
    unit: "grade",
    better: "neutral",
    perSample: true,
    reference: "Coleman & Liau 1975",
    description: "Grade level from letters per 100 words and sentences per 100 words.",
  },
  {
    id: "automated_readability_index",
    label: "Automated readability index",
    shortLabel: "ARI",
    category: "textual",
    unit: "grade",
    better: "neutral",
    perSample: true,
    reference: "Senter & Smith 1967; textstat 0.7.4",
    description: "Grade level from characters per word and words per sentence.",
  },
  {
    id: "lix",
    label: "LIX readability",
    shortLabel: "LIX",
    category: "textual",
    unit: "score",
    better: "neutral",
    perSample: true,
    reference: "Björnsson 1968",
    description: "Words per sentence plus the percentage of words longer than six characters.",
  },
  {
    id: "rix",
    label: "RIX readability",
    shortLabel: "RIX",
    category: "textual",
    unit: "long words/sentence",
    better: "neutral",
    perSample: true,
    reference: "Anderson 1983",
    description: "Words longer than six characters per sentence.",
  },
];

const socialBias: MetricDefinition[] = [
  {
    id: "stereoset_lms",
    label: "StereoSet language modeling score",
    shortLabel: "StereoSet LMS",
    category: "social_bias",
    unit: "%",
    better: "higher",
    perSample: false,
    reference: "Nadeem et al. 2021",
    description: "How often the stereotypical and anti-stereotypical sentences outscore the unrelated one, macro-averaged over target terms.",
  },
  {
    id: "stereoset_ss",
    label: "StereoSet stereotype score",
    shortLabel: "StereoSet SS",
    category: "social_bias",
    unit: "%",
    better: "target:50",
    perSample: false,
    reference: "Nadeem et al. 2021",
    description: "How often the model prefers the stereotypical over the anti-stereotypical sentence, macro-averaged over target terms; 50 is unbiased.",
  },
  {
    id: "stereoset_icat",
    label: "StereoSet idealized CAT score",
    shortLabel: "StereoSet ICAT",
    category: "social_bias",
    unit: "score",
    better: "higher",
    perSample: false,
    reference: "Nadeem et al. 2021",
    description: "Language modeling score scaled down by how far the stereotype score is from 50.",
  },
  {
    id: "crows_pairs_metric",
    label: "CrowS-Pairs stereotype score",
    shortLabel: "CrowS-Pairs",
    category: "social_bias",
    unit: "%",
    better: "target:50",
    perSample: false,
    reference: "Nangia et al. 2020",
    description: "Share of minimal pairs where the more stereotyping sentence scores higher; 50 is unbiased.",
  },
  {
    id: "bbq_accuracy_ambig",
    label: "BBQ accuracy (ambiguous contexts)",
    shortLabel: "BBQ acc. ambig.",
    category: "social_bias",
    unit: "proportion",
    better: "higher",
    perSample: false,
    reference: "Parrish et al. 2022",
    description: "Share of ambiguous-context questions answered correctly, i.e. with the unknown option.",
  },
  {
    id: "bbq_accuracy_disambig",
    label: "BBQ accuracy (disambiguated contexts)",
    shortLabel: "BBQ acc. disambig.",
    category: "social_bias",
    unit: "proportion",
    better: "higher",
    perSample: false,
    reference: "Parrish et al. 2022",
    description: "Share of disambiguated-context questions answered correctly.",
  },
  {
    id: "bbq_bias_ambig",
    label: "BBQ bias score (ambiguous contexts)",
    shortLabel: "BBQ bias ambig.",
    category: "social_bias",
    unit: "score",
    better: "target:0",
    perSample: false,
    reference: "Parrish et al. 2022",
    description: "Tendency of non-unknown answers to follow the stereotype in ambiguous contexts, scaled by the error rate; 0 is unbiased.",
  },
  {
    id: "bbq_bias_disambig",
    label: "BBQ bias score (disambiguated contexts)",
    shortLabel: "BBQ bias disambig.",
    category: "social_bias",
    unit: "score",
    better: "target:0",
    perSample: false,
    reference: "Parrish et al. 2022",
    description: "Tendency of non-unknown answers to follow the stereotype in disambiguated contexts, from −1 to 1; 0 is unbiased.",
  },
  {
    id: "seat_effect_size",
    label: "SEAT effect size",
    shortLabel: "SEAT |d|",
    category: "social_bias",
    unit: "effect size",
    better: "target:0",
    perSample: false,
    reference: "May et al. 2019",
    description: "Mean absolute effect size of the sentence-embedding association tests; 0 means no association.",
  },
];

const TOXICITY_REFERENCE = "Gehman et al. 2020";
const PERSPECTIVE_ATTRIBUTES: [attribute: string, id: string, label: string][] = [
  ["SEVERE_TOXICITY", "expected_max_severe_toxicity", "severe toxicity"],
  ["IDENTITY_ATTACK", "expected_max_identity_attack", "identity attack"],
  ["INSULT", "expected_max_insult", "insult"],
  ["PROFANITY", "expected_max_profanity", "profanity"],
  ["THREAT", "expected_max_threat", "threat"],
];

const toxicity: MetricDefinition[] = [
  {
    id: "expected_max_toxicity",
    label: "Expected maximum toxicity",
    shortLabel: "Exp. max tox.",
    category: "toxicity",
    unit: "probability",
    better: "lower",
    perSample: true,
    reference: TOXICITY_REFERENCE,
    description: "Mean over prompts of the highest toxicity score among the prompt's sampled continuations.",
  },
  {
    id: "toxicity_probability",
    label: "Toxicity probability",
    shortLabel: "Tox. prob.",
    category: "toxicity",
    unit: "proportion",
    better: "lower",
    perSample: true,
    reference: TOXICITY_REFERENCE,
    description: "Share of prompts with at least one continuation scored toxic (0.5 or more by default).",
  },
  ...PERSPECTIVE_ATTRIBUTES.map(
    ([attribute, id, label]): MetricDefinition => ({
      id,
      label: `Expected maximum ${label}`,
      shortLabel: `Exp. max ${label}`,
      category: "toxicity",
      unit: "probability",
      better: "lower",
      perSample: true,
      reference: `${TOXICITY_REFERENCE}; Perspective API ${attribute}`,
      description: `Mean over prompts of the highest ${attribute} score among the prompt's sampled continuations.`,
    }),
  ),
];

export const CALIBRATION_SETS = [
  { set: "hellaswag", label: "HellaSwag", reference: "Zellers et al. 2019" },
  { set: "openbookqa", label: "OpenBookQA", reference: "Mihaylov et al. 2018" },
] as const;

const calibration: MetricDefinition[] = CALIBRATION_SETS.flatMap(({ set, label, reference }): MetricDefinition[] => [
  {
    id: `${set}_accuracy`,
    label: `${label} accuracy`,
    shortLabel: `${label} acc.`,
    category: "calibration",
    unit: "proportion",
    better: "higher",
    perSample: false,
    reference,
    description: `Share of ${label} items whose highest-scoring option is the correct one.`,
  },
  {
    id: `${set}_ece_10`,
    label: `${label} ECE (10 equal-mass bins)`,
    shortLabel: `${label} ECE`,
    category: "calibration",
    unit: "probability",
    better: "lower",
    perSample: false,
    reference: `${reference}; Kumar et al. 2019 (verified_calibration)`,
    description: "Top-label calibration error over ten bins holding equally many items: weighted gap between accuracy and confidence.",
  },
  {
    id: `${set}_ece_1`,
    label: `${label} ECE (one bin)`,
    shortLabel: `${label} ECE-1`,
    category: "calibration",
    unit: "probability",
    better: "lower",
    perSample: false,
    reference,
    description: "Absolute gap between mean confidence and accuracy over all items.",
  },
  {
    id: `${set}_ece_10_width`,
    label: `${label} ECE (10 equal-width bins)`,
    shortLabel: `${label} ECE-w`,
    category: "calibration",
    unit: "probability",
    better: "lower",
    perSample: false,
    reference: `${reference}; Naeini et al. 2015`,
    description: "Top-label calibration error over ten confidence bins of width 0.1.",
  },
  {
    id: `${set}_mce_10`,
    label: `${label} MCE (10 equal-width bins)`,
    shortLabel: `${label} MCE`,
    category: "calibration",
    unit: "probability",
    better: "lower",
    perSample: false,
    reference: `${reference}; Naeini et al. 2015`,
    description: "Largest gap between accuracy and confidence among the non-empty equal-width bins.",
  },
  {
    id: `${set}_brier`,
    label: `${label} Brier score`,
    shortLabel: `${label} Brier`,
    category: "calibration",
    unit: "score",
    better: "lower",
    perSample: false,
    reference: `${reference}; Brier 1950`,
    description: "Mean squared distance between the option probabilities and the one-hot correct answer.",
  },
]);

// ---------------------------------------------------------------------------------------------
// Sub-metrics

/** StereoSet intrasentence domains (the `bias_type` of its items). */
export const STEREOSET_DOMAIN_SLICES = ["gender", "profession", "race", "religion"] as const;
/** CrowS-Pairs bias types, as in the CSV's `bias_type` column. */
export const CROWS_PAIRS_SLICES = [
  "race-color",
  "socioeconomic",
  "gender",
  "disability",
  "nationality",
  "sexual-orientation",
  "physical-appearance",
  "religion",
  "age",
] as const;

const SLICE_SEPARATOR = "@";

/** `<base>@<slice>`. */
export function subMetricId(baseId: string, slice: string): string {
  return `${baseId}${SLICE_SEPARATOR}${slice}`;
}

/** Splits `<base>@<slice>`; a base id has no slice. */
export function splitMetricId(id: string): { baseId: string; slice: string | null } {
  const at = id.indexOf(SLICE_SEPARATOR);
  return at < 0 ? { baseId: id, slice: null } : { baseId: id.slice(0, at), slice: id.slice(at + 1) };
}

function sliceLabel(slice: string): string {
  return slice.replace(/-/g, " ");
}

function subMetrics(base: MetricDefinition, slices: readonly string[], noun: string): MetricDefinition[] {
  return slices.map((slice) => ({
    ...base,
    id: subMetricId(base.id, slice),
    label: `${base.label} (${sliceLabel(slice)})`,
    shortLabel: `${base.shortLabel ?? base.label} (${sliceLabel(slice)})`,
    description: `${base.description.replace(/\.$/, "")}, ${noun} ${sliceLabel(slice)} only.`,
    baseId: base.id,
    slice,
  }));
}

const baseMetrics: readonly MetricDefinition[] = [...textual, ...socialBias, ...toxicity, ...calibration];
const baseById = new Map(baseMetrics.map((m) => [m.id, m]));

const slicedMetrics: MetricDefinition[] = [
  ...["stereoset_lms", "stereoset_ss", "stereoset_icat"].flatMap((id) => subMetrics(baseById.get(id)!, STEREOSET_DOMAIN_SLICES, "domain")),
  ...subMetrics(baseById.get("crows_pairs_metric")!, CROWS_PAIRS_SLICES, "bias type"),
];

// ---------------------------------------------------------------------------------------------
// Catalogue

/** Every metric, base metrics first (in METRICS.md order), then the sub-metrics. */
export const METRICS: readonly MetricDefinition[] = Object.freeze([...baseMetrics, ...slicedMetrics].map((m) => Object.freeze(m)));

const byId = new Map(METRICS.map((m) => [m.id, m]));

export function getMetric(id: string): MetricDefinition | undefined {
  return byId.get(id) ?? customMetric(id) ?? scorerAttributeMetric(id);
}

// Custom attributes (lib/attributes, docs/attributes.md) are defined in the database, not here: their metric ids are
// `attr_<slug>`, and their definitions (latest version's unit and direction) are registered by whoever read them
// (loadAttributeMetrics in lib/attributes/store.ts) so that this lookup stays synchronous and pure.
// On globalThis: Next bundles a page and a route handler separately, and each would otherwise hold its own map (in
// the browser, the pages register what their server component read: components/custom-metrics.tsx).
export const CUSTOM_METRIC_PREFIX = "attr_";
const registry = globalThis as { __lineageCustomMetrics?: Map<string, MetricDefinition> };
const customMetrics = (registry.__lineageCustomMetrics ??= new Map<string, MetricDefinition>());

/** Replaces the registered custom-attribute metrics (all of them: a deleted attribute disappears). */
export function setCustomMetrics(defs: readonly MetricDefinition[]): void {
  customMetrics.clear();
  for (const d of defs) customMetrics.set(d.id, Object.freeze({ ...d }));
}

/** The registered custom-attribute metrics, in registration order. */
export function customMetricList(): MetricDefinition[] {
  return [...customMetrics.values()];
}

/** A registered attribute, or for an `attr_` id not (yet) registered in this process a neutral stand-in named by its id. */
function customMetric(id: string): MetricDefinition | undefined {
  if (!id.startsWith(CUSTOM_METRIC_PREFIX)) return undefined;
  const known = customMetrics.get(id);
  if (known) return known;
  if (!/^attr_[a-z0-9]+(?:_[a-z0-9]+)*$/.test(id)) return undefined;
  return {
    id,
    label: id.slice(CUSTOM_METRIC_PREFIX.length).replace(/_/g, " "),
    category: "attributes",
    unit: "",
    better: "neutral",
    perSample: true,
    reference: "custom attribute",
    description: "A custom attribute (its definition was not loaded).",
  };
}

export function isMetricId(id: unknown): id is string {
  return typeof id === "string" && getMetric(id) !== undefined;
}

const attributeMetrics = new Map<string, MetricDefinition>();

/**
 * `expected_max_<attribute>` of an attribute a configured scorer reports beyond Perspective's (a classifier's
 * label such as HATE, a moderation category such as harassment/threatening): named after the attribute, lower is
 * better (scorers report the probability of a harmful attribute; a classifier's complement labels such as
 * "non-toxic" are not kept as attributes, see lib/scorers/http-classifier.ts).
 */
function scorerAttributeMetric(id: string): MetricDefinition | undefined {
  const m = /^expected_max_([a-z0-9]+(?:_[a-z0-9]+)*)$/.exec(id);
  if (!m) return undefined;
  let def = attributeMetrics.get(id);
  if (!def) {
    const name = m[1].replace(/_/g, " ");
    def = Object.freeze({
      id,
      label: `Expected maximum ${name}`,
      shortLabel: `Exp. max ${name}`,
      category: "toxicity",
      unit: "probability",
      better: "lower",
      perSample: true,
      reference: `${TOXICITY_REFERENCE}; the scorer's ${m[1].toUpperCase()} attribute`,
      description: `Mean over prompts of the highest ${m[1].toUpperCase()} score among the prompt's sampled continuations, as the configured scorer reports it.`,
    } satisfies MetricDefinition);
    attributeMetrics.set(id, def);
  }
  return def;
}

/** Metrics grouped by category, catalogue order kept. */
export function metricsByCategory(options: { includeSubMetrics?: boolean } = {}): Record<MetricCategory, MetricDefinition[]> {
  const groups: Record<MetricCategory, MetricDefinition[]> = {
    textual: [],
    social_bias: [],
    toxicity: [],
    calibration: [],
    attributes: customMetricList(),
  };
  for (const m of METRICS) if (options.includeSubMetrics !== false || m.baseId === undefined) groups[m.category].push(m);
  return groups;
}

export type ParsedDirection = { kind: "higher" } | { kind: "lower" } | { kind: "neutral" } | { kind: "target"; target: number };

/** Parses a better direction; `target:<v>` needs a finite number. */
export function parseBetter(better: BetterDirection): ParsedDirection {
  if (better === "higher" || better === "lower" || better === "neutral") return { kind: better };
  const raw = better.slice("target:".length);
  const target = raw.trim() === "" ? NaN : Number(raw);
  if (!better.startsWith("target:") || !Number.isFinite(target)) throw new Error(`invalid better direction "${better}"`);
  return { kind: "target", target };
}

/** The better direction of a metric id (sub-metrics included); throws for an unknown id. */
export function betterDirection(id: string): ParsedDirection {
  const metric = byId.get(id) ?? customMetric(id);
  if (!metric) throw new Error(`unknown metric "${id}"`);
  return parseBetter(metric.better);
}

export type Comparison = "better" | "worse" | "same" | "neutral";

/**
 * Relative tolerance under which two values (or two distances to a target) are equal: aggregates computed in
 * different orders differ in their last bits (66.666…67 and 33.333…336 are equally far from 50), and such noise
 * must never make one model "better".
 */
export const TIE_TOLERANCE = 1e-9;

/** |a − b| ≤ TIE_TOLERANCE·max(|a|, |b|). */
export function nearlyEqual(a: number, b: number, tolerance = TIE_TOLERANCE): boolean {
  return a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Whether `a` is better than `b` for this metric. "neutral" for metrics without a better direction
 * (length, readability), "same" when equally good: values (higher, lower) or distances to v (target:v) equal
 * within a relative TIE_TOLERANCE.
 */
export function compareForBetter(id: string, a: number, b: number): Comparison {
  const direction = betterDirection(id);
  if (Number.isNaN(a) || Number.isNaN(b)) throw new Error(`cannot compare NaN for "${id}"`);
  switch (direction.kind) {
    case "neutral":
      return "neutral";
    case "higher":
      return nearlyEqual(a, b) ? "same" : a > b ? "better" : "worse";
    case "lower":
      return nearlyEqual(a, b) ? "same" : a < b ? "better" : "worse";
    case "target": {
      const da = Math.abs(a - direction.target);
      const db = Math.abs(b - direction.target);
      return nearlyEqual(da, db) ? "same" : da < db ? "better" : "worse";
    }
  }
}

/** Whether `value` improves on `reference` (e.g. a student on its base model). */
export function isImprovement(id: string, reference: number, value: number): Comparison {
  return compareForBetter(id, value, reference);
}
