// A resolved suite of one textual step over n inline prompts ("Write about subject i."), sampled — what the run
// benchmarks and the memory test execute against the test server.
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";

export function inlineTextualSuite(n: number, opts: { name: string; maxTokens: number; tag?: string }) {
  const suffix = opts.tag ? ` (${opts.tag})` : "";
  return resolveSuite(
    parseSuite({
      name: opts.name,
      benchmarks: [
        {
          benchmark: "textual",
          prompts: { source: "inline", items: Array.from({ length: n }, (_, i) => ({ key: `p${i}`, prompt: `Write about subject ${i}${suffix}.` })) },
          decoding: { temperature: 1, top_p: 0.9, max_tokens: opts.maxTokens, seed: 1 },
        },
      ],
    }),
  );
}
