import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "./main";

const REPO = path.resolve(import.meta.dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-calibration-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const code = await main(["calibration", ...args], { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, stdout: out, stderr: err };
}

// The small confidence example of calibration.test.ts: ECE_10 .3375, ECE_1 .0375, width ECE .1125, MCE .2,
// Brier .153125 (arithmetic there).
const confidenceInput = { confidence: [0.9, 0.8, 0.6, 0.55], correct: [1, 1, 0, 1] };

describe("lineage calibration", () => {
  it("reads one JSON object from stdin and writes one JSON line", async () => {
    const r = await run([], JSON.stringify(confidenceInput));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["n", "accuracy", "ece_10", "ece_1", "ece_10_width", "mce_10", "brier", "bins"]);
    expect(out.n).toBe(4);
    expect(out.accuracy).toBe(0.75);
    expect(out.ece_10).toBeCloseTo(0.3375, 12);
    expect(out.ece_1).toBeCloseTo(0.0375, 12);
    expect(out.ece_10_width).toBeCloseTo(0.1125, 12);
    expect(out.mce_10).toBeCloseTo(0.2, 12);
    expect(out.brier).toBeCloseTo(0.153125, 12);
    expect(out.bins).toHaveLength(4);
    expect(Object.keys(out.bins[0])).toEqual(["lo", "hi", "n", "accuracy", "meanConfidence"]);
  });

  it("reads --in FILE, probabilities form, and writes empty bins with null accuracy", async () => {
    // all confidences 0.7 → bins [0, .7] (n 2) and (.7, 1] empty
    const file = path.join(tmp, "probs.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        probs: [
          [0.7, 0.3],
          [0.3, 0.7],
        ],
        labels: [0, 0],
      }),
    );
    const r = await run(["--in", file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // item 1 right (0.7), item 2 wrong (predicts 1 with 0.7): accuracy .5, ECE .2
    // Brier: (.3² + .3²) and (.7² + .7²) → (.18 + .98)/2 = .58
    expect(out.accuracy).toBe(0.5);
    expect(out.ece_10).toBeCloseTo(0.2, 12);
    expect(out.brier).toBeCloseTo(0.58, 12);
    expect(out.bins[1]).toEqual({ lo: 0.7, hi: 1, n: 0, accuracy: null, meanConfidence: null });
  });

  it.each([
    ["invalid JSON", "{probs:", /^lineage calibration: stdin is not valid JSON: /],
    [
      "ragged probs",
      JSON.stringify({
        probs: [
          [0.5, 0.5],
          [1, 0, 0],
        ],
        labels: [0, 0],
      }),
      /stdin: probs\[1\] has 3 values, expected 2\n$/,
    ],
    ["label out of range", JSON.stringify({ probs: [[0.5, 0.5]], labels: [2] }), /labels\[0\] is 2, expected an integer from 0 to 1/],
    ["probs not summing to 1", JSON.stringify({ probs: [[0.5, 0.6]], labels: [0] }), /probs\[0\] sums to 1\.1, expected 1/],
    ["lengths differ", JSON.stringify({ confidence: [0.5, 0.6], correct: [1] }), /"confidence" has 2 items but "correct" has 1/],
    ["confidence outside [0, 1]", JSON.stringify({ confidence: [1.2], correct: [1] }), /confidence\[0\] is 1\.2, outside \[0, 1\]/],
    ["correct not 0/1", JSON.stringify({ confidence: [0.5], correct: [0.5] }), /correct\[0\] is 0\.5, expected 0 or 1/],
    ["no input", "", /no input on stdin/],
  ])("rejects %s with exit 2 and a one-line message", async (_name, stdin, message) => {
    const r = await run([], stdin);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("rejects unknown arguments and unreadable files", async () => {
    const unknown = await run(["--out", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^lineage calibration: unknown option '--out'/);
    const missing = await run(["--in", path.join(tmp, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json \(ENOENT\)/);
    expect((await run(["--in"])).code).toBe(2);
  });

  it("runs through the real bin", async () => {
    const file = path.join(tmp, "conf.json");
    fs.writeFileSync(file, JSON.stringify(confidenceInput));
    const exec = promisify(execFile);
    const { stdout } = await exec(process.execPath, ["bin/lineage.mjs", "calibration", "--in", file], { cwd: REPO });
    const out = JSON.parse(stdout);
    expect(out.n).toBe(4);
    expect(out.ece_10).toBeCloseTo(0.3375, 12);

    const badFile = path.join(tmp, "bad.json");
    fs.writeFileSync(badFile, JSON.stringify({ confidence: [0.5], correct: [3] }));
    const failed = await exec(process.execPath, ["bin/lineage.mjs", "calibration", "--in", badFile], { cwd: REPO }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/correct\[0\] is 3, expected 0 or 1/);
  });
});
