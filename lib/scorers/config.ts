// Which scorer a run uses: from the environment (LINEAGE_SCORER…) or a Scorer row configured in the UI. The run
// snapshots the ScorerConfig, so its numbers always say which scorer produced them.
import { resolveApiKey } from "@/lib/credentials";
import { httpClassifierScorer } from "./http-classifier";
import { moderationScorer } from "./moderation";
import { perspectiveScorer } from "./perspective";
import { PERSPECTIVE_ATTRIBUTES, SCORER_KINDS, ScorerError, type ScorerConfig, type ScorerKind, type ToxicityScorer } from "./types";
import { errorOfKind } from "@/lib/errors";

export const DEFAULT_SCORER_URLS: Record<ScorerKind, string | null> = {
  perspective: "https://commentanalyzer.googleapis.com/v1alpha1",
  moderation: "https://api.openai.com/v1",
  http: null,
};
const DEFAULT_KEY_ENV: Record<ScorerKind, string | null> = { perspective: "PERSPECTIVE_API_KEY", moderation: "OPENAI_API_KEY", http: null };
const DEFAULT_QPS: Record<ScorerKind, number> = { perspective: 1, moderation: 5, http: 20 };

export class ScorerConfigError extends errorOfKind("environment") {}

/** The scorer configured by LINEAGE_SCORER & co., or null when LINEAGE_SCORER is unset. */
export function scorerFromEnv(env: NodeJS.ProcessEnv = process.env): ScorerConfig | null {
  const kind = env.LINEAGE_SCORER?.trim();
  if (!kind) return null;
  if (!(SCORER_KINDS as readonly string[]).includes(kind))
    throw new ScorerConfigError(`LINEAGE_SCORER must be one of ${SCORER_KINDS.join(", ")} (got "${kind}")`);
  const k = kind as ScorerKind;
  const url = env.LINEAGE_SCORER_URL?.trim() || DEFAULT_SCORER_URLS[k];
  if (!url) throw new ScorerConfigError(`LINEAGE_SCORER=${k} needs LINEAGE_SCORER_URL (the classifier's URL)`);
  const qpsRaw = env.LINEAGE_SCORER_QPS?.trim();
  const qps = qpsRaw ? Number(qpsRaw) : DEFAULT_QPS[k];
  if (!(qps > 0)) throw new ScorerConfigError(`LINEAGE_SCORER_QPS must be a positive number (got "${qpsRaw}")`);
  const keyEnv = env.LINEAGE_SCORER_API_KEY_ENV === undefined ? DEFAULT_KEY_ENV[k] : env.LINEAGE_SCORER_API_KEY_ENV.trim() || null;
  return {
    kind: k,
    name: `env:${k}`,
    url,
    qps,
    apiKeyEnv: keyEnv,
    scorerId: null,
    model: env.LINEAGE_SCORER_MODEL?.trim() || null,
    label: k === "http" ? env.LINEAGE_SCORER_LABEL?.trim() || "toxic" : null,
    attributes: k === "perspective" ? [...PERSPECTIVE_ATTRIBUTES] : [],
  };
}

/** A Scorer table row as a run snapshot. */
export function scorerFromRow(row: {
  id: string;
  name: string;
  kind: string;
  url: string;
  apiKeyEnv: string | null;
  qps: number;
  options: unknown;
}): ScorerConfig {
  if (!(SCORER_KINDS as readonly string[]).includes(row.kind)) throw new ScorerConfigError(`scorer "${row.name}" has an unknown kind "${row.kind}"`);
  const k = row.kind as ScorerKind;
  const o = (row.options ?? {}) as { model?: string; label?: string; attributes?: string[] };
  return {
    kind: k,
    name: row.name,
    url: row.url,
    qps: row.qps,
    apiKeyEnv: row.apiKeyEnv,
    scorerId: row.id,
    model: o.model ?? null,
    label: k === "http" ? (o.label ?? "toxic") : null,
    attributes: k === "perspective" ? (o.attributes?.length ? o.attributes : [...PERSPECTIVE_ATTRIBUTES]) : [],
  };
}

/** A working scorer for a snapshot; the key comes from the named variable or the row's encrypted secret. */
export function createScorer(config: ScorerConfig, apiKeyCipher: string | null = null): ToxicityScorer {
  let apiKey: string | undefined;
  try {
    apiKey = resolveApiKey({ apiKeyEnv: config.apiKeyEnv, apiKeyCipher });
  } catch (err) {
    throw new ScorerError(`toxicity scorer ${config.name}: ${(err as Error).message}`, "config", false);
  }
  switch (config.kind) {
    case "perspective":
      return perspectiveScorer(config, apiKey);
    case "moderation":
      return moderationScorer(config, apiKey);
    case "http":
      return httpClassifierScorer(config, apiKey);
  }
}
