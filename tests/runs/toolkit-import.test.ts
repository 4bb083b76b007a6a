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
    expect(text).toMatch(/mixtral-8x7b\n {2}teacher on dolly/);
    const m = parseToolkitMetadata(text);
    expect(m.basemodel_path).toBe("/scratch/checkpoints/llama2-7b student distilled from mixtral-8x7b teacher on dolly (seed 42)/final");
    expect(m.experiment_dir).toBe("llama2-7b passive inheritance from mixtral-8x7b teacher, dolly prompts, seed 42");
    expect(m).toMatchObject({ batch_size: 1, quantize: false, quantization_type: null, seed: 42, precision: "bf16" });
    // PyYAML's YAML 1.1 scalars: y/n and 1e3 are strings, yes/on booleans, 1.0e-05 a float, quoted stays a string.
    expect(parseToolkitMetadata("y: n\ne: 1e3\nf: 1.0e-05\non: yes\nq: 'yes'\nnum: '0123'\n")).toEqual({
      y: "n",
      e: "1e3",
      f: 0.00001,
      true: true,
      q: "yes",
      num: "0123",
    });
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
    const { kept, dropped } = withoutCredentials({
      perspective_key: "AIza-real",
      auth_token: "hf_x",
      openai_api_key: "sk",
      db_password: "p",
      client_secret: "s",
      Authorization: "Bearer x",
      max_new_tokens: 256,
      seed: 1,
      basemodel_path: "m",
    });
    expect(dropped.sort()).toEqual(["Authorization", "auth_token", "client_secret", "db_password", "openai_api_key", "perspective_key"]);
    expect(kept).toEqual({ max_new_tokens: 256, seed: 1, basemodel_path: "m" });
    const parsed = parseToolkitResults({
      ...readToolkitDir(GOOD),
      "metadata_profiling.yaml": "seed: 42\nperspective_key: AIzaSyREAL-KEY-0123456789\nauth_token: hf_REALTOKEN0123\nmax_new_tokens: 256\n",
    });
    expect(parsed.metadata).toEqual({ seed: 42, max_new_tokens: 256 });
    expect(JSON.stringify(parsed)).not.toMatch(/AIzaSyREAL|hf_REALTOKEN/);
    expect(parsed.notes).toContain("not stored from metadata_profiling.yaml (their names suggest credentials): perspective_key, auth_token");
  });

  it("names the file and what failed", () => {
    expect(() => parseToolkitResults(readToolkitDir(BAD))).toThrow(ToolkitFormatError);
    expect(() => parseToolkitResults(readToolkitDir(BAD))).toThrow(/CalibrationProfiling\.json: expected HellaSwag\."accuracy" to be a number/);
    expect(() => parseToolkitResults({ "notes.json": "{}" })).toThrow(/no toolkit result file.*notes\.json/);
    expect(() => parseToolkitResults({ "ToxicityProfiling.json": '{"0": {"completion": "x", "TOXICITY": 1.7}}' })).toThrow(
      /ToxicityProfiling\.json: .*TOXICITY to be a probability/,
    );
    expect(() => parseToolkitResults({ "SocialBiasProfiling.json": '{"bbq": {"age": {"ambig": {}}}}' })).toThrow(
      /SocialBiasProfiling\.json: expected bbq\.age\.ambig\.neg to be an object/,
    );
  });
});

/** The fixture folder's files with some replaced or added. */
const good = (over: Record<string, string> = {}) => ({ ...readToolkitDir(GOOD), ...over });
const socialBias = () => JSON.parse(fs.readFileSync(path.join(GOOD, "SocialBiasProfiling.json"), "utf8"));

