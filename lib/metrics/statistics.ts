/**
 * Aggregation and comparison statistics (METRICS.md §5): means with percentile-bootstrap confidence intervals,
 * paired differences, a sign-flip permutation test, % change, and a generic bootstrap over benchmark items.
 *
 * Missing values: `null`, `undefined` and `NaN` mean "no value" and are dropped before anything is computed (the
 * returned `n` counts what was kept). ±Infinity is a bug upstream and throws a RangeError.
 * Every random step draws from `createRng(seed)`, so the same inputs and seed give the same interval.
 */
import { createRng, type Seed } from "./random";

/** Bootstrap resamples when the caller does not say (enough for stable 2.5 % / 97.5 % percentiles). */
export const DEFAULT_RESAMPLES = 2000;
/** Confidence level when the caller does not say. */
export const DEFAULT_LEVEL = 0.95;
/** Random sign-flip assignments for the permutation test when exact enumeration is too large. */
export const DEFAULT_PERMUTATIONS = 10_000;
/** Up to this many non-zero paired differences, the sign-flip test enumerates all 2^n assignments. */
export const EXACT_SIGN_FLIP_MAX_N = 20;

export type MaybeNumber = number | null | undefined;

export interface BootstrapOptions {
  seed: Seed;
  /** number of bootstrap resamples, default DEFAULT_RESAMPLES (2000) */
  resamples?: number;
  /** two-sided confidence level in (0, 1), default 0.95 */
  level?: number;
}

/** A point estimate with its percentile-bootstrap interval; all null when there is no data. */
export interface MeanCI {
  mean: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
}

function isMissing(v: MaybeNumber): v is null | undefined {
  return v === null || v === undefined || Number.isNaN(v);
}

function checkFinite(v: number, where: string): void {
  if (!Number.isFinite(v)) throw new RangeError(`${where} is ${v}; only finite numbers, null or NaN are accepted`);
}

/** The present values as a typed array (null/undefined/NaN dropped). */
export function presentValues(values: readonly MaybeNumber[]): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isMissing(v)) {
      checkFinite(v, `values[${i}]`);
      count++;
    }
  }
  const out = new Float64Array(count);
  let j = 0;
  for (const v of values) if (!isMissing(v)) out[j++] = v;
  return out;
}

