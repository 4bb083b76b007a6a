// Colours for figures: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), in an
// order whose neighbours also differ in lightness so that greyscale prints stay readable; dashes add a second cue
// for lines. Pure.

export const RUN_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];
/** Dash patterns in points, one per run, for figures. */
export const RUN_DASH_PT: number[][] = [[], [4.5, 2.25], [1.5, 1.5], [6, 2.25, 1.5, 2.25], [0.75, 2.25], [7.5, 3], [3, 3], [2.25, 4.5]];

export function runColor(i: number): string {
  return RUN_COLORS[i % RUN_COLORS.length];
}
export function runDash(i: number): number[] {
  return RUN_DASH_PT[i % RUN_DASH_PT.length];
}

const BETTER: [number, number, number] = [0x00, 0x72, 0xb2]; // blue
const WORSE: [number, number, number] = [0xd5, 0x5e, 0x00]; // vermillion
const NEUTRAL: [number, number, number] = [0x55, 0x55, 0x55]; // grey
const MID: [number, number, number] = [0xf7, 0xf7, 0xf7];

function mix(a: [number, number, number], b: [number, number, number], t: number): string {
  const c = a.map((x, k) => Math.round(x + (b[k] - x) * t));
  return `#${c.map((x) => x.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Diverging colour of a % change centred at 0: blue when the change is for the better, vermillion when for the
 * worse, grey for neutral metrics (length, readability); intensity grows with |change| up to `saturateAt` %.
 */
export function changeColor(pct: number | null, verdict: string | null, saturateAt = 50): string {
  if (pct === null || verdict === null) return "#ffffff";
  const t = Math.min(1, Math.abs(pct) / saturateAt) * 0.9;
  if (verdict === "better") return mix(MID, BETTER, t);
  if (verdict === "worse") return mix(MID, WORSE, t);
  return mix(MID, NEUTRAL, verdict === "same" ? 0 : t);
}

/** Black or white text, whichever reads on the background. */
export function inkOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255,
    g = (n >> 8) & 255,
    b = n & 255;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? "#111111" : "#ffffff";
}
