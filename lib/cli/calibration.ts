/**
 * `lineage calibration [--in FILE]`: read one JSON object — {"probs": [[…]], "labels": […]} or
 * {"confidence": […], "correct": [0|1, …]} — from FILE or stdin, and write its calibration metrics as one JSON line:
 * {"n","accuracy","ece_10","ece_1","ece_10_width","mce_10","brier","bins":[{"lo","hi","n","accuracy","meanConfidence"}]}.
 * Bad input is a UsageError (exit 2) naming the problem and where (see validateCalibrationInput for the rules).
 */
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { calibrationReport, CalibrationInputError, validateCalibrationInput } from "../metrics/calibration";
import { UsageError } from "./io";
import type { Action } from "./program";

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export const calibrationAction: Action = async (opts, _args, io) => {
  const inFile = typeof opts.in === "string" ? opts.in : null;
  if (inFile === "") throw new UsageError("--in needs a file name");
  let text: string;
  if (inFile === null) {
    text = await readAll(io.stdin);
  } else {
    try {
      text = await readFile(inFile, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read ${inFile}${code ? ` (${code})` : ""}`);
    }
  }
  const source = inFile ?? "stdin";
  if (text.trim() === "") throw new UsageError(`no input on ${source}: expected one JSON object`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  let report: ReturnType<typeof calibrationReport>;
  try {
    report = calibrationReport(validateCalibrationInput(value));
  } catch (err) {
    if (err instanceof CalibrationInputError) throw new UsageError(`${source}: ${err.message}`);
    throw err;
  }
  io.stdout.write(JSON.stringify(report) + "\n");
  return 0;
};