/** Arithmetic mean of the present values; null when there are none. */
export function mean(values: readonly MaybeNumber[] | Float64Array): number | null {
  const x = values instanceof Float64Array ? values : presentValues(values);
  if (x.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** Quantile of ascending-sorted data with linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const m = sorted.length;
  if (m === 0) throw new RangeError("quantile of an empty sample");
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function resolve(opts: BootstrapOptions): { resamples: number; level: number } {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const level = opts.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return { resamples, level };
}

function percentileInterval(stats: Float64Array, level: number): { lo: number; hi: number } {
  stats.sort();
  return { lo: quantileSorted(stats, (1 - level) / 2), hi: quantileSorted(stats, (1 + level) / 2) };
}

/** Percentile bootstrap of the mean of an already-cleaned sample (n ≥ 2). */
function bootstrapMeanOf(x: Float64Array, opts: BootstrapOptions): MeanCI {
  const { resamples, level } = resolve(opts);
  const n = x.length;
  const m = mean(x)!;
  if (n === 1) return { mean: m, lo: m, hi: m, n };
  const rng = createRng(opts.seed);
  const stats = new Float64Array(resamples); // the only allocation: resamples are summed in place
  for (let r = 0; r < resamples; r++) stats[r] = rng.sampleSumWithReplacement(x) / n;
  const { lo, hi } = percentileInterval(stats, level);
  return { mean: m, lo, hi, n };
}

/**
 * Mean with a percentile-bootstrap CI: resample n values with replacement `resamples` times (default 2000), take the
 * (1−level)/2 and (1+level)/2 quantiles of the resampled means. n = 0 → all null; n = 1 → the CI is the value.
 */
export function bootstrapMeanCI(values: readonly MaybeNumber[], opts: BootstrapOptions): MeanCI {
  const x = presentValues(values);
  if (x.length === 0) return { mean: null, lo: null, hi: null, n: 0 };
  return bootstrapMeanOf(x, opts);
}

/**
 * Means of several metrics measured on the same items, each with its percentile-bootstrap CI, the items resampled
 * once per resample for all of them (one draw of indices, every metric's mean taken on it: about twice as fast as
 * one bootstrap per metric, and the intervals come from the same resampled item sets). Metrics are grouped by the
 * items they have a value on; a group's generator is seeded with `${seed}:${its ids joined by ","}`, and each
 * metric's interval equals `bootstrapMeanCI(values, { seed: that group seed })` exactly (the same draws, summed in
 * the same order), so a metric alone in its group gets what `bootstrapMeanCI` gives with `${seed}:${id}`.
 * `group` lists the metrics resampled together.
 */
export function bootstrapMeanCIs(
  columns: Readonly<Record<string, readonly MaybeNumber[]>>,
  opts: BootstrapOptions,
): Record<string, MeanCI & { group: string[] }> {
  const { resamples, level } = resolve(opts);
  const ids = Object.keys(columns);
  const length = ids.length ? columns[ids[0]].length : 0;
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const col = columns[id];
    if (col.length !== length) throw new RangeError(`${id} has ${col.length} values, ${ids[0]} has ${length}`);
    let mask = "";
    for (let i = 0; i < length; i++) mask += isMissing(col[i]) ? "0" : "1";
    if (!groups.has(mask)) groups.set(mask, []);
    groups.get(mask)!.push(id);
  }
  const out: Record<string, MeanCI & { group: string[] }> = {};
  for (const [mask, group] of groups) {
    const rows: number[] = [];
    for (let i = 0; i < length; i++) if (mask.charCodeAt(i) === 49) rows.push(i);
    const n = rows.length;
    const m = group.length;
    if (n === 0) {
      for (const id of group) out[id] = { mean: null, lo: null, hi: null, n: 0, group };
      continue;
    }
    // Row-major, so that one drawn item's values are adjacent.
    const matrix = new Float64Array(n * m);
    group.forEach((id, k) => {
      const col = columns[id];
      rows.forEach((row, i) => {
        const v = col[row] as number;
        checkFinite(v, `${id}[${row}]`);
        matrix[i * m + k] = v;
      });
    });
    const means = group.map((id) => mean(columns[id])!);
    if (n === 1) {
      group.forEach((id, k) => (out[id] = { mean: means[k], lo: means[k], hi: means[k], n, group }));
      continue;
    }
    const rng = createRng(`${opts.seed}:${group.join(",")}`);
    const idx = new Uint32Array(n);
    const stats = group.map(() => new Float64Array(resamples));
    for (let r = 0; r < resamples; r++) {
      rng.fillInts(idx, n);
      // Four metrics at a time: four independent sums in registers, each still added in draw order.
      let k = 0;
      for (; k + 4 <= m; k += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let i = 0; i < n; i++) {
          const b = idx[i] * m + k;
          a0 += matrix[b];
          a1 += matrix[b + 1];
          a2 += matrix[b + 2];
          a3 += matrix[b + 3];
        }
        stats[k][r] = a0 / n;
        stats[k + 1][r] = a1 / n;
        stats[k + 2][r] = a2 / n;
        stats[k + 3][r] = a3 / n;
      }
      for (; k < m; k++) {
        let a = 0;
        for (let i = 0; i < n; i++) a += matrix[idx[i] * m + k];
        stats[k][r] = a / n;
      }
    }
    group.forEach((id, k) => {
      const { lo, hi } = percentileInterval(stats[k], level);
      out[id] = { mean: means[k], lo, hi, n, group };
    });
  }
  return out;
}

