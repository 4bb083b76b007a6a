/**
 * The project's one source of seeded randomness: xoshiro128** (Blackman & Vigna), 32-bit state words, seeded
 * through splitmix32 from a 32-bit seed. A seed may be a number or a string (hashed with FNV-1a, then mixed), so a
 * run can use e.g. `${runId}:${metricId}` and get a reproducible, independent stream.
 *
 * Pure TypeScript, no Node APIs: usable in the browser, the worker and the CLI alike.
 */

export type Seed = number | string;

const TWO_32 = 4294967296;
/** Largest bound for which x·n (x < 2^32) is exact in a double. */
const LEMIRE_MAX_BOUND = 2 ** 21;
const INV_TWO_32 = 1 / TWO_32;

/** murmur3's 32-bit finaliser: spreads nearby inputs (seed 1, 2, 3 …) over the whole 32-bit space. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // both bytes of the UTF-16 unit, so "ā" and "a" differ
    h ^= c & 0xff;
    h = Math.imul(h, 0x01000193);
    h ^= c >>> 8;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Reduce a seed to 32 bits. Safe integers use both their low and high 32 bits (so 1 and 2^32 + 1 differ); any other
 * number (fractional, huge, negative zero aside) is hashed through its decimal text; strings are hashed.
 */
export function seedToUint32(seed: Seed): number {
  if (typeof seed === "string") return fmix32(fnv1a32(seed) ^ 0x9e3779b9);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  if (Number.isSafeInteger(seed)) {
    const negative = seed < 0;
    const magnitude = Math.abs(seed);
    const lo = (magnitude % TWO_32) >>> 0;
    const hi = Math.floor(magnitude / TWO_32) >>> 0;
    return fmix32(lo ^ fmix32(hi ^ (negative ? 0x5bd1e995 : 0)));
  }
  return fmix32(fnv1a32(String(seed)) ^ 0x7f4a7c15);
}

/** A seeded generator. All draws are deterministic given the seed and the order of calls. */
export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number;
  /** Uniform integer in [0, n) for an integer 1 ≤ n ≤ 2^32, exactly uniform (rejection, no modulo bias). */
  nextInt(n: number): number;
  /**
   * Fill out[0..count) with uniform integers in [0, n): the same values as `count` calls of nextInt(n), in a loop
   * fast enough for bootstrap resampling.
   */
  fillInts(out: Uint32Array | Int32Array | Float64Array, n: number, count?: number): void;
  /**
   * Σ values[j] over `count` indices j drawn uniformly with replacement (default count = values.length): one
   * bootstrap resample's sum without materialising the indices. Consumes the generator exactly as
   * fillInts(·, values.length, count) does, so it equals summing values at those indices.
   */
  sampleSumWithReplacement(values: Float64Array, count?: number): number;
  /** Seeded Fisher–Yates shuffle of `items` in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

function checkBound(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
    throw new RangeError(`nextInt bound must be an integer in [1, 2^32], got ${n}`);
  }
}

/*
 * Bounded integers. For n ≤ 2^21 Lemire's multiply-and-reject: the result is floor(x·n / 2^32) (x·n is exact in a
 * double), and a draw is rejected when (x·n mod 2^32) < (2^32 − n) mod n — exactly uniform, with no slow floating
 * modulo per draw. Larger n: reject x ≥ the largest multiple of n below 2^32, then x mod n.
 */
class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: Seed, state?: readonly [number, number, number, number]) {
    if (state) {
      [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w >>> 0) as [number, number, number, number];
      if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RangeError("xoshiro state must not be all zero");
      return;
    }
    // splitmix32 expands the 32-bit seed into 128 bits of state
    let x = seedToUint32(seed);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  nextFloat(): number {
    return this.nextUint32() / TWO_32;
  }

  nextInt(n: number): number {
    checkBound(n);
    if (n <= LEMIRE_MAX_BOUND) {
      const threshold = (TWO_32 - n) % n;
      for (;;) {
        const x = this.nextUint32();
        // low 32 bits of x·n (Math.imul) decide rejection; x·n·2^-32 is exact below 2^53, `| 0` floors it
        if (Math.imul(x, n) >>> 0 >= threshold) return (x * n * INV_TWO_32) | 0;
      }
    }
    const limit = TWO_32 - (TWO_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  fillInts(out: Uint32Array | Int32Array | Float64Array, n: number, count: number = out.length): void {
    checkBound(n);
    if (!Number.isInteger(count) || count < 0 || count > out.length) {
      throw new RangeError(`count ${count} does not fit the buffer length ${out.length}`);
    }
    if (n > LEMIRE_MAX_BOUND) {
      for (let i = 0; i < count; i++) out[i] = this.nextInt(n);
      return;
    }
    // nextUint32 and nextInt inlined, state in locals so the loop stays in registers; `i` only advances on an
    // accepted draw (this shape is much faster in V8 than a nested retry loop)
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    // Rejection compares the low word unsigned; flipping the sign bit of both sides turns that into an int32
    // comparison, which V8 keeps out of floating point.
    const bound = n | 0;
    const thresholdFlipped = (((TWO_32 - n) % n) | 0) ^ 0x80000000;
    const scale = n * INV_TWO_32;
    let i = 0;
    while (i < count) {
      const x = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      if ((Math.imul(x, bound) ^ 0x80000000) >= thresholdFlipped) out[i++] = ((x >>> 0) * scale) | 0;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  sampleSumWithReplacement(values: Float64Array, count: number = values.length): number {
    const n = values.length;
    checkBound(n);
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer`);
    if (n > LEMIRE_MAX_BOUND) {
      let total = 0;
      for (let i = 0; i < count; i++) total += values[this.nextInt(n)];
      return total;
    }
    // the loop of fillInts with the store replaced by an accumulation
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const bound = n | 0;
    const thresholdFlipped = (((TWO_32 - n) % n) | 0) ^ 0x80000000;
    const scale = n * INV_TWO_32;
    let total = 0;
    let i = 0;
    while (i < count) {
      const x = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      if ((Math.imul(x, bound) ^ 0x80000000) >= thresholdFlipped) {
        total += values[((x >>> 0) * scale) | 0];
        i++;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return total;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A new generator for `seed`. */
export function createRng(seed: Seed): Rng {
  return new Xoshiro128StarStar(seed);
}

/** A generator started from raw xoshiro128** state words (to check against the published reference outputs). */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  return new Xoshiro128StarStar(0, state);
}

/** A shuffled copy of `items` (the input is left alone). */
export function shuffled<T>(items: readonly T[], seed: Seed): T[] {
  return createRng(seed).shuffle(items.slice());
}