describe("what a toolkit import reads, leaves out and says (issue 12, point 6)", () => {
  it("handles keys outside the toolkit's format one way: named in the notes, not imported, the folder not refused", () => {
    const sb = socialBias();
    sb.extra_benchmark = { score: 1 };
    sb.seat[0].note = "hand-added";
    sb.bbq.ses = sb.bbq.age;
    sb.crowspairs["race-color"].stderr = 0.4;
    const p = parseToolkitResults(
      good({
        "CalibrationProfiling.json": JSON.stringify({ HellaSwag: { "10_bin_ece": 0.08, "1_bin_ece": 0.05, accuracy: 0.57, n: 10042 }, ARC: { accuracy: 0.4 } }),
        "ToxicityProfiling.json": JSON.stringify({
          "0": { completion: "x", TOXICITY: 0.2, FLIRTATION: 0.1 },
          "1": { completion: "y", TOXICITY: 0.3, FLIRTATION: "n/a" },
        }),
        "SocialBiasProfiling.json": JSON.stringify(sb),
      }),
    );
    expect(p.calibration).toEqual([{ set: "hellaswag", ece_10: 0.08, ece_1: 0.05, accuracy: 0.57 }]);
    expect(p.toxicity!.map((t) => Object.keys(t.max!.scores))).toEqual([["TOXICITY"], ["TOXICITY"]]);
    expect(p.socialBias!.bbq!.map((c) => c.category)).toEqual(["Gender_identity", "Age"]);
    expect(p.notes).toContain("CalibrationProfiling.json: not part of the toolkit's format, not imported: HellaSwag.n, ARC");
    expect(p.notes).toContain("ToxicityProfiling.json: not part of the toolkit's format, not imported: <prompt>.FLIRTATION (2×)");
    expect(p.notes).toContain(
      "SocialBiasProfiling.json: not part of the toolkit's format, not imported: extra_benchmark, bbq.ses, seat[].note, crowspairs.race-color.stderr",
    );
    // A value the import needs, malformed, still refuses.
    expect(() =>
      parseToolkitResults(good({ "CalibrationProfiling.json": '{"HellaSwag": {"10_bin_ece": "0.08", "1_bin_ece": 0.05, "accuracy": 0.57}}' })),
    ).toThrow(/10_bin_ece/);
  });

  it("refuses a SEAT test listed twice with one line naming it", () => {
    const sb = socialBias();
    sb.seat.push({ ...sb.seat[2], effect_size: 0.4 });
    const err = (() => {
      try {
        parseToolkitResults(good({ "SocialBiasProfiling.json": JSON.stringify(sb) }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ToolkitFormatError);
    expect(err!.message).toBe('SocialBiasProfiling.json: SEAT test "weat1" is listed twice (seat[2] and seat[3])');
  });

  it("says which of the 7 BBQ categories a file is missing", () => {
    const p = parseToolkitResults(good());
    expect(p.socialBias!.bbqMissing).toEqual(["Disability_status", "Race_ethnicity", "Religion", "Nationality", "Sexual_orientation"]);
    expect(p.notes).toContain(
      "SocialBiasProfiling.json: BBQ has 2 of the toolkit's 7 categories; missing: Disability_status, Race_ethnicity, Religion, Nationality, Sexual_orientation (the BBQ results are over Gender_identity, Age only)",
    );
  });

  it("maps a toxicity file keyed by batch (batch_size > 1) to its prompts, and refuses keys that cannot be batches", () => {
    // The fixture's metadata says batch_size 8: entry k holds the first prompt of batch k, prompt 8k.
    const p = parseToolkitResults(good());
    expect(p.toxicity!.map((t) => [t.key, t.index])).toEqual([
      [0, 0],
      [1, 8],
      [2, 16],
      [3, 24],
    ]);
    expect(p.notes.find((n) => n.startsWith("ToxicityProfiling.json"))).toMatch(/batch_size 8 .*entry k is prompt k × 8\. 4 of the 300 prompts imported/);
    const batch1 = parseToolkitResults(good({ "metadata_profiling.yaml": "batch_size: 1\n" }));
    expect(batch1.toxicity!.map((t) => t.index)).toEqual([0, 1, 2, 3]);
    const keys = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [String(i), { completion: "x", TOXICITY: 0.1 }]));
    expect(() => parseToolkitResults(good({ "ToxicityProfiling.json": JSON.stringify(keys) }))).toThrow(
      /ToxicityProfiling\.json: key 38 cannot be a batch number: metadata_profiling\.yaml says batch_size 8, .*keys 0 to 37/,
    );
    expect(() => parseToolkitResults(good({ "metadata_profiling.yaml": "batch_size: eight\n" }))).toThrow(
      /metadata_profiling\.yaml: expected batch_size to be a whole number/,
    );
    const { "metadata_profiling.yaml": _, ...noMetadata } = good();
    expect(parseToolkitResults(noMetadata).notes.join("\n")).toMatch(
      /ToxicityProfiling\.json: 4 entries and no batch_size \(no metadata_profiling\.yaml\): keys read as prompt indices/,
    );
  });

  it("refuses text the database cannot store in any toolkit file, naming the file and where", () => {
    expect(() => parseToolkitResults(good({ "ToxicityProfiling.json": '{"0": {"completion": "a\\u0000b", "TOXICITY": 0.2}}' }))).toThrow(
      'ToxicityProfiling.json: "0.completion" holds a NUL character (U+0000), which the database cannot store',
    );
    expect(() => parseToolkitResults(good({ "TextualCharacteristicsProfiling_Dolly200_test.json": '{"text": {"0": "ok", "1": "\\ud83d"}}' }))).toThrow(
      /TextualCharacteristicsProfiling_Dolly200_test\.json: "text\.1" holds an unpaired surrogate \(U\+D83D\)/,
    );
    expect(() => parseToolkitResults(good({ "metadata_profiling.yaml": 'seed: 1\nexperiment_dir: "a\\0b"\n' }))).toThrow(
      /metadata_profiling\.yaml: "experiment_dir" holds a NUL character/,
    );
    const sb = socialBias();
    sb.seat[0].test = "weat\u0000";
    expect(() => parseToolkitResults(good({ "SocialBiasProfiling.json": JSON.stringify(sb) }))).toThrow(
      /SocialBiasProfiling\.json: "seat\[0\]\.test" holds a NUL/,
    );
    expect(() => parseToolkitResults(good({ "CalibrationProfiling.json": '{"HellaSwag\\udc00": {}}' }))).toThrow(
      /CalibrationProfiling\.json: a top-level key holds an unpaired surrogate \(U\+DC00\)/,
    );
  });

  it("lists as imported only the files something was imported from", () => {
    const p = parseToolkitResults(
      good({
        "TextualCharacteristicsProfiling_StrategyQA.json": fs.readFileSync(path.join(GOOD, "TextualCharacteristicsProfiling_Dolly200_test.json"), "utf8"),
        "predictions.json": "{}",
      }),
    );
    expect(p.files).toEqual([
      "CalibrationProfiling.json",
      "SocialBiasProfiling.json",
      "TextualCharacteristicsProfiling_Dolly200_test.json",
      "ToxicityProfiling.json",
      "metadata_profiling.yaml",
    ]);
    expect(p.ignored).toEqual(["predictions.json"]);
    expect(p.notes).toContain("textual characteristics imported from Dolly200_test; not imported: StrategyQA");
    // The same result files give the same hash, whatever else the folder holds (the metadata, which may hold
    // credentials, is not hashed); other results give another.
    const base = parseToolkitResults(good()).contentHash;
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(parseToolkitResults(good({ "predictions.json": "{}", "metadata_profiling.yaml": "batch_size: 8\nperspective_key: other\n" })).contentHash).toBe(
      base,
    );
    expect(parseToolkitResults(good({ "ToxicityProfiling.json": '{"0": -1}' })).contentHash).not.toBe(parseToolkitResults(good()).contentHash);
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
      const runId = await importToolkitResults(db, modelId, parsed, {
        folder: "llama2-7b-passive",
        data: { dataDir: path.join(root, "tests/fixtures/no-data") },
      });
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
      expect(run.benchmarks.map((b) => b.benchmark).sort()).toEqual([
        "bbq",
        "crows_pairs",
        "hellaswag",
        "openbookqa",
        "rtp_toxicity",
        "seat",
        "stereoset",
        "textual",
      ]);
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
      expect((agg.bbq_bias_disambig.details as { missingCategories: string[] }).missingCategories).toEqual([
        "Disability_status",
        "Race_ethnicity",
        "Religion",
        "Nationality",
        "Sexual_orientation",
      ]);
      expect(run.notes).toMatch(
        /BBQ has 2 of the toolkit's 7 categories; missing: Disability_status, Race_ethnicity, Religion, Nationality, Sexual_orientation/,
      );
      // The toxicity file is keyed by batch (batch_size 8): its entries are prompts 0, 8, 16, 24.
      const tox = await db.prisma.item.findMany({ where: { runId, benchmark: "rtp_toxicity" }, orderBy: { itemKey: "asc" } });
      expect(tox.map((t) => t.itemKey)).toEqual(["0000", "0008", "0016", "0024"]);
      expect((tox[1].data as { toolkit_key: number }).toolkit_key).toBe(1);
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
      // Batch size 8 in the fixture's metadata: the file's entry 2 is prompt 16.
      const tox = await db.prisma.item.findFirstOrThrow({ where: { runId, benchmark: "rtp_toxicity", itemKey: "0016" } });
      expect(tox.prompt).toBe(rtp[16].prompt);
    });

    it("seat_effect_size's n counts the tests in the mean: a test without an effect size is not one", async () => {
      const sb = socialBias();
      sb.seat.push({ experiment_id: "seat", test: "weat9", p_value: null, effect_size: null });
      const parsed = parseToolkitResults({ "SocialBiasProfiling.json": JSON.stringify(sb).replace('"effect_size":null', '"effect_size":NaN') });
      const runId = await importToolkitResults(db, modelId, parsed);
      const seat = await db.prisma.aggregate.findFirstOrThrow({ where: { runId, metric: "seat_effect_size" } });
      expect(seat.value).toBeCloseTo((0.81 + 0.22 + 1.3) / 3, 12);
      expect(seat.n).toBe(3);
      expect(parsed.notes).toContain("SocialBiasProfiling.json: SEAT tests without an effect size (NaN in the file), left out of seat_effect_size: weat9");
      expect((seat.details as { testsWithoutEffectSize: string[] }).testsWithoutEffectSize).toEqual(["weat9"]);
      expect(await db.prisma.item.count({ where: { runId, benchmark: "seat" } })).toBe(4);
    });

    it("importing the same result files twice says so in the second run's notes", async () => {
      const files = good({ "ToxicityProfiling.json": `{"0": {"completion": "${backend.name} twice", "TOXICITY": 0.3}}` });
      const first = await importToolkitResults(db, modelId, parseToolkitResults(files), { name: "first copy" });
      const second = await importToolkitResults(db, modelId, parseToolkitResults({ ...files, "notes.txt.json": "{}" }), { name: "second copy" });
      const notes = async (id: string) => (await db.prisma.run.findUniqueOrThrow({ where: { id } })).notes ?? "";
      expect(await notes(first)).not.toMatch(/already imported/);
      expect((await notes(second)).split("\n")[0]).toMatch(
        new RegExp(
          `^already imported: these result files are identical to those of run ${first} \\("first copy", \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\); this run is another copy of the same results$`,
        ),
      );
      const third = await importToolkitResults(db, modelId, parseToolkitResults(files));
      expect(await notes(third)).toMatch(new RegExp(`run ${first} .*, run ${second} `));
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

  it("prints what the import left out, names only imported files as imported, and refuses a repeated SEAT test in one line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-toolkit-folder-"));
    for (const f of fs.readdirSync(GOOD)) fs.copyFileSync(path.join(GOOD, f), path.join(dir, f));
    fs.copyFileSync(path.join(GOOD, "TextualCharacteristicsProfiling_Dolly200_test.json"), path.join(dir, "TextualCharacteristicsProfiling_StrategyQA.json"));
    fs.writeFileSync(path.join(dir, "predictions.json"), "{}");
    // The same result files as the first test's import: this is a second copy, and the output says so.
    const out = await cli(["import", "toolkit", dir, "--model", "student"], env);
    expect(out.code, out.stderr).toBe(0);
    const [success, ...notes] = out.stdout.trim().split("\n");
    expect(success).toMatch(
      /^imported CalibrationProfiling\.json, SocialBiasProfiling\.json, TextualCharacteristicsProfiling_Dolly200_test\.json, ToxicityProfiling\.json, metadata_profiling\.yaml as run [0-9a-f-]{36}$/,
    );
    expect(notes[0]).toMatch(
      /^ {2}note: already imported: these result files are identical to those of run [0-9a-f-]{36} \("toolkit import · llama2-7b-passive"/,
    );
    expect(notes).toContain("  note: textual characteristics imported from Dolly200_test; not imported: StrategyQA");
    expect(notes).toContain("  note: not toolkit result files, ignored: predictions.json");
    expect(notes).toContain("  note: not stored from metadata_profiling.yaml (their names suggest credentials): auth_token, perspective_key");
    expect(notes.some((n) => /BBQ has 2 of the toolkit's 7 categories; missing: Disability_status/.test(n))).toBe(true);
    expect(notes.some((n) => /ToxicityProfiling\.json: written with batch_size 8/.test(n))).toBe(true);
    const json = await cli(["import", "toolkit", dir, "--model", "student", "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout.trim().split("\n").pop()!);
    expect(summary.notes[0]).toMatch(/^already imported: .*run [0-9a-f-]{36} .*, run [0-9a-f-]{36} /);
    expect(summary.notes).toContain("not toolkit result files, ignored: predictions.json");

    const sb = JSON.parse(fs.readFileSync(path.join(GOOD, "SocialBiasProfiling.json"), "utf8"));
    sb.seat.push(sb.seat[0]);
    fs.writeFileSync(path.join(dir, "SocialBiasProfiling.json"), JSON.stringify(sb));
    const twice = await cli(["import", "toolkit", dir, "--model", "student"], env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('lineage import toolkit: SocialBiasProfiling.json: SEAT test "sent-weat1" is listed twice (seat[0] and seat[3])\n');
    expect(twice.stdout).toBe("");
  }, 120_000);
});
