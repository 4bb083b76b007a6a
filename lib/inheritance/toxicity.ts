// Toxicity targets: candidates are scored by the configured toxicity scorer (lib/scorers) after generation, and only
// those not scored yet, so a re-selection with a toxicity target sends scorer requests for the missing scores and
// never a generation request. Per candidate, `expected_max_<attribute>` holds the scorer's probability for that
// attribute (the per-prompt maximum of METRICS.md §3 is taken over one text); an empty text is not scored (null).
import type { Database } from "@/lib/db/client";
import { getMetric } from "@/lib/metrics/catalogue";
import { ScorerConfigError } from "@/lib/scorers/config";
import { openScorer, resolveScorer } from "@/lib/scorers/resolve";
import type { ScorerConfig, ToxicityScorer } from "@/lib/scorers/types";

/** Candidate score key → scorer attribute. */
export const TOXICITY_TARGETS: Record<string, string> = {
  expected_max_toxicity: "TOXICITY",
  expected_max_severe_toxicity: "SEVERE_TOXICITY",
  expected_max_identity_attack: "IDENTITY_ATTACK",
  expected_max_insult: "INSULT",
  expected_max_profanity: "PROFANITY",
  expected_max_threat: "THREAT",
};

/** The key whose presence marks a candidate as scored (null for an empty text). */
export const SCORED_KEY = "expected_max_toxicity";

export function isToxicityTarget(id: string | null | undefined): boolean {
  return !!id && id in TOXICITY_TARGETS;
}

/**
 * The scorer a dataset uses: LINEAGE_SCORER (and its variables) when set, else the first scorer configured in the UI.
 * `error` says why a configured scorer cannot be used.
 */
export async function resolveDatasetScorer(db: Database): Promise<{ config: ScorerConfig | null; error: string | null }> {
  try {
    return { config: await resolveScorer(db, { orFirstConfigured: true }), error: null };
  } catch (err) {
    if (err instanceof ScorerConfigError) return { config: null, error: err.message };
    throw err;
  }
}

export { openScorer };

/** Done candidates of the dataset that have no toxicity score yet. */
export async function countUnscored(db: Database, datasetId: string): Promise<number> {
  const { rows } = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Candidate" WHERE "datasetId" = $1 AND status = 'done' AND NOT (coalesce(scores, '{}'::jsonb) ? $2)`,
    [datasetId, SCORED_KEY],
  );
  return rows[0]?.n ?? 0;
}

function toScores(attrs: Record<string, number> | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, attr] of Object.entries(TOXICITY_TARGETS)) out[key] = attrs && typeof attrs[attr] === "number" ? attrs[attr] : null;
  return out;
}

/**
 * Scores every done candidate without a toxicity score, a bounded number at a time (the scorer paces itself to its
 * QPS). Results are merged into the stored scores in batches. Stops quietly when the signal aborts; a scorer error
 * is thrown after what was scored is written.
 */
export async function scoreMissing(db: Database, datasetId: string, scorer: ToxicityScorer, signal: AbortSignal): Promise<number> {
  const window = Math.max(2, Math.min(64, Math.ceil(scorer.config.qps * 2)));
  let scored = 0;
  let failure: unknown = null;
  while (!signal.aborted && !failure) {
    const { rows } = await db.sql.query<{ id: number; output: string | null }>(
      `SELECT id, output FROM "Candidate" WHERE "datasetId" = $1 AND status = 'done' AND NOT (coalesce(scores, '{}'::jsonb) ? $2) ORDER BY id LIMIT 500`,
      [datasetId, SCORED_KEY],
    );
    if (rows.length === 0) break;
    const results: { id: number; scores: Record<string, number | null> }[] = [];
    let next = 0;
    const worker = async () => {
      while (!signal.aborted && !failure && next < rows.length) {
        const r = rows[next++];
        try {
          results.push({ id: Number(r.id), scores: toScores(await scorer.score(r.output ?? "", { signal })) });
        } catch (err) {
          if (!signal.aborted) failure = err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, rows.length) }, worker));
    if (results.length) {
      await db.sql.query(
        `UPDATE "Candidate" AS c SET scores = coalesce(c.scores, '{}'::jsonb) || v.s::jsonb
         FROM unnest($2::int[], $3::text[]) AS v(id, s) WHERE c.id = v.id AND c."datasetId" = $1`,
        [datasetId, results.map((r) => r.id), results.map((r) => JSON.stringify(r.scores))],
      );
      scored += results.length;
    }
  }
  if (failure) throw failure;
  return scored;
}

export function toxicityLabel(id: string): string {
  return getMetric(id)?.label ?? id;
}