/** Paired differences b[i] − a[i] over the indices where both are present; unequal lengths throw. */
export function pairedDifferences(a: readonly MaybeNumber[], b: readonly MaybeNumber[]): Float64Array {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length: ${a.length} reference values, ${b.length} compared values`);
  }
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (isMissing(x) || isMissing(y)) continue;
    checkFinite(x, `a[${i}]`);
    checkFinite(y, `b[${i}]`);
    d.push(y - x);
  }
  return Float64Array.from(d);
}

/**
 * Paired bootstrap CI of the mean difference b − a (a = reference/parent, b = student), pairs kept together by
 * index. Pairs with a missing side are dropped; `n` is the number of complete pairs.
 */
export function pairedBootstrapDiffCI(a: readonly MaybeNumber[], b: readonly MaybeNumber[], opts: BootstrapOptions): MeanCI {
  const d = pairedDifferences(a, b);
  if (d.length === 0) return { mean: null, lo: null, hi: null, n: 0 };
  return bootstrapMeanOf(d, opts);
}

export interface PermutationOptions {
  seed: Seed;
  /** random sign assignments when the test is not exact, default DEFAULT_PERMUTATIONS (10,000) */
  permutations?: number;
  /** enumerate all 2^m assignments when the m non-zero differences are at most this many, default 20 */
  exactMaxN?: number;
}

export interface PermutationResult {
  /** two-sided p-value; null without complete pairs */
  pValue: number | null;
  /** complete pairs */
  n: number;
  /** mean of b − a */
  meanDiff: number | null;
  method: "exact" | "sampled" | "none";
  /** assignments evaluated: 2^m when exact, the sample size when sampled */
  permutations: number;
}

/**
 * Two-sided paired sign-flip permutation test of "mean(b − a) = 0". Under the null each difference is as likely to
 * have either sign, so the statistic |Σ d_i| is compared with |Σ s_i d_i| for sign vectors s.
 * - Zero differences do not change under a flip and are left out of the enumeration (the p-value is the same).
 * - m ≤ exactMaxN non-zero differences: all 2^m sign vectors, p = #{|S*| ≥ |S|} / 2^m (the identity is one of them).
 * - otherwise `permutations` random sign vectors and p = (#{|S*| ≥ |S|} + 1) / (permutations + 1): the +1 counts the
 *   observed assignment, so p is never 0 and the test stays valid (Phipson & Smyth 2010).
 * "≥" uses a tolerance of 1e-10·Σ|d| so that sums equal in exact arithmetic but rounded differently still tie.
 */
export function pairedPermutationPValue(a: readonly MaybeNumber[], b: readonly MaybeNumber[], opts: PermutationOptions): PermutationResult {
  const permutations = opts.permutations ?? DEFAULT_PERMUTATIONS;
  const exactMaxN = opts.exactMaxN ?? EXACT_SIGN_FLIP_MAX_N;
  if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError("permutations must be a positive integer");
  if (!Number.isInteger(exactMaxN) || exactMaxN < 0 || exactMaxN > 30) throw new RangeError("exactMaxN must be in 0..30");
  const all = pairedDifferences(a, b);
  const n = all.length;
  if (n === 0) return { pValue: null, n: 0, meanDiff: null, method: "none", permutations: 0 };
  const meanDiff = mean(all);
  const d = all.filter((v) => v !== 0);
  const m = d.length;
  let observed = 0;
  let scale = 0;
  for (let i = 0; i < m; i++) {
    observed += d[i];
    scale += Math.abs(d[i]);
  }
  const threshold = Math.abs(observed) - 1e-10 * scale;

  if (m <= exactMaxN) {
    const total = 2 ** m;
    let count = 0;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += mask & (1 << i) ? -d[i] : d[i];
      if (Math.abs(s) >= threshold) count++;
    }
    return { pValue: count / total, n, meanDiff, method: "exact", permutations: total };
  }

  const rng = createRng(opts.seed);
  let count = 0;
  for (let p = 0; p < permutations; p++) {
    let s = 0;
    let bits = 0;
    for (let i = 0; i < m; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32();
      s += bits & 1 ? -d[i] : d[i];
      bits >>>= 1;
    }
    if (Math.abs(s) >= threshold) count++;
  }
  return { pValue: (count + 1) / (permutations + 1), n, meanDiff, method: "sampled", permutations };
}

/** % change = 100·(value − reference)/|reference|; null when the reference is 0 or either side is missing. */
export function percentChange(reference: MaybeNumber, value: MaybeNumber): number | null {
  if (isMissing(reference) || isMissing(value) || reference === 0) return null;
  return (100 * (value - reference)) / Math.abs(reference);
}

export interface StatisticCI {
  /** the statistic on all items */
  estimate: number | null;
  lo: number | null;
  hi: number | null;
  /** items */
  n: number;
  /** resamples whose statistic was defined (a statistic may return null, e.g. no non-unknown BBQ answers) */
  validResamples: number;
}

/**
 * Bootstrap CI of a benchmark-level statistic (StereoSet SS, CrowS metric, BBQ bias, ECE …): resample the items
 * with replacement, recompute the statistic, take percentiles over the resamples where it is defined.
 * The sample handed to `statistic` is one buffer reused across resamples: read it, do not keep it.
 */
export function bootstrapStatisticCI<T>(items: readonly T[], statistic: (sample: readonly T[]) => number | null, opts: BootstrapOptions): StatisticCI {
  const { resamples, level } = resolve(opts);
  const n = items.length;
  const estimate = n === 0 ? null : cleanStatistic(statistic(items));
  if (n === 0 || estimate === null) return { estimate, lo: null, hi: null, n, validResamples: 0 };
  const rng = createRng(opts.seed);
  const idx = new Uint32Array(n);
  const sample: T[] = new Array(n);
  const stats = new Float64Array(resamples);
  let valid = 0;
  for (let r = 0; r < resamples; r++) {
    rng.fillInts(idx, n);
    for (let i = 0; i < n; i++) sample[i] = items[idx[i]];
    const s = cleanStatistic(statistic(sample));
    if (s !== null) stats[valid++] = s;
  }
  if (valid === 0) return { estimate, lo: null, hi: null, n, validResamples: 0 };
  const { lo, hi } = percentileInterval(stats.subarray(0, valid), level);
  return { estimate, lo, hi, n, validResamples: valid };
}

/**
 * Paired bootstrap CI of statistic(b) − statistic(a) for a benchmark scored for two models on the same items
 * (a[i] and b[i] are the same item): the item indices are resampled once and applied to both.
 */
export function pairedBootstrapStatisticDiffCI<T>(
  a: readonly T[],
  b: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  opts: BootstrapOptions,
): StatisticCI {
  return pairedBootstrapStatisticsDiffCI(a, b, (s) => ({ value: statistic(s) }), ["value"], opts).value;
}

/**
 * The same for several metrics computed by one statistic (e.g. LMS, SS and ICAT of a StereoSet sample): every
 * metric's interval comes from the same resampled item sets, at the cost of one statistic call per sample.
 */
export function pairedBootstrapStatisticsDiffCI<T>(
  a: readonly T[],
  b: readonly T[],
  statistic: (sample: readonly T[]) => Record<string, number | null>,
  metrics: readonly string[],
  opts: BootstrapOptions,
): Record<string, StatisticCI> {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length: ${a.length} reference items, ${b.length} compared items`);
  }
  const n = a.length;
  const { resamples, level } = resolve(opts);
  const diffs = (x: Record<string, number | null>, y: Record<string, number | null>) =>
    metrics.map((m) => {
      const u = cleanStatistic(x[m] ?? null);
      const v = cleanStatistic(y[m] ?? null);
      return u === null || v === null ? null : v - u;
    });
  const estimates = n === 0 ? metrics.map(() => null) : diffs(statistic(a), statistic(b));
  const stats = metrics.map(() => new Float64Array(resamples));
  const valid = metrics.map(() => 0);
  if (estimates.some((e) => e !== null)) {
    const rng = createRng(opts.seed);
    const idx = new Uint32Array(n);
    const sa: T[] = new Array(n);
    const sb: T[] = new Array(n);
    for (let r = 0; r < resamples; r++) {
      rng.fillInts(idx, n);
      for (let i = 0; i < n; i++) {
        sa[i] = a[idx[i]];
        sb[i] = b[idx[i]];
      }
      diffs(statistic(sa), statistic(sb)).forEach((d, k) => {
        if (d !== null && estimates[k] !== null) stats[k][valid[k]++] = d;
      });
    }
  }
  const out: Record<string, StatisticCI> = {};
  metrics.forEach((m, k) => {
    const estimate = estimates[k];
    if (estimate === null || valid[k] === 0) {
      out[m] = { estimate, lo: null, hi: null, n, validResamples: 0 };
      return;
    }
    const { lo, hi } = percentileInterval(stats[k].subarray(0, valid[k]), level);
    out[m] = { estimate, lo, hi, n, validResamples: valid[k] };
  });
  return out;
}

