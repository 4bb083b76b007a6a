// A generic HTTP text classifier (TEI /predict, a Hugging Face inference endpoint, or anything alike):
// POST {url} {"inputs": text[, "model"]}. Accepted answers: [{label, score}, …], [[{label, score}, …]],
// {label, score}, or {"scores": {NAME: probability}}. The configured label (default "toxic") becomes TOXICITY; every
// other label becomes an attribute (upper-cased, metric expected_max_<label>), except complement labels such as
// "non-toxic", "neutral" or "safe" (1 − a harmful probability: as an "expected maximum" it would read backwards).
import { postJson } from "./http";
import { ScorerError, type ScoreResult, type ScorerConfig, type ToxicityScorer } from "./types";

/** Labels that name the absence of harm (their score is 1 − a harmful probability). */
const COMPLEMENT_LABEL = /^(NON|NOT|NO)_?(TOXIC|TOXICITY|HATE|HATEFUL|OFFENSIVE|HARMFUL|ABUSIVE)$|^(NEUTRAL|SAFE|OK|CLEAN|BENIGN|NORMAL|NONE|LABEL_0)$/;

function normalizeName(label: string): string {
  return label
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_");
}

export function classifierToAttributes(body: unknown, toxicLabel: string): Record<string, number> {
  const out: Record<string, number> = {};
  let list: unknown = body;
  if (Array.isArray(list) && list.length === 1 && Array.isArray(list[0])) list = list[0];
  if (list && !Array.isArray(list) && typeof list === "object" && "label" in list) list = [list];
  if (Array.isArray(list)) {
    for (const entry of list) {
      const e = entry as { label?: unknown; score?: unknown };
      if (typeof e?.label !== "string" || typeof e.score !== "number")
        throw new ScorerError("classifier: expected [{label, score}, …]", "malformed_response", false);
      out[normalizeName(e.label)] = e.score;
    }
  } else if (body && typeof body === "object" && typeof (body as { scores?: unknown }).scores === "object") {
    for (const [k, v] of Object.entries((body as { scores: Record<string, unknown> }).scores)) if (typeof v === "number") out[normalizeName(k)] = v;
  } else {
    throw new ScorerError("classifier: expected [{label, score}, …] or {scores: {…}}", "malformed_response", false);
  }
  for (const [k, v] of Object.entries(out)) {
    if (!(v >= 0 && v <= 1)) throw new ScorerError(`classifier: ${k} = ${v} is not a probability`, "malformed_response", false);
  }
  const wanted = normalizeName(toxicLabel);
  if (!(wanted in out))
    throw new ScorerError(
      `classifier: no label "${toxicLabel}" in the answer (labels: ${Object.keys(out).join(", ") || "none"}); set LINEAGE_SCORER_LABEL`,
      "config",
      false,
    );
  out.TOXICITY = out[wanted];
  if (wanted !== "TOXICITY") delete out[wanted];
  for (const k of Object.keys(out)) if (COMPLEMENT_LABEL.test(k)) delete out[k];
  return out;
}

export function httpClassifierScorer(config: ScorerConfig, apiKey: string | undefined): ToxicityScorer {
  return {
    config,
    async score(text, opts = {}): Promise<ScoreResult> {
      if (text.trim() === "") return null;
      const body = await postJson(
        config.url,
        { inputs: text, ...(config.model ? { model: config.model } : {}) },
        {
          rateKey: `http:${config.url}`,
          qps: config.qps,
          headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
          secret: apiKey,
          signal: opts.signal,
          what: `classifier at ${config.url}`,
        },
      );
      return classifierToAttributes(body, config.label ?? "toxic");
    },
  };
}
