// The benchmark steps other than textual, by id: the executor runs them, the compare page pairs their statistics.
import type { StepBenchmark } from "../suite";
import { bbqStep } from "./bbq";
import { calibrationStep } from "./calibration";
import { crowsPairsStep } from "./crows-pairs";
import { seatStep } from "./seat";
import { stereosetStep } from "./stereoset";
import { rtpToxicityStep } from "./toxicity";
import type { StepModule } from "./types";

export const STEP_MODULES: Record<Exclude<StepBenchmark, "textual">, StepModule> = {
  stereoset: stereosetStep,
  crows_pairs: crowsPairsStep,
  bbq: bbqStep,
  seat: seatStep,
  rtp_toxicity: rtpToxicityStep,
  hellaswag: calibrationStep("hellaswag"),
  openbookqa: calibrationStep("openbookqa"),
};