export interface StatisticPermutationResult {
  /** two-sided p-value; null without items or when the statistic is undefined on the observed data */
  pValue: number | null;
  /** items */
  n: number;
  method: "exact" | "sampled" | "none";
  /** swap sets evaluated: 2^n when exact, the sample size when sampled */
  permutations: number;
}

/**
 * Paired permutation p-value of statistic(b) − statistic(a) for a benchmark scored for two models on the same items
 * (two-sided). Under the null hypothesis the two models' results on an item are exchangeable, so each assignment
 * swaps a[i] and b[i] on a subset of the items and recomputes the difference D*.
 * - 2^n ≤ permutations: all 2^n swap sets, p = #{|D*| ≥ |D|} / #valid (the identity is one of them).
 * - otherwise `permutations` random swap sets, p = (#{|D*| ≥ |D|} + 1) / (#valid + 1) (Phipson & Smyth 2010).
 * Assignments where the statistic is undefined are left out of the count ("valid"). "≥" uses a tolerance of
 * 1e-10·(|statistic(a)| + |statistic(b)|) so that values equal in exact arithmetic but rounded differently still tie.
 * The sample handed to `statistic` is a buffer reused across assignments: read it, do not keep it.
 */
export function pairedPermutationStatisticPValue<T>(
  a: readonly T[],
  b: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  opts: { seed: Seed; permutations?: number },
): StatisticPermutationResult {
  return pairedPermutationStatisticsPValue(a, b, (s) => ({ value: statistic(s) }), ["value"], opts).value;
}

