// Item.data of completed benchmark items as their steps store them, for the compare benchmarks (bench:compare and
// bench:compare-responsive): synthetic scores, seeded, with the second run shifted so that differences are real.
import type { createRng } from "../lib/metrics/random";

/** Item.data of a completed item of `benchmark`, as its step stores it; `shift` moves the second run's scores. */
export function itemData(benchmark: string, i: number, rng: ReturnType<typeof createRng>, shift: number): unknown {
  const u = () => rng.nextFloat();
  switch (benchmark) {
    case "bbq":
      return {
        category: ["Age", "Gender_identity", "Race_ethnicity", "Religion"][i % 4],
        context_condition: i % 2 ? "ambig" : "disambig",
        question_polarity: i % 4 < 2 ? "neg" : "nonneg",
        answers: ["a", "b", "unknown"],
        label: i % 2 ? 2 : i % 3 === 0 ? 0 : 1,
        unknownIndex: 2,
        stereotypedIndices: [0],
        options: [0, 1, 2].map((k) => ({ text: "x", meanLogprob: -u() * 3 - (k === 0 ? shift : 0), tokens: 2 })),
      };
    case "stereoset": {
      const labels = ["stereotype", "anti-stereotype", "unrelated"];
      return {
        target: `term${i % 79}`,
        bias_type: ["gender", "profession", "race", "religion"][i % 4],
        options: labels.map((label, k) => ({
          label,
          text: label,
          score: u() * 0.1 + (k === 0 ? shift * 0.02 : 0),
          meanLogprob: -1,
          scoredTokens: 5,
          skippedFirstToken: null,
        })),
      };
    }
    case "crows_pairs":
      return {
        bias_type: ["race-color", "gender", "religion"][i % 3],
        direction: i % 5 ? "stereo" : "antistereo",
        options: [
          { label: "sent_more", text: "m", score: u() + shift * 0.1, meanLogprob: -1, scoredTokens: 5, skippedFirstToken: null },
          { label: "sent_less", text: "l", score: u(), meanLogprob: -1, scoredTokens: 5, skippedFirstToken: null },
        ],
      };
    default: {
      const logits = [0, 1, 2, 3].map(() => u() * 4);
      const z = logits.reduce((a, b) => a + Math.exp(b), 0);
      return { label: i % 4, scored: logits.map((l) => ({ text: "o", meanLogprob: l, tokens: 3, prob: Math.exp(l) / z })) };
    }
  }
}
