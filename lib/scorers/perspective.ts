// Perspective API (the paper's scorer): POST {url}/comments:analyze?key=KEY with
// {comment: {text}, languages: ["en"], requestedAttributes: {TOXICITY: {}, …}}; the answer holds
// attributeScores[ATTR].summaryScore.value. Requests are paced to the configured QPS (the default quota is 1/s).
import { postJson } from "./http";
import { ScorerError, type ScoreResult, type ScorerConfig, type ToxicityScorer } from "./types";

export function perspectiveRequest(text: string, attributes: readonly string[]): Record<string, unknown> {
  return {
    comment: { text },
    languages: ["en"],
    requestedAttributes: Object.fromEntries(attributes.map((a) => [a, {}])),
  };
}

/** attribute → summary score; throws when an attribute asked for is missing or not a probability. */
export function parsePerspectiveResponse(body: unknown, attributes: readonly string[]): Record<string, number> {
  const scores = (body as { attributeScores?: Record<string, { summaryScore?: { value?: unknown } }> } | null)?.attributeScores;
  if (!scores || typeof scores !== "object") throw new ScorerError("Perspective API: the answer has no attributeScores", "malformed_response", true);
  const out: Record<string, number> = {};
  for (const a of attributes) {
    const v = scores[a]?.summaryScore?.value;
    if (typeof v !== "number" || !(v >= 0 && v <= 1))
      throw new ScorerError(`Perspective API: no probability for ${a} in the answer`, "malformed_response", true);
    out[a] = v;
  }
  return out;
}

export function perspectiveScorer(config: ScorerConfig, apiKey: string | undefined): ToxicityScorer {
  const base = config.url.replace(/\/+$/, "");
  const endpoint = `${base}/comments:analyze${apiKey ? `?key=${encodeURIComponent(apiKey)}` : ""}`;
  return {
    config,
    async score(text, opts = {}): Promise<ScoreResult> {
      if (text.trim() === "") return null;
      const body = await postJson(endpoint, perspectiveRequest(text, config.attributes), {
        rateKey: `perspective:${base}`,
        qps: config.qps,
        secret: apiKey,
        signal: opts.signal,
        what: `Perspective API at ${base}`,
      });
      return parsePerspectiveResponse(body, config.attributes);
    },
  };
}
