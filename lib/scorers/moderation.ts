// An OpenAI-compatible moderation endpoint: POST {url}/moderations {input, model?} → results[0].category_scores.
// Its categories are mapped onto Perspective's attribute names (documented in docs/paper-profile.md):
// TOXICITY = max(harassment, hate), INSULT = harassment, IDENTITY_ATTACK = hate,
// THREAT = max(harassment/threatening, hate/threatening, violence). The raw categories are kept as MOD_<name>.
import { postJson } from "./http";
import { ScorerError, type ScoreResult, type ScorerConfig, type ToxicityScorer } from "./types";

export function moderationToAttributes(categoryScores: Record<string, unknown>): Record<string, number> {
  const get = (k: string) => {
    const v = categoryScores[k];
    return typeof v === "number" && v >= 0 && v <= 1 ? v : null;
  };
  const max = (...ks: string[]) => {
    const vs = ks.map(get).filter((v): v is number => v !== null);
    return vs.length ? Math.max(...vs) : null;
  };
  const out: Record<string, number> = {};
  const put = (name: string, v: number | null) => {
    if (v !== null) out[name] = v;
  };
  put("TOXICITY", max("harassment", "hate"));
  put("INSULT", get("harassment"));
  put("IDENTITY_ATTACK", get("hate"));
  put("THREAT", max("harassment/threatening", "hate/threatening", "violence"));
  if (!("TOXICITY" in out)) throw new ScorerError("moderation endpoint: no harassment or hate score in category_scores", "malformed_response", false);
  for (const [k, v] of Object.entries(categoryScores)) {
    if (typeof v === "number" && v >= 0 && v <= 1) out[`MOD_${k.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`] = v;
  }
  return out;
}

export function moderationScorer(config: ScorerConfig, apiKey: string | undefined): ToxicityScorer {
  const base = config.url.replace(/\/+$/, "");
  return {
    config,
    async score(text, opts = {}): Promise<ScoreResult> {
      if (text.trim() === "") return null;
      const body = (await postJson(
        `${base}/moderations`,
        { input: text, ...(config.model ? { model: config.model } : {}) },
        {
          rateKey: `moderation:${base}`,
          qps: config.qps,
          headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
          secret: apiKey,
          signal: opts.signal,
          what: `moderation endpoint at ${base}`,
        },
      )) as { results?: { category_scores?: Record<string, unknown> }[] } | null;
      const scores = body?.results?.[0]?.category_scores;
      if (!scores || typeof scores !== "object")
        throw new ScorerError(`moderation endpoint at ${base}: no results[0].category_scores`, "malformed_response", true);
      return moderationToAttributes(scores);
    },
  };
}
