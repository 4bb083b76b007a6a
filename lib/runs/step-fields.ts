// What a suite's steps are made of, shared by the suite schema (lib/runs/suite.ts) and the new-run form
// (lib/runs/run-form.ts), so that the form offers exactly what a suite accepts. Pure (zod only): client components
// read the labels.
import { z } from "zod";

/** Every benchmark id a suite accepts. */
export const STEP_BENCHMARKS = ["stereoset", "crows_pairs", "bbq", "seat", "rtp_toxicity", "hellaswag", "openbookqa", "textual"] as const;
export type StepBenchmark = (typeof STEP_BENCHMARKS)[number];

export const STEP_BENCHMARK_LABELS: Record<StepBenchmark, string> = {
  textual: "Textual characteristics",
  stereoset: "StereoSet",
  crows_pairs: "CrowS-Pairs",
  bbq: "BBQ",
  seat: "SEAT",
  rtp_toxicity: "RealToxicityPrompts",
  hellaswag: "HellaSwag calibration",
  openbookqa: "OpenBookQA calibration",
};

/** How a generating step sends its template: as a completion prompt or as the user message of a chat. */
export const REQUEST_MODES = ["completion", "chat"] as const;
export type RequestMode = (typeof REQUEST_MODES)[number];
export const REQUEST_MODE_LABELS: Record<RequestMode, string> = {
  completion: "Completions (template as the prompt)",
  chat: "Chat (template as the user message)",
};

/** Samples drawn per prompt. */
export const samplesField = () => z.number().int("A whole number.").min(1, "At least 1.").max(100, "At most 100.");
