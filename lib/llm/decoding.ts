// The decoding parameters Lineage sends, with their bounds written once: the suites (lib/runs/suite.ts), the dataset
// spec (lib/inheritance/spec.ts) and the forms that set them all build on these fields, so a form refuses exactly
// what the suite or the spec would, with the same words. Pure (zod only).
import { z } from "zod";

export const MAX_TOKENS_LIMIT = 32_768;

export const decodingFields = {
  temperature: () => z.number({ message: "Enter a number." }).min(0, "0 to 2.").max(2, "0 to 2."),
  top_p: () => z.number({ message: "Enter a number." }).gt(0, "Above 0, at most 1.").max(1, "Above 0, at most 1."),
  /** `max` lower than the general limit for steps that only need a short continuation. */
  max_tokens: (max = MAX_TOKENS_LIMIT) =>
    z.number({ message: "Enter a whole number." }).int("A whole number.").min(1, "At least 1.").max(max, `At most ${max}.`),
  seed: () => z.number({ message: "Enter a whole number." }).int("A whole number."),
  stop: () => z.union([z.string(), z.array(z.string()).max(4)]),
};
