/**
 * Calibration of multiple-choice answers (METRICS.md §4): softmax over option scores, top-label confidence, and the
 * calibration errors computed from (confidence, correct) pairs.
 *
 * Binning follows verified_calibration (`calibration/utils.py`, the version with `get_ece_em`):
 * - equal mass (`get_equal_bins`, the paper's ECE): sort the confidences; split them into min(10, n) groups with
 *   numpy's array_split (the first n mod k groups get one extra); an edge sits at the midpoint between the last
 *   value of a group and the first of the next; 1.0 closes the last bin; duplicate edges are merged (so fewer than
 *   10 bins can remain).
 * - equal width (`get_equal_prob_bins`): edges k/10, k = 1..10.
 * - assignment (`np.searchsorted(edges, c)`, side "left"): a confidence goes to the first bin whose upper edge is
 *   ≥ it — bins are right-closed (lo, hi], the first one [0, hi]; a value on an edge belongs to the lower bin. This
 *   is by edges, not by the array_split groups: equal values that straddle a group boundary all land in one bin.
 * - ECE = Σ_b (n_b/n)·|acc_b − conf_b| (`plugin_ce`, p = 1); an empty bin contributes 0. MCE = max over non-empty
 *   bins of |acc_b − conf_b|.
 */

export interface ProbsInput {
  /** per item, the probability of every option (rows sum to 1) */
  probs: number[][];
  /** per item, the index of the correct option */
  labels: number[];
}

export interface ConfidenceInput {
  /** per item, the probability of the predicted option */
  confidence: number[];
  /** per item, 1 when the prediction was right */
  correct: (0 | 1)[];
}

export type CalibrationInput = ProbsInput | ConfidenceInput;

export interface ReliabilityBin {
  /** lower edge (exclusive, except 0 for the first bin) */
  lo: number;
  /** upper edge (inclusive) */
  hi: number;
  n: number;
  /** null for an empty bin */
  accuracy: number | null;
  /** null for an empty bin */
  meanConfidence: number | null;
}

export interface CalibrationReport {
  n: number;
  accuracy: number | null;
  /** top-label ECE, 10 equal-mass bins (the paper's) */
  ece_10: number | null;
  /** |mean confidence − accuracy| */
  ece_1: number | null;
  /** top-label ECE, 10 equal-width bins */
  ece_10_width: number | null;
  /** largest |accuracy − confidence| over non-empty equal-width bins */
  mce_10: number | null;
  /** multi-class Σ_k (p_k − y_k)² per item, averaged; (confidence − correct)² when only confidences are given */
  brier: number | null;
  /** reliability diagram of the equal-mass bins behind ece_10 */
  bins: ReliabilityBin[];
}

/** Tolerance on a probability row's sum; rows are not renormalised. */
export const PROB_SUM_TOLERANCE = 1e-3;
export const NUM_BINS = 10;

