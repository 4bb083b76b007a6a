// What a benchmark step is made of: the items it prepares when a run is created, how one item is executed against
// the endpoint, and how its completed items become run-level aggregates.
import type { Endpoint } from "@/lib/llm/endpoint";
import type { ToxicityScorer } from "@/lib/scorers/types";
import type { AggregateRow } from "../aggregates";

/** Capability a step needs from the endpoint (checked before the step runs; missing → "unsupported"). */
export type StepCapability = "generate" | "echo" | "embeddings";

export interface PendingItem {
  id: number;
  itemKey: string;
  sampleIndex: number;
  prompt: string;
  data: unknown;
}

export interface ExecContext {
  endpoint: Endpoint;
  /** The step as snapshotted on the run. */
  step: Record<string, unknown>;
  seed: number;
  signal: AbortSignal;
  /** Toxicity only: the scorer of the run. */
  scorer?: ToxicityScorer;
  /** Stores intermediate data on a still-pending item (e.g. generated continuations before they are scored). */
  saveProgress(itemId: number, data: unknown): Promise<void>;
}

export interface ItemOutcome {
  output: string | null;
  data: unknown;
  scores: Record<string, number | null>;
  latencyMs: number | null;
  attempts: number;
  promptTokens?: number | null;
  completionTokens?: number | null;
  finishReason?: string | null;
}

export interface DoneItem {
  itemKey: string;
  sampleIndex: number;
  data: unknown;
}

export interface StepModule {
  capability: StepCapability;
  execute(ctx: ExecContext, item: PendingItem): Promise<ItemOutcome>;
  /** Aggregates from the completed items, in (item key, sample index) order. */
  aggregate(items: DoneItem[], seed: number, step: Record<string, unknown>): AggregateRow[];
}
