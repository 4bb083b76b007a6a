// What a benchmark step is made of: the items it prepares when a run is created (./prepare.ts), how one item is
// executed against the endpoint, and how its completed items become run-level aggregates. A module is generic over
// its step's snapshot (lib/runs/suite.ts), which the executor reads back through the step's schema.
import type { Endpoint } from "@/lib/llm/endpoint";
import type { OnAttempt } from "@/lib/llm/retry";
import type { ToxicityScorer } from "@/lib/scorers/types";
import type { AttributeServices } from "@/lib/attributes/services";
import type { AggregateRow } from "../aggregates";
import type { StepSnapshot } from "../suite";

/** Capability a step needs from the endpoint (checked before the step runs; missing → "unsupported"). */
export type StepCapability = "generate" | "echo" | "embeddings";

export interface PendingItem {
  id: number;
  itemKey: string;
  sampleIndex: number;
  prompt: string;
  data: unknown;
}

export interface ExecContext<S extends StepSnapshot = StepSnapshot> {
  endpoint: Endpoint;
  /** The step as snapshotted on the run. */
  step: S;
  seed: number;
  signal: AbortSignal;
  /** Toxicity only: the scorer of the run. */
  scorer?: ToxicityScorer;
  /** Textual only: the judges' endpoints and classifiers' scorers of its custom attributes. */
  attributes?: AttributeServices;
  /** Stores intermediate data on a still-pending item (e.g. generated continuations before they are scored). */
  saveProgress(itemId: number, data: unknown): Promise<void>;
  /**
   * Failed attempts of the item's request, for a module to pass to the model client: the executor records the last
   * one on the item (errors by kind) and counts them when the item fails. A module that counts its own attempts
   * does not pass it (its failed items then count one attempt).
   */
  onAttempt: OnAttempt;
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
  /** The item's per-sample metric values (Item.scores), for steps whose metrics are means over items. */
  scores?: Record<string, number | null> | null;
}

/**
 * A benchmark's metrics as one statistic over its items. The run's aggregates bootstrap it over the run's items;
 * the compare page resamples it over the items two runs share (METRICS.md §5), so both use this one definition.
 */
export interface ItemStatistic<T> {
  /** the benchmark-level metric ids it computes */
  metrics: readonly string[];
  /** what one completed item contributes, computed once per item */
  unit(item: DoneItem): T;
  /** the slice of a unit for sub-metric ids `metric:slice` (a StereoSet domain, a CrowS-Pairs bias type) */
  slice?(unit: T): string;
  /** every metric of a sample of units */
  statistic(sample: readonly T[]): Record<string, number | null>;
  /**
   * Cost of `statistic` per unit relative to a plain mean (≈ 1): the compare page sizes its resampling effort by
   * n × itemCost so that a comparison stays within a few seconds (a sort per sample costs ≈ 20).
   */
  itemCost: number;
}

export interface StepModule<S extends StepSnapshot = StepSnapshot> {
  capability: StepCapability;
  execute(ctx: ExecContext<S>, item: PendingItem): Promise<ItemOutcome>;
  /** Aggregates from the completed items, in (item key, sample index) order. */
  aggregate(items: DoneItem[], seed: number, step: S): AggregateRow[];
  /**
   * Every aggregate is the mean of a per-item score (Item.scores) and nothing else is read from the items: the
   * executor then aggregates page by page (lib/runs/aggregates.ts storedMeanAggregates) instead of loading them all.
   */
  meansOfScores?: boolean;
  /** With meansOfScores: what the step adds to the details of those means (e.g. the attribute version measured). */
  annotateMeans?(rows: AggregateRow[], step: S): AggregateRow[];
  /** Benchmark-level metrics as a statistic over items (absent when every metric is a per-sample mean). */
  // biome-ignore lint/suspicious/noExplicitAny: each step's statistic has its own unit type; the executor only passes items through
  statistic?: ItemStatistic<any>;
  /**
   * An item the endpoint refuses as unsupported makes the step "unsupported" and the run goes on with the next step;
   * with `unsupportedStopsRun` (the textual step, whose only request is plain generation) the run stops failed instead.
   */
  unsupportedStopsRun?: boolean;
}
