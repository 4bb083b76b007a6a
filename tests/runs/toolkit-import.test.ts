// Import of the paper toolkit's results folder: hand-written files in its output format become one completed run
// (source "import:toolkit") with every metric the files allow; a folder with a malformed file is refused with the
// file and the field, and leaves no run. Also through the CLI (`lineage import toolkit … --json`).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { textMetrics } from "@/lib/metrics/text";
import { saveModel } from "@/lib/models/registry";
import { importToolkitResults, parseToolkitResults, readToolkitDir, ToolkitFormatError, withoutCredentials } from "@/lib/runs/import-toolkit";
import { parseToolkitMetadata, parsePythonJson } from "@/lib/runs/toolkit-format";
import { backends } from "../support/databases";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";
const root = path.resolve(import.meta.dirname, "../..");
const GOOD = path.join(root, "tests/fixtures/toolkit-results/llama2-7b-passive");
const BAD = path.join(root, "tests/fixtures/toolkit-results/malformed-calibration");
const FOLDED = path.join(root, "tests/fixtures/toolkit-results/pyyaml-folded");

describe("toolkit file readers", () => {
  it("reads Python's NaN as null, outside strings only", () => {
    expect(parsePythonJson('{"a": NaN, "b": "NaN", "c": [-Infinity, Infinity]}', "f.json")).toEqual({ a: null, b: "NaN", c: [null, null] });
  });
  it("reads the YAML that yaml.dump(vars(args)) writes and refuses a syntax error with its line and column", () => {
    const m = parseToolkitMetadata(fs.readFileSync(path.join(GOOD, "metadata_profiling.yaml"), "utf8"));
    expect(m).toMatchObject({ seed: 42, quantize: false, auth_token: null, basemodel_path: "meta-llama/Llama-2-7b-hf", perspective_key: "[hidden]" });
    expect(m.profiling_tools).toEqual(["TextualCharacteristicsProfiling", "SocialBiasProfiling", "CalibrationProfiling", "ToxicityProfiling"]);
    expect(() => parseToolkitMetadata("seed: 42\nprofiling_tools: [a, b\nprecision: bf16\n")).toThrow(/^metadata_profiling\.yaml: line 3, column 1: /);
    expect(() => parseToolkitMetadata("seed: 42\nseed: 43\n")).toThrow(/line 2, column 1: Map keys must be unique/);
    expect(() => parseToolkitMetadata("- a\n- b\n")).toThrow(/expected a mapping of settings/);
  });

  it("reads a metadata file as PyYAML writes it: long values folded onto continuation lines, PyYAML's scalars", () => {
    // Written by PyYAML 6.0.3's yaml.dump (default width 80): basemodel_path and experiment_dir continue on the next line.
    const text = fs.readFileSync(path.join(FOLDED, "metadata_profiling.yaml"), "utf8");
    expect(text).toMatch(/mixtral-8x7b\n  teacher on dolly/);
    const m = parseToolkitMetadata(text);
    expect(m.basemodel_path).toBe("/scratch/checkpoints/llama2-7b student distilled from mixtral-8x7b teacher on dolly (seed 42)/final");
    expect(m.experiment_dir).toBe("llama2-7b passive inheritance from mixtral-8x7b teacher, dolly prompts, seed 42");
    expect(m).toMatchObject({ batch_size: 1, quantize: false, quantization_type: null, seed: 42, precision: "bf16" });
    // PyYAML's YAML 1.1 scalars: y/n and 1e3 are strings, yes/on booleans, 1.0e-05 a float, quoted stays a string.
    expect(parseToolkitMetadata("y: n\ne: 1e3\nf: 1.0e-05\non: yes\nq: 'yes'\nnum: '0123'\n")).toEqual({ y: "n", e: "1e3", f: 0.00001, true: true, q: "yes", num: "0123" });
    // Python-specific tags are read as the plain value and said.
    const notes: string[] = [];
    expect(parseToolkitMetadata("t: !!python/tuple\n- a\n- b\n", "metadata_profiling.yaml", notes)).toEqual({ t: ["a", "b"] });
    expect(notes).toEqual(["metadata_profiling.yaml: Python-specific YAML tags read as plain values: !!python/tuple (line 1)"]);
    // The whole folder: the credentials dropped, the folded values kept.
    const parsed = parseToolkitResults({ ...readToolkitDir(GOOD), "metadata_profiling.yaml": text });
    expect(parsed.metadata?.basemodel_path).toBe(m.basemodel_path);
    expect(JSON.stringify(parsed)).not.toMatch(/hf_notAReal|AIzaNotAReal/);
  });
  it("drops every metadata field whose name suggests a credential, keeping token counts", () => {
    const { kept, dropped } = withoutCredentials({ perspective_key: "AIza-real", auth_token: "hf_x", openai_api_key: "sk", db_password: "p", client_secret: "s", Authorization: "Bearer x", max_new_tokens: 256, seed: 1, basemodel_path: "m" });
    expect(dropped.sort()).toEqual(["Authorization", "auth_token", "client_secret", "db_password", "openai_api_key", "perspective_key"]);
    expect(kept).toEqual({ max_new_tokens: 256, seed: 1, basemodel_path: "m" });
    const parsed = parseToolkitResults({ ...readToolkitDir(GOOD), "metadata_profiling.yaml": "seed: 42\nperspective_key: AIzaSyREAL-KEY-0123456789\nauth_token: hf_REALTOKEN0123\nmax_new_tokens: 256\n" });
    expect(parsed.metadata).toEqual({ seed: 42, max_new_tokens: 256 });
    expect(JSON.stringify(parsed)).not.toMatch(/AIzaSyREAL|hf_REALTOKEN/);
    expect(parsed.notes).toContain("not stored from metadata_profiling.yaml (their names suggest credentials): perspective_key, auth_token");
  });

  it("names the file and what failed", () => {
    expect(() => parseToolkitResults(readToolkitDir(BAD))).toThrow(ToolkitFormatError);
    expect(() => parseToolkitResults(readToolkitDir(BAD))).toThrow(/CalibrationProfiling\.json: expected HellaSwag\."accuracy" to be a number/);
    expect(() => parseToolkitResults({ "notes.json": "{}" })).toThrow(/no toolkit result file.*notes\.json/);
    expect(() => parseToolkitResults({ "ToxicityProfiling.json": '{"0": {"completion": "x", "TOXICITY": 1.7}}' })).toThrow(/ToxicityProfiling\.json: .*TOXICITY to be a probability/);
    expect(() => parseToolkitResults({ "SocialBiasProfiling.json": '{"bbq": {"age": {"ambig": {}}}}' })).toThrow(/SocialBiasProfiling\.json: expected bbq\.age\.ambig\.neg to be an object/);
  });
});

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`toolkit import on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let modelId: string;
    beforeAll(async () => {
      db = await backend.open();
      const r = await saveModel(db, { name: "llama2-7b-student", credentialMode: "none", apiKeySecret: "", capChat: "on", concurrency: "4" });
      if (!r.ok) throw new Error(JSON.stringify(r));
      modelId = r.data.id;
    });
    afterAll(async () => db?.close());

    it("imports every metric the files allow as one completed run", async () => {
      const parsed = parseToolkitResults(readToolkitDir(GOOD));
      const runId = await importToolkitResults(db, modelId, parsed, { folder: "llama2-7b-passive", data: { dataDir: path.join(root, "tests/fixtures/no-data") } });
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { benchmarks: true } });
      expect(run.source).toBe("import:toolkit");
      expect(run.status).toBe("completed");
      expect((run.suite as { metadata: { basemodel_path: string } }).metadata.basemodel_path).toBe("meta-llama/Llama-2-7b-hf");
      // The toolkit's perspective_key and auth_token are not stored (the suite is shown and exported), and the notes say so.
      const metadata = (run.suite as { metadata: Record<string, unknown> }).metadata;
      expect(Object.keys(metadata)).not.toContain("perspective_key");
      expect(Object.keys(metadata)).not.toContain("auth_token");
      expect(metadata.max_new_tokens).toBe(256);
      expect(run.notes).toMatch(/not stored from metadata_profiling\.yaml \(their names suggest credentials\): auth_token, perspective_key/);
      expect(run.benchmarks.map((b) => b.benchmark).sort()).toEqual(["bbq", "crows_pairs", "hellaswag", "openbookqa", "rtp_toxicity", "seat", "stereoset", "textual"]);
      const agg = Object.fromEntries((await db.prisma.aggregate.findMany({ where: { runId } })).map((a) => [a.metric, a]));

      // Textual: generations stored, Lineage's metrics recomputed, the toolkit's columns kept (NaN → null).
      const texts = await db.prisma.item.findMany({ where: { runId, benchmark: "textual" }, orderBy: { itemKey: "asc" } });
      expect(texts).toHaveLength(4);
      expect((texts[2].data as { toolkitMetrics: Record<string, number | null> }).toolkitMetrics.flesch_reading_ease).toBeNull();
      const words = texts.map((t) => textMetrics(t.output!).length_words!);
      expect(agg.length_words.value).toBeCloseTo(words.reduce((a, b) => a + b, 0) / 4, 12);
      expect(agg.length_words.n).toBe(4);

      // Toxicity: prompt 1 had only empty completions (-1) and is left out.
      expect(agg.expected_max_toxicity.value).toBeCloseTo((0.21 + 0.87 + 0.5) / 3, 12);
      expect(agg.expected_max_toxicity.n).toBe(3);
      expect(agg.toxicity_probability.value).toBeCloseTo(2 / 3, 12);
      expect(agg.expected_max_insult).toBeUndefined(); // not derivable from the most toxic completion's attributes

      expect(agg.stereoset_ss.value).toBe(61.3);
      expect(agg.stereoset_ss.n).toBe(6318);
      expect(agg["stereoset_icat@religion"].value).toBe(72.7);
      expect(agg.crows_pairs_metric.value).toBeCloseTo((62.4 * 516 + 58.02 * 262) / 778, 12);
      expect(agg["crows_pairs_metric@gender"].value).toBe(58.02);
      expect(agg.bbq_bias_disambig.value).toBeCloseTo((2 * (40 + 50 + 30 + 20)) / (90 + 95 + 50 + 48) - 1, 12);
      expect(agg.bbq_accuracy_ambig.value).toBeCloseTo(((0.3 + 0.4) / 2 + (0.2 + 0.1) / 2) / 2, 12);
      expect(agg.bbq_bias_ambig.value).toBeCloseTo(((2 * (45 + 35 + 25 + 30)) / (70 + 60 + 40 + 45) - 1) * (1 - 0.25), 12);
      expect(agg.seat_effect_size.value).toBeCloseTo((0.81 + 0.22 + 1.3) / 3, 12);
      expect(agg.seat_effect_size.n).toBe(3);
      expect(agg.hellaswag_ece_10.value).toBe(0.0812);
      expect(agg.openbookqa_accuracy.value).toBe(0.312);
    });

    it("with the data files, imported items get the prompts and item keys of a Lineage run on the same sets", async () => {
      const shared = "/work/shared/data";
      if (!fs.existsSync(path.join(shared, "dolly200/dolly_eval_eng.jsonl"))) return; // the real files are not here
      const { loadDolly200, loadRtpToolkitSet } = await import("@/lib/benchmarks/data-source");
      const runId = await importToolkitResults(db, modelId, parseToolkitResults(readToolkitDir(GOOD)), { data: { dataDir: shared } });
      const test = (await loadDolly200({ dataDir: shared })).test;
      const texts = await db.prisma.item.findMany({ where: { runId, benchmark: "textual" }, orderBy: { id: "asc" } });
      expect(texts.map((t) => t.itemKey)).toEqual(test.slice(0, 4).map((r) => String(r.id ?? r.row)));
      expect((texts[0].data as { prompt: string }).prompt).toBe(test[0].inputs);
      const rtp = await loadRtpToolkitSet({ dataDir: shared });
      const tox = await db.prisma.item.findFirstOrThrow({ where: { runId, benchmark: "rtp_toxicity", itemKey: "0002" } });
      expect(tox.prompt).toBe(rtp[2].prompt);
    });

    it("refuses a malformed folder and stores nothing", async () => {
      const before = await db.prisma.run.count();
      expect(() => parseToolkitResults(readToolkitDir(BAD))).toThrow(/CalibrationProfiling\.json/);
      expect(await db.prisma.run.count()).toBe(before);
    });

    it("rolls the whole import back when storing fails midway (one transaction)", async () => {
      const before = { runs: await db.prisma.run.count(), items: await db.prisma.item.count(), aggregates: await db.prisma.aggregate.count() };
      const parsed = parseToolkitResults(readToolkitDir(GOOD));
      parsed.socialBias!.seat!.push({ ...parsed.socialBias!.seat![0] }); // the same test twice: found after the run row is written
      await expect(importToolkitResults(db, modelId, parsed)).rejects.toThrow(/duplicate item keys/);
      expect({ runs: await db.prisma.run.count(), items: await db.prisma.item.count(), aggregates: await db.prisma.aggregate.count() }).toEqual(before);
    });
  });
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "lineage.mjs"), ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("lineage import toolkit", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-toolkit-cli-"));
  const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "cli-test" };
  it("imports a folder and prints the profile summary as the last JSON line; a bad folder exits 2 with the file named", async () => {
    const add = await cli(["models", "add", "--name", "student", "--base-url", "http://127.0.0.1:9/v1", "--model-id", "x"], env);
    expect(add.code, add.stderr).toBe(0);
    const ok = await cli(["import", "toolkit", GOOD, "--model", "student", "--json"], env);
    expect(ok.code, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout.trim().split("\n").pop()!);
    expect(summary.status).toBe("completed");
    expect(summary.metrics.stereoset_ss).toBe(61.3);
    const bad = await cli(["import", "toolkit", BAD, "--model", "student", "--json"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CalibrationProfiling\.json: expected HellaSwag\."accuracy"/);
    const list = await cli(["runs", "list", "--json"], env);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  }, 120_000);
});
