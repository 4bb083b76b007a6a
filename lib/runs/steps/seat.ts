// SEAT: one item per test; its four sets are embedded through the endpoint, the effect size and permutation p-value
// computed (May et al. 2019); the run metric is the mean |d| over tests (METRICS.md §2).
import { embed } from "@/lib/llm/embeddings";
import { seatRunEffectSize, seatTest } from "@/lib/metrics/seat";
import type { AggregateRow } from "../aggregates";
import { statisticAggregates } from "./statistic-aggregates";
import type { StepSnapshotOf } from "../suite";
import type { DoneItem, ItemStatistic, StepModule } from "./types";

type SetKey = "targ1" | "targ2" | "attr1" | "attr2";
export const SEAT_SETS: readonly SetKey[] = ["targ1", "targ2", "attr1", "attr2"];

export interface SeatItemData {
  test: string;
  sets: Record<SetKey, { category: string; examples: string[] }>;
  effectSize?: number | null;
  pValue?: number;
  method?: string;
  partitions?: number;
}

type SeatUnit = { test: string; effectSize: number | null; pValue: number | null };

/** The run's SEAT effect size: mean |d| over the tests (METRICS.md §2). */
const seatStatistic: ItemStatistic<SeatUnit> = {
  metrics: ["seat_effect_size"],
  unit: (i) => {
    const d = i.data as SeatItemData;
    return { test: d.test, effectSize: d.effectSize ?? null, pValue: d.pValue ?? null };
  },
  statistic: (sample) => ({ seat_effect_size: seatRunEffectSize(sample).seat_effect_size }),
  itemCost: 1,
};

export const seatStep = {
  capability: "embeddings",
  async execute(ctx, item) {
    const d = item.data as SeatItemData;
    const texts = [...new Set(SEAT_SETS.flatMap((k) => d.sets[k].examples))];
    let failed = 0;
    const started = performance.now();
    const vectors = await embed(ctx.endpoint, texts, { signal: ctx.signal, onAttempt: () => void failed++ });
    const latencyMs = performance.now() - started;
    const byText = new Map(texts.map((t, i) => [t, vectors[i]]));
    const of = (k: SetKey) => d.sets[k].examples.map((t) => byText.get(t)!);
    const r = seatTest(
      { name: d.test, targ1: of("targ1"), targ2: of("targ2"), attr1: of("attr1"), attr2: of("attr2") },
      { seed: `${ctx.seed}:${d.test}`, permutations: ctx.step.permutations },
    );
    return {
      output: `d = ${r.effectSize === null ? "undefined" : r.effectSize.toFixed(3)}, p = ${r.pValue.toPrecision(3)}`,
      data: { ...d, effectSize: r.effectSize, pValue: r.pValue, method: r.method, partitions: r.partitions },
      scores: { seat_effect_size: r.effectSize },
      latencyMs,
      attempts: failed + 1,
    };
  },
  // The toolkit import aggregates imported tests with no run step to give (it passes an empty one).
  aggregate(items: DoneItem[], seed: number, _step?: unknown): AggregateRow[] {
    const tests = items.map((i) => seatStatistic.unit(i));
    return statisticAggregates(tests, seatStatistic.statistic, seatStatistic.metrics, `${seed}:seat`, () => ({
      statistic: "mean |d| over tests",
      tests: tests,
    }));
  },
  statistic: seatStatistic,
} satisfies StepModule<StepSnapshotOf<"seat">>;
