// The benchmark steps by id: the executor runs them, the compare page pairs their statistics.
import type { StepBenchmark, StepSnapshot, StepSnapshotOf } from "../suite";
import type { AggregateRow } from "../aggregates";
import { bbqStep } from "./bbq";
import { calibrationStep } from "./calibration";
import { crowsPairsStep } from "./crows-pairs";
import { seatStep } from "./seat";
import { stereosetStep } from "./stereoset";
import { textualStep } from "./textual";
import { rtpToxicityStep } from "./toxicity";
import type { DoneItem, ExecContext, ItemOutcome, PendingItem, StepCapability, StepModule } from "./types";

/** Each benchmark's module (each typed as precisely as it is written). */
export const STEP_MODULES = {
  textual: textualStep,
  stereoset: stereosetStep,
  crows_pairs: crowsPairsStep,
  bbq: bbqStep,
  seat: seatStep,
  rtp_toxicity: rtpToxicityStep,
  hellaswag: calibrationStep("hellaswag"),
  openbookqa: calibrationStep("openbookqa"),
} satisfies StepModules;

type StepModules = { [B in StepBenchmark]: StepModule<StepSnapshotOf<B>> };
const MODULES: StepModules = STEP_MODULES;

/** A step of a run together with its module: what the executor runs, without telling the benchmarks apart. */
export interface BoundStep {
  step: StepSnapshot;
  capability: StepCapability;
  unsupportedStopsRun: boolean;
  meansOfScores: boolean;
  execute(ctx: Omit<ExecContext, "step">, item: PendingItem): Promise<ItemOutcome>;
  aggregate(items: DoneItem[], seed: number): AggregateRow[];
  /** The means of per-item scores (meansOfScores) with what the step adds to their details. */
  annotateMeans(rows: AggregateRow[]): AggregateRow[];
}

/** The step's snapshot bound to the module of its benchmark. */
export function bindStep(step: StepSnapshot): BoundStep {
  return bind(step.benchmark, step);
}

function bind<B extends StepBenchmark>(benchmark: B, step: StepSnapshotOf<B>): BoundStep {
  const mod: StepModule<StepSnapshotOf<B>> = MODULES[benchmark];
  return {
    step,
    capability: mod.capability,
    unsupportedStopsRun: mod.unsupportedStopsRun ?? false,
    meansOfScores: mod.meansOfScores ?? false,
    execute: (ctx, item) => mod.execute({ ...ctx, step }, item),
    aggregate: (items, seed) => mod.aggregate(items, seed, step),
    annotateMeans: (rows) => (mod.annotateMeans ? mod.annotateMeans(rows, step) : rows),
  };
}
