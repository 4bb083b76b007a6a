/**
 * SEAT / WEAT (Caliskan et al. 2017; May et al. 2019) on sentence embeddings (METRICS.md §2), following
 * W4ngatang/sent-bias `weat.py`, which the paper toolkit's bias_bench vendors:
 *   s(w, A, B) = mean_a cos(w, a) − mean_b cos(w, b)
 *   d = [mean_{x∈X} s(x) − mean_{y∈Y} s(y)] / std_{w∈X∪Y} s(w)   with the SAMPLE std (ddof = 1), as `np.std(…, ddof=1)`
 *   p = P[ Σ_{x∈X_i} s(x) ≥ Σ_{x∈X} s(x) ] over re-partitions (X_i, Y_i) of X∪Y with |X_i| = |X| — one-sided, and
 *       ties count as exceeding ("conservative test" in the reference).
 * Exact over all C(|X|+|Y|, |X|) partitions when that is at most `permutations` (default 100,000, the reference's
 * n_samples); otherwise `permutations − 1` seeded random partitions plus the observed one, p = (count + 1) /
 * permutations — the reference's "hallucinate a positive observation" bias, which keeps p > 0.
 */
import { createRng, type Seed } from "./random";

export type Vector = readonly number[] | Float32Array | Float64Array;

export interface SeatTestInput {
  name?: string;
  /** target concept X (e.g. European-American names) */
  targ1: readonly Vector[];
  /** target concept Y */
  targ2: readonly Vector[];
  /** attribute A (e.g. pleasant) */
  attr1: readonly Vector[];
  /** attribute B */
  attr2: readonly Vector[];
}

export interface SeatOptions {
  seed: Seed;
  /** reference n_samples: exact test up to this many partitions, else this many sampled (default 100,000) */
  permutations?: number;
}

export const DEFAULT_SEAT_PERMUTATIONS = 100_000;

export interface SeatTestResult {
  name?: string;
  /** effect size d; null when the std of s over X∪Y is 0 or there are fewer than 2 targets */
  effectSize: number | null;
  /** one-sided permutation p-value */
  pValue: number;
  method: "exact" | "sampled";
  /** partitions evaluated (all of them when exact) */
  partitions: number;
  sizes: { targ1: number; targ2: number; attr1: number; attr2: number };
}

function dot(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in dimension: ${a.length} and ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** cos(a, b) = a·b / √(a·a · b·b); a zero vector has no direction and throws. */
export function cosineSimilarity(a: Vector, b: Vector): number {
  const denom = Math.sqrt(dot(a, a) * dot(b, b));
  if (!(denom > 0)) throw new RangeError("cosine similarity of a zero (or non-finite) vector");
  return dot(a, b) / denom;
}

/** s(w, A, B) for every w in W. */
export function seatAssociations(W: readonly Vector[], A: readonly Vector[], B: readonly Vector[]): Float64Array {
  if (A.length === 0 || B.length === 0) throw new RangeError("SEAT needs at least one vector in each attribute set");
  const out = new Float64Array(W.length);
  W.forEach((w, i) => {
    let sa = 0;
    for (const a of A) sa += cosineSimilarity(w, a);
    let sb = 0;
    for (const b of B) sb += cosineSimilarity(w, b);
    out[i] = sa / A.length - sb / B.length;
  });
  return out;
}

function meanOf(x: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  return s / (to - from);
}

/** Effect size from the associations of X (first nX entries) and Y (the rest); null when undefined. */
function effectSizeOf(s: Float64Array, nX: number): number | null {
  const N = s.length;
  if (nX === 0 || nX === N || N < 2) return null;
  const all = meanOf(s, 0, N);
  let ss = 0;
  for (let i = 0; i < N; i++) ss += (s[i] - all) ** 2;
  const std = Math.sqrt(ss / (N - 1)); // ddof = 1
  if (!(std > 0)) return null;
  return (meanOf(s, 0, nX) - meanOf(s, nX, N)) / std;
}

function binomial(n: number, k: number): number {
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** SEAT effect size d of one test. */
export function seatEffectSize(input: SeatTestInput): number | null {
  const s = seatAssociations([...input.targ1, ...input.targ2], input.attr1, input.attr2);
  return effectSizeOf(s, input.targ1.length);
}

/** Permutation p-value from pooled associations (X first). */
function permutationPValue(s: Float64Array, nX: number, opts: SeatOptions): { pValue: number; method: "exact" | "sampled"; partitions: number } {
  const N = s.length;
  const permutations = opts.permutations ?? DEFAULT_SEAT_PERMUTATIONS;
  if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError("permutations must be a positive integer");
  let observed = 0;
  let scale = 0;
  for (let i = 0; i < N; i++) {
    if (i < nX) observed += s[i];
    scale += Math.abs(s[i]);
  }
  // a partition ties the observed one when its sum is equal up to rounding of a differently ordered sum
  const threshold = observed - 1e-12 * scale;
  const total = binomial(N, nX);

  if (total <= permutations) {
    // all combinations of nX indices out of N, in lexicographic order
    const idx = Array.from({ length: nX }, (_, i) => i);
    let count = 0;
    let seen = 0;
    for (;;) {
      let sum = 0;
      for (let i = 0; i < nX; i++) sum += s[idx[i]];
      if (sum >= threshold) count++;
      seen++;
      let j = nX - 1;
      while (j >= 0 && idx[j] === N - nX + j) j--;
      if (j < 0) break;
      idx[j]++;
      for (let i = j + 1; i < nX; i++) idx[i] = idx[i - 1] + 1;
    }
    return { pValue: count / seen, method: "exact", partitions: seen };
  }

  const rng = createRng(opts.seed);
  const pool = Float64Array.from(s);
  let count = 1; // the observed partition, as the reference counts it before sampling
  for (let p = 1; p < permutations; p++) {
    // partial Fisher–Yates: the first nX slots become a uniformly random nX-subset
    let sum = 0;
    for (let i = 0; i < nX; i++) {
      const j = i + rng.nextInt(N - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
      sum += pool[i];
    }
    if (sum >= threshold) count++;
  }
  return { pValue: count / permutations, method: "sampled", partitions: permutations };
}

/** Effect size and permutation p-value of one SEAT test. */
export function seatTest(input: SeatTestInput, opts: SeatOptions): SeatTestResult {
  const nX = input.targ1.length;
  const nY = input.targ2.length;
  if (nX === 0 || nY === 0) throw new RangeError(`SEAT test ${input.name ?? ""}: both target sets need vectors`);
  const s = seatAssociations([...input.targ1, ...input.targ2], input.attr1, input.attr2);
  const { pValue, method, partitions } = permutationPValue(s, nX, opts);
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    effectSize: effectSizeOf(s, nX),
    pValue,
    method,
    partitions,
    sizes: { targ1: nX, targ2: nY, attr1: input.attr1.length, attr2: input.attr2.length },
  };
}

/** The run metric `seat_effect_size`: mean |d| over the tests with a defined d (null when none). */
export function seatRunEffectSize(results: readonly Pick<SeatTestResult, "effectSize">[]): {
  seat_effect_size: number | null;
  tests: number;
} {
  const ds = results.map((r) => r.effectSize).filter((d): d is number => d !== null);
  if (ds.length === 0) return { seat_effect_size: null, tests: 0 };
  return { seat_effect_size: ds.reduce((acc, d) => acc + Math.abs(d), 0) / ds.length, tests: ds.length };
}
