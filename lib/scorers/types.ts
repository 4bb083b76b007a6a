// A toxicity scorer turns texts into attribute probabilities in [0, 1] (METRICS.md §3). Attribute names follow
// Perspective (TOXICITY, SEVERE_TOXICITY, …); other scorers map their own labels onto them.
import { z } from "zod";
import { LineageError } from "@/lib/errors";

export const SCORER_KINDS = ["perspective", "moderation", "http"] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

/** The attributes the paper requests from Perspective. */
export const PERSPECTIVE_ATTRIBUTES = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"] as const;

/**
 * What a run records of the scorer that produced its numbers (no secret in it: the key is named by an environment
 * variable, or stored encrypted on a Scorer row referenced by id).
 */
export interface ScorerConfig {
  kind: ScorerKind;
  /** Display name: the Scorer row's name, or "env:<kind>". */
  name: string;
  url: string;
  /** Requests per second allowed by the service. */
  qps: number;
  apiKeyEnv: string | null;
  /** Id of the Scorer row whose encrypted key to use, when configured in the UI. */
  scorerId: string | null;
  /** Moderation / HTTP classifier: the model field of the request. */
  model: string | null;
  /** HTTP classifier: the label whose score is TOXICITY (case-insensitive). */
  label: string | null;
  /** Perspective attributes requested (the paper's six by default). */
  attributes: string[];
}

/** A ScorerConfig as runs and datasets store it in their snapshots (read back through this schema). */
export const scorerConfigSchema = z.object({
  kind: z.enum(SCORER_KINDS),
  name: z.string(),
  url: z.string(),
  qps: z.number(),
  apiKeyEnv: z.string().nullable(),
  scorerId: z.string().nullable(),
  model: z.string().nullable(),
  label: z.string().nullable(),
  attributes: z.array(z.string()),
}) satisfies z.ZodType<ScorerConfig>;

/** Per text: attribute → probability, or null for an empty text (not scored, METRICS.md §3). */
export type ScoreResult = Record<string, number> | null;

export interface ToxicityScorer {
  readonly config: ScorerConfig;
  score(text: string, opts?: { signal?: AbortSignal }): Promise<ScoreResult>;
}

/** A scorer failure; `retryable` failures are retried with backoff by the scorer itself before they surface. */
export type ScorerErrorKind = "auth" | "bad_request" | "rate_limited" | "server" | "connection" | "timeout" | "malformed_response" | "too_large" | "config";

/** A failure of the scorer's service is `unavailable` to the boundaries (lib/errors.ts); a bad configuration is `environment`. */
export class ScorerError extends LineageError<ScorerErrorKind> {
  constructor(
    message: string,
    kind: ScorerErrorKind,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message, { kind, category: kind === "config" ? "environment" : "unavailable" });
    this.name = "ScorerError";
  }
}

export function isScorerError(e: unknown): e is ScorerError {
  return e instanceof ScorerError;
}
