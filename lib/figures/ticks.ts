// "Nice numbers" for axes (Heckbert, Graphics Gems 1990): ticks at multiples of 1, 2 or 5 × 10^k that cover the
// data, so that a scale reads 0, 0.05, 0.10 — never 0.065, 0.13, 0.195. Pure and framework-free.

export interface Ticks {
  /** the tick values, ascending, first ≤ data minimum and last ≥ data maximum */
  values: number[];
  step: number;
  /** decimals that show every tick exactly */
  decimals: number;
  /** the axis domain: [first tick, last tick] */
  domain: [number, number];
}

const MANTISSAS = [1, 2, 5];

function decimalsOf(step: number): number {
  // The step is m × 10^k with m ∈ {1, 2, 5}: k < 0 needs −k decimals.
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** Rounds away binary noise (0.1 + 0.2) at the step's precision. */
function clean(v: number, decimals: number): number {
  const r = Number(v.toFixed(Math.min(20, decimals + 2)));
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Ticks covering [min, max] with at most `maxTicks` values (at least 2). An empty range is widened around its value
 * (a range at 0 becomes [0, 1]). Non-finite input gives [0, 1].
 */
export function niceTicks(min: number, max: number, maxTicks = 6): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, maxTicks);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    if (min === 0) return niceTicks(0, 1, maxTicks);
    const pad = Math.abs(min) * 0.1;
    // Stay on one side of 0 when the value does: a positive value gets a scale from 0.
    return min > 0 ? niceTicks(0, min + pad, maxTicks) : niceTicks(min - pad, 0, maxTicks);
  }
  const intervals = Math.max(1, Math.floor(maxTicks) - 1);
  const raw = (max - min) / intervals;
  let exp = Math.floor(Math.log10(raw));
  for (;;) {
    for (const m of MANTISSAS) {
      const step = m * 10 ** exp;
      const lo = Math.floor(min / step + 1e-9);
      const hi = Math.ceil(max / step - 1e-9);
      if (hi - lo <= intervals) {
        const decimals = decimalsOf(step);
        const values: number[] = [];
        for (let k = lo; k <= hi; k++) values.push(clean(k * step, decimals));
        return { values, step, decimals, domain: [values[0], values[values.length - 1]] };
      }
    }
    exp++;
  }
}

/** A number with a true minus sign (U+2212). */
export function minus(s: string): string {
  return s.startsWith("-") ? `−${s.slice(1)}` : s;
}

/** A tick label: every tick of an axis with the same decimals (0.05, 0.10), zero as "0", a true minus sign. */
export function formatTick(v: number, decimals: number): string {
  if (v === 0) return "0";
  const s = v.toFixed(decimals);
  return minus(Math.abs(v) >= 10_000 ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : s);
}

/** Linear map from a domain onto a range. */
export function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}
