// Which toxicity scorer is used, decided here and nowhere else: the one a run or dataset names (configured on
// /scorers), else the LINEAGE_SCORER environment, else — for datasets — the first scorer configured; and a working
// scorer for the ScorerConfig a run or dataset snapshotted (its key from the named variable or the row's stored secret).
import type { Database } from "@/lib/db/client";
import { createScorer, scorerFromEnv, scorerFromRow, ScorerConfigError } from "./config";
import { findScorerByName, firstConfiguredScorer, scorerKeyCipher } from "./registry";
import type { ScorerConfig, ToxicityScorer } from "./types";

export interface ScorerChoice {
  /** A scorer configured on /scorers, by name: a `not_found` ScorerConfigError when there is none of that name. */
  name?: string;
  /** Without a name and without LINEAGE_SCORER, the first scorer configured (datasets); runs have none then. */
  orFirstConfigured?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The scorer to snapshot, or null when none is configured. A configuration that cannot be used (LINEAGE_SCORER
 * malformed, a row of an unknown kind) is a ScorerConfigError (`environment`).
 */
export async function resolveScorer(db: Database, choice: ScorerChoice = {}): Promise<ScorerConfig | null> {
  if (choice.name) {
    const row = await findScorerByName(db, choice.name);
    if (!row) throw new ScorerConfigError(`No scorer named "${choice.name}".`, { kind: "not_found" });
    return scorerFromRow(row);
  }
  const fromEnv = scorerFromEnv(choice.env ?? process.env);
  if (fromEnv || !choice.orFirstConfigured) return fromEnv;
  const row = await firstConfiguredScorer(db);
  return row ? scorerFromRow(row) : null;
}

/** A working scorer for a snapshot: the key from its variable, or the stored secret of the row it came from. */
export async function openScorer(db: Database, config: ScorerConfig): Promise<ToxicityScorer> {
  return createScorer(config, config.scorerId ? await scorerKeyCipher(db, config.scorerId) : null);
}