/** Softmax, shifted by the maximum so large scores do not overflow; -Infinity scores get probability 0. */
export function softmax(scores: readonly number[]): number[] {
  if (scores.length === 0) throw new RangeError("softmax of no scores");
  let max = -Infinity;
  for (const s of scores) {
    if (Number.isNaN(s) || s === Infinity) throw new RangeError(`score ${s} cannot enter a softmax`);
    if (s > max) max = s;
  }
  if (max === -Infinity) throw new RangeError("every score is -Infinity");
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Index of the largest value; the first one on a tie. */
export function argmax(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("argmax of nothing");
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** From option scores (mean token log-likelihoods): probabilities, predicted option and its confidence. */
export function optionPrediction(scores: readonly number[]): { probs: number[]; prediction: number; confidence: number } {
  const probs = softmax(scores);
  const prediction = argmax(probs);
  return { probs, prediction, confidence: probs[prediction] };
}

/** Thrown for input that is not a valid calibration input; the message says what and where. */
export class CalibrationInputError extends RangeError {}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  return typeof v === "object" ? "an object" : String(v);
}

/**
 * Check an untrusted value (e.g. parsed JSON) and return it typed. Rules: exactly one of the two forms; arrays of
 * equal, non-zero length; every probability row as long as the first, each value a number in [0, 1], the row summing
 * to 1 within PROB_SUM_TOLERANCE; labels integers in [0, options); confidences in [0, 1]; correct 0 or 1.
 */
export function validateCalibrationInput(value: unknown): CalibrationInput {
  const fail = (msg: string): never => {
    throw new CalibrationInputError(msg);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`expected a JSON object with "probs" and "labels" or "confidence" and "correct", got ${describe(value)}`);
  }
  const v = value as Record<string, unknown>;
  const hasProbs = "probs" in v || "labels" in v;
  const hasConf = "confidence" in v || "correct" in v;
  if (hasProbs && hasConf) return fail(`give either "probs"/"labels" or "confidence"/"correct", not both`);
  if (!hasProbs && !hasConf) return fail(`missing "probs" and "labels" (or "confidence" and "correct")`);

  const arrayField = (name: string): unknown[] => {
    if (!(name in v)) return fail(`missing "${name}"`);
    if (!Array.isArray(v[name])) return fail(`"${name}" must be an array, got ${describe(v[name])}`);
    return v[name] as unknown[];
  };
  const probability = (x: unknown, where: string): number => {
    if (typeof x !== "number" || !Number.isFinite(x)) return fail(`${where} is ${describe(x)}, expected a number in [0, 1]`);
    if (x < 0 || x > 1) return fail(`${where} is ${x}, outside [0, 1]`);
    return x;
  };

  if (hasProbs) {
    const probs = arrayField("probs");
    const labels = arrayField("labels");
    if (probs.length === 0) return fail(`"probs" is empty`);
    if (labels.length !== probs.length) {
      return fail(`"probs" has ${probs.length} items but "labels" has ${labels.length}`);
    }
    let width = -1;
    probs.forEach((row, i) => {
      if (!Array.isArray(row)) return fail(`probs[${i}] must be an array, got ${describe(row)}`);
      if (width === -1) {
        width = row.length;
        if (width === 0) return fail(`probs[0] is empty`);
      } else if (row.length !== width) {
        return fail(`probs[${i}] has ${row.length} values, expected ${width}`);
      }
      let sum = 0;
      row.forEach((x, k) => (sum += probability(x, `probs[${i}][${k}]`)));
      if (Math.abs(sum - 1) > PROB_SUM_TOLERANCE) {
        return fail(`probs[${i}] sums to ${sum}, expected 1 (±${PROB_SUM_TOLERANCE})`);
      }
    });
    labels.forEach((y, i) => {
      if (typeof y !== "number" || !Number.isInteger(y) || y < 0 || y >= width) {
        fail(`labels[${i}] is ${describe(y)}, expected an integer from 0 to ${width - 1}`);
      }
    });
    return { probs: probs as number[][], labels: labels as number[] };
  }

  const confidence = arrayField("confidence");
  const correct = arrayField("correct");
  if (confidence.length === 0) return fail(`"confidence" is empty`);
  if (correct.length !== confidence.length) {
    return fail(`"confidence" has ${confidence.length} items but "correct" has ${correct.length}`);
  }
  confidence.forEach((c, i) => probability(c, `confidence[${i}]`));
  correct.forEach((c, i) => {
    if (c !== 0 && c !== 1) fail(`correct[${i}] is ${describe(c)}, expected 0 or 1`);
  });
  return { confidence: confidence as number[], correct: correct as (0 | 1)[] };
}

/** Upper bin edges of verified_calibration's equal-mass binning (see the file comment); [] for no data. */
export function equalMassEdges(confidences: readonly number[], numBins = NUM_BINS): number[] {
  const n = confidences.length;
  if (n === 0) return [];
  const sorted = Float64Array.from(confidences).sort();
  const k = Math.min(numBins, n);
  // np.array_split: the first n mod k groups hold ⌊n/k⌋ + 1 values, the others ⌊n/k⌋
  const small = Math.floor(n / k);
  const extra = n % k;
  const edges: number[] = [];
  let start = 0;
  for (let g = 0; g < k - 1; g++) {
    const size = small + (g < extra ? 1 : 0);
    const end = start + size; // first index of the next group
    edges.push((sorted[end - 1] + sorted[end]) / 2);
    start = end;
  }
  edges.push(1.0);
  return [...new Set(edges)].sort((a, b) => a - b);
}