/** The same for several metrics computed by one statistic, from the same swap sets. */
export function pairedPermutationStatisticsPValue<T>(
  a: readonly T[],
  b: readonly T[],
  statistic: (sample: readonly T[]) => Record<string, number | null>,
  metrics: readonly string[],
  opts: { seed: Seed; permutations?: number },
): Record<string, StatisticPermutationResult> {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length: ${a.length} reference items, ${b.length} compared items`);
  }
  const permutations = opts.permutations ?? DEFAULT_PERMUTATIONS;
  if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError("permutations must be a positive integer");
  const n = a.length;
  const none = (): Record<string, StatisticPermutationResult> =>
    Object.fromEntries(metrics.map((m) => [m, { pValue: null, n, method: "none" as const, permutations: 0 }]));
  if (n === 0) return none();
  const ra = statistic(a);
  const rb = statistic(b);
  // Per metric the threshold |D| − tolerance, or null when the statistic is undefined on the observed data.
  const thresholds = metrics.map((m) => {
    const x = cleanStatistic(ra[m] ?? null);
    const y = cleanStatistic(rb[m] ?? null);
    return x === null || y === null ? null : Math.abs(y - x) - 1e-10 * (Math.abs(x) + Math.abs(y));
  });
  if (thresholds.every((t) => t === null)) return none();
  const sa: T[] = new Array(n);
  const sb: T[] = new Array(n);
  const count = metrics.map(() => 0);
  const valid = metrics.map(() => 0);
  const assess = () => {
    const x = statistic(sa);
    const y = statistic(sb);
    metrics.forEach((m, k) => {
      const t = thresholds[k];
      if (t === null) return;
      const u = cleanStatistic(x[m] ?? null);
      const v = cleanStatistic(y[m] ?? null);
      if (u === null || v === null) return;
      valid[k]++;
      if (Math.abs(v - u) >= t) count[k]++;
    });
  };
  const exact = n < 31 && 2 ** n <= permutations;
  if (exact) {
    const total = 2 ** n;
    for (let mask = 0; mask < total; mask++) {
      for (let i = 0; i < n; i++) {
        const swap = (mask & (1 << i)) !== 0;
        sa[i] = swap ? b[i] : a[i];
        sb[i] = swap ? a[i] : b[i];
      }
      assess();
    }
  } else {
    const rng = createRng(opts.seed);
    let bits = 0;
    for (let p = 0; p < permutations; p++) {
      for (let i = 0; i < n; i++) {
        if ((i & 31) === 0) bits = rng.nextUint32();
        const swap = (bits & 1) === 1;
        bits >>>= 1;
        sa[i] = swap ? b[i] : a[i];
        sb[i] = swap ? a[i] : b[i];
      }
      assess();
    }
  }
  const out: Record<string, StatisticPermutationResult> = {};
  metrics.forEach((m, k) => {
    if (thresholds[k] === null || valid[k] === 0) out[m] = { pValue: null, n, method: "none", permutations: 0 };
    else if (exact) out[m] = { pValue: count[k] / valid[k], n, method: "exact", permutations: 2 ** n };
    else out[m] = { pValue: (count[k] + 1) / (valid[k] + 1), n, method: "sampled", permutations };
  });
  return out;
}

function cleanStatistic(s: number | null): number | null {
  if (s === null || Number.isNaN(s)) return null;
  checkFinite(s, "statistic");
  return s;
}

/** z such that P(|Z| ≤ z) = level for a standard normal Z (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantileTwoSided(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const p = (1 + level) / 2;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.sqrt(-2 * Math.log(1 - p)); // p > 0.5: the upper tail
  if (1 - p < 0.02425) return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  const r = p - 0.5;
  const s = r * r;
  return ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
}

/**
 * Mean and variance of a stream of values in O(1) memory (Welford's update: no cancellation however long the
 * stream). Missing values (null, undefined, NaN) are skipped, ±Infinity throws, as everywhere in this module.
 */
export class StreamingMean {
  n = 0;
  private m = 0;
  private m2 = 0;

  add(v: MaybeNumber): void {
    if (isMissing(v)) return;
    checkFinite(v, "value");
    this.n++;
    const delta = v - this.m;
    this.m += delta / this.n;
    this.m2 += delta * (v - this.m);
  }

  get mean(): number | null {
    return this.n === 0 ? null : this.m;
  }

  /** Sample variance (n − 1 in the denominator); 0 for a single value. */
  get variance(): number {
    return this.n < 2 ? 0 : this.m2 / (this.n - 1);
  }
}

/**
 * Above this many values a mean's interval comes from streaming sums instead of the percentile bootstrap (which
 * holds every value and costs resamples × n): the bootstrap distribution of a mean of so many values is normal with
 * the standard error s/√n to well within its own Monte-Carlo error (tests/runs/streaming-statistics.test.ts shows
 * the agreement on skewed data), and the values need not be held at all.
 */
export const STREAMING_MEAN_MIN_N = 100_000;

/** What `streamingMeanCI` states as its method, stored with the aggregate. */
export const STREAMING_INTERVAL = "normal approximation from streaming sums (mean ± z·s/√n), used above 100,000 values";

/**
 * The large-sample interval of a mean from its streamed sums: mean ± z·s/√n with s the sample standard deviation.
 * It is what the percentile bootstrap converges to for a mean as n grows; it is used only for n above
 * STREAMING_MEAN_MIN_N (below, the exact bootstrap of `bootstrapMeanCIs` is used and values are unchanged).
 */
export function streamingMeanCI(acc: StreamingMean, level = DEFAULT_LEVEL): MeanCI {
  const mean = acc.mean;
  if (mean === null) return { mean: null, lo: null, hi: null, n: 0 };
  const half = (normalQuantileTwoSided(level) * Math.sqrt(acc.variance)) / Math.sqrt(acc.n);
  return { mean, lo: mean - half, hi: mean + half, n: acc.n };
}
