/**
 * `npm run bench:metrics`: throughput of the full textual profile (every §1 metric but
 * length_tokens) on the 5,000 Alpaca outputs of ../shared/data, on one core.
 *
 * One warm-up pass (JIT, syllable cache), then the best of 3 timed passes. Target: ≥ 2,000,000
 * words/s, words counted by the word rule (the set holds 223,450 of them).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { lexicalTokens } from "../lib/metrics/lexical";
import { clearSyllableCache } from "../lib/metrics/syllables";
import { textCounts, textMetrics } from "../lib/metrics/text";

const repoRoot = path.resolve(import.meta.dirname, "..");
const dataPath = path.resolve(repoRoot, "../shared/data/alpaca/alpaca_5000.json");
const EXPECTED_WORDS = 223_450;
const TARGET_WORDS_PER_SECOND = 2_000_000;
const RUNS = 3;

if (!existsSync(dataPath)) {
  console.log(`bench:metrics: ${dataPath} is absent; nothing to measure (the Alpaca sample lives in ../shared/data).`);
  process.exit(0);
}

const rows = JSON.parse(readFileSync(dataPath, "utf8")) as { output?: unknown }[];
const texts = rows.map((r, i) => {
  if (typeof r.output !== "string") throw new Error(`record ${i} has no string "output"`);
  return r.output;
});

function timePass(fn: (text: string) => unknown): number {
  const start = process.hrtime.bigint();
  for (const text of texts) fn(text);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function bestOf(fn: (text: string) => unknown): number {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) best = Math.min(best, timePass(fn));
  return best;
}

clearSyllableCache();
const cold = timePass(textMetrics); // first pass: empty syllable cache, cold JIT

let words = 0;
for (const text of texts) words += textCounts(text).words;
console.log(`texts: ${texts.length.toLocaleString("en-US")}, words (word rule): ${words.toLocaleString("en-US")}`);
if (words !== EXPECTED_WORDS) {
  console.error(`bench:metrics: expected ${EXPECTED_WORDS.toLocaleString("en-US")} words, counted ${words}`);
  process.exit(1);
}

timePass(textMetrics); // warm-up
const full = bestOf(textMetrics);
const countsOnly = bestOf(textCounts);
const lexicalOnly = bestOf(lexicalTokens);

const rate = (seconds: number) => ({
  texts: Math.round(texts.length / seconds),
  words: Math.round(words / seconds),
});
const fmt = (n: number) => n.toLocaleString("en-US");
const { texts: textsPerSecond, words: wordsPerSecond } = rate(full);

console.log(`full profile, best of ${RUNS}: ${(full * 1000).toFixed(1)} ms → ${fmt(textsPerSecond)} texts/s, ${fmt(wordsPerSecond)} words/s`);
console.log(`  cold first pass: ${(cold * 1000).toFixed(1)} ms (${fmt(rate(cold).words)} words/s)`);
console.log(`  one-pass counts only: ${(countsOnly * 1000).toFixed(1)} ms; lexicalrichness tokens only: ${(lexicalOnly * 1000).toFixed(1)} ms`);
console.log(
  wordsPerSecond >= TARGET_WORDS_PER_SECOND
    ? `target ≥ ${fmt(TARGET_WORDS_PER_SECOND)} words/s: met`
    : `target ≥ ${fmt(TARGET_WORDS_PER_SECOND)} words/s: NOT met`,
);