/** Upper edges k/numBins of equal-width bins. */
export function equalWidthEdges(numBins = NUM_BINS): number[] {
  return Array.from({ length: numBins }, (_, i) => (i + 1) / numBins);
}

/** Index of the first edge ≥ value (np.searchsorted side="left"). */
function binIndex(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo === edges.length) throw new RangeError(`confidence ${value} lies above the last bin edge`);
  return lo;
}

/** Reliability bins, ECE and MCE of (confidence, correct) pairs for the given upper edges. */
export function binnedCalibrationError(
  confidence: readonly number[],
  correct: readonly number[],
  edges: readonly number[],
): { ece: number | null; mce: number | null; bins: ReliabilityBin[] } {
  const n = confidence.length;
  const count = new Array<number>(edges.length).fill(0);
  const hits = new Array<number>(edges.length).fill(0);
  const confSum = new Array<number>(edges.length).fill(0);
  for (let i = 0; i < n; i++) {
    const b = binIndex(edges, confidence[i]);
    count[b]++;
    hits[b] += correct[i];
    confSum[b] += confidence[i];
  }
  let ece = 0;
  let mce: number | null = null;
  const bins = edges.map((hi, b) => {
    const lo = b === 0 ? 0 : edges[b - 1];
    if (count[b] === 0) return { lo, hi, n: 0, accuracy: null, meanConfidence: null };
    const accuracy = hits[b] / count[b];
    const meanConfidence = confSum[b] / count[b];
    const gap = Math.abs(accuracy - meanConfidence);
    ece += (count[b] / n) * gap;
    if (mce === null || gap > mce) mce = gap;
    return { lo, hi, n: count[b], accuracy, meanConfidence };
  });
  return { ece: n === 0 ? null : ece, mce, bins };
}

/** Calibration metrics of either input form (assumed valid: see validateCalibrationInput for untrusted data). */
export function calibrationReport(input: CalibrationInput): CalibrationReport {
  let confidence: number[];
  let correct: number[];
  let brierSum = 0;
  if ("probs" in input) {
    if (input.probs.length !== input.labels.length) {
      throw new RangeError(`probs has ${input.probs.length} items but labels has ${input.labels.length}`);
    }
    confidence = [];
    correct = [];
    input.probs.forEach((row, i) => {
      const pred = argmax(row);
      confidence.push(row[pred]);
      correct.push(pred === input.labels[i] ? 1 : 0);
      row.forEach((p, k) => (brierSum += (p - (k === input.labels[i] ? 1 : 0)) ** 2));
    });
  } else {
    if (input.confidence.length !== input.correct.length) {
      throw new RangeError(`confidence has ${input.confidence.length} items but correct has ${input.correct.length}`);
    }
    confidence = input.confidence.slice();
    correct = input.correct.slice();
    confidence.forEach((c, i) => (brierSum += (c - correct[i]) ** 2));
  }
  const n = confidence.length;
  if (n === 0) {
    return { n: 0, accuracy: null, ece_10: null, ece_1: null, ece_10_width: null, mce_10: null, brier: null, bins: [] };
  }
  const accuracy = correct.reduce((a, b) => a + b, 0) / n;
  const meanConfidence = confidence.reduce((a, b) => a + b, 0) / n;
  const mass = binnedCalibrationError(confidence, correct, equalMassEdges(confidence));
  const width = binnedCalibrationError(confidence, correct, equalWidthEdges());
  return {
    n,
    accuracy,
    ece_10: mass.ece,
    ece_1: Math.abs(meanConfidence - accuracy),
    ece_10_width: width.ece,
    mce_10: width.mce,
    brier: brierSum / n,
    bins: mass.bins,
  };
}
