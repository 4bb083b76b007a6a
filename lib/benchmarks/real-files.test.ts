/**
 * Parses every real benchmark file present in the workspace copy (../shared/data, see its README) and pins the
 * counts from its SOURCE.md files. Skipped, with the reason in the test name, when the folder is absent.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { parseAlpacaJson, parseSeedTasks } from "./alpaca";
import { BBQ_CATEGORIES } from "./bbq";
import { parseBoldPrompts } from "./bold";
import { CROWS_BIAS_TYPES, parseCrowsPairs } from "./crows-pairs";
import {
  loadBbq,
  loadCrowsPairs,
  loadDolly200,
  loadHellaswag,
  loadRtpToolkitSet,
  loadSeat,
  readBenchmarkFile,
  resolveBenchmarkFile,
  sha256File,
} from "./data-source";
import { parseDolly200 } from "./dolly";
import { parseHellaswagText } from "./hellaswag";
import { parsePromptList } from "./prompt-lists";
import { parseRtpToolkitSet } from "./real-toxicity-prompts";
import { BENCHMARKS, SEAT_TESTS, type BenchmarkId } from "./registry";
import { parseSeatTest } from "./seat";
import { parseBbqJsonl } from "./bbq";
import { bbqItemRoles } from "@/lib/metrics/bbq";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const DATA = path.resolve(repoRoot, "../shared/data");
const present = existsSync(DATA);
const has = (rel: string) => existsSync(path.join(DATA, rel));
const read = (rel: string) => readFileSync(path.join(DATA, rel));
const skipReason = present ? "" : ` — SKIPPED: ${DATA} not found`;
const opts = { dataDir: DATA, env: {} };

describe(`real files in ../shared/data${skipReason}`, () => {
  it.skipIf(!present)("every registered file present there has the registered sha256", async () => {
    let checked = 0;
    for (const id of Object.keys(BENCHMARKS) as BenchmarkId[]) {
      for (const [name, spec] of Object.entries(BENCHMARKS[id].files)) {
        if (!has(spec.path)) continue;
        expect(spec.sha256, `${spec.path} is present, so its checksum should be pinned`).not.toBeNull();
        expect(await sha256File(path.join(DATA, spec.path)), spec.path).toBe(spec.sha256);
        const r = await resolveBenchmarkFile(id, name, { ...opts, verifyDataDir: true });
        expect(r.origin).toBe("data-dir");
        checked++;
      }
    }
    // crows 1 + bbq 6 + seat 50 + rtp 1 + dolly 1 + alpaca 2 + bold 5 + toxigen 31 + hellaswag text 1
    expect(checked).toBe(98);
  });

  it.skipIf(!has("crows_pairs/crows_pairs_anonymized.csv"))("CrowS-Pairs: 1,508 pairs with the published label counts", async () => {
    const pairs = await loadCrowsPairs(opts);
    expect(pairs).toHaveLength(1508);
    expect(pairs.map((p) => p.index)).toEqual(pairs.map((_, k) => k));
    const count = (f: (p: (typeof pairs)[number]) => boolean) => pairs.filter(f).length;
    expect(count((p) => p.stereo_antistereo === "stereo")).toBe(1290);
    expect(count((p) => p.stereo_antistereo === "antistereo")).toBe(218);
    const byType = Object.fromEntries(CROWS_BIAS_TYPES.map((t) => [t, count((p) => p.bias_type === t)]));
    expect(byType).toEqual({
      "race-color": 516,
      gender: 262,
      socioeconomic: 172,
      nationality: 159,
      religion: 105,
      age: 87,
      "sexual-orientation": 84,
      "physical-appearance": 63,
      disability: 60,
    });
    // Same answer from the pure parser on the bytes.
    expect(parseCrowsPairs(read("crows_pairs/crows_pairs_anonymized.csv"))[1507].sent_more).toBe(pairs[1507].sent_more);
  });

  const bbqCounts: Record<string, number> = {
    Age: 3680,
    Disability_status: 1556,
    Nationality: 3080,
    Physical_appearance: 1576,
    Religion: 1200,
    Sexual_orientation: 864,
  };
  it.skipIf(!has("bbq"))("BBQ: every category file present parses, balanced ambig/disambig and neg/nonneg", async () => {
    const presentCats = BBQ_CATEGORIES.filter((c) => has(`bbq/${c}.jsonl`));
    expect(presentCats.length).toBeGreaterThanOrEqual(6);
    const data = await loadBbq(presentCats, opts);
    for (const { category, records } of data) {
      if (bbqCounts[category] !== undefined) expect(records, category).toHaveLength(bbqCounts[category]);
      expect(records.every((r) => r.category === category)).toBe(true);
      expect(records.filter((r) => r.context_condition === "ambig")).toHaveLength(records.length / 2);
      expect(records.filter((r) => r.question_polarity === "neg")).toHaveLength(records.length / 2);
      // The "unknown" option exists in every item (bias scoring depends on it).
      expect(records.every((r) => Object.values(r.answer_info).some((a) => a[a.length - 1] === "unknown"))).toBe(true);
    }
    expect(parseBbqJsonl(read("bbq/Religion.jsonl"), "Religion.jsonl")).toHaveLength(1200);
    // The parsed records plug straight into the scoring helper of lib/metrics/bbq.ts (type and values).
    for (const { records } of data)
      for (const r of records) expect(bbqItemRoles(r).unknownIndex).toBe(Object.values(r.answer_info).findIndex((a) => a[1] === "unknown"));
  });

  it.skipIf(!has("seat"))("SEAT: 50 test files, four non-empty sets each", async () => {
    const files = readdirSync(path.join(DATA, "seat")).filter((f) => f.endsWith(".jsonl"));
    expect(files).toHaveLength(50);
    expect([...SEAT_TESTS].sort()).toEqual(files.map((f) => f.replace(/\.jsonl$/, "")).sort());
    const tests = await loadSeat(SEAT_TESTS, opts);
    expect(tests).toHaveLength(50);
    const weat1 = tests.find((t) => t.name === "weat1")!;
    expect([weat1.targ1.category, weat1.targ2.category, weat1.attr1.category, weat1.attr2.category]).toEqual(["Flowers", "Insects", "Pleasant", "Unpleasant"]);
    expect(weat1.targ1.examples).toHaveLength(25);
    expect(parseSeatTest(read("seat/sent-weat6.jsonl"), "sent-weat6.jsonl").name).toBe("sent-weat6");
  });

  it.skipIf(!has("real_toxicity_prompts/rtp_toxic_test_set.json"))("RTP toolkit set: 300 prompts, prompt toxicity 0.82–0.975 (mean 0.8665)", async () => {
    const rows = await loadRtpToolkitSet(opts);
    expect(rows).toHaveLength(300);
    const tox = rows.map((r) => r.prompt_toxicity);
    expect(Math.min(...tox)).toBeGreaterThanOrEqual(0.82);
    // SOURCE.md says 0.82–0.90; the file's maximum is 0.9749944 (68 prompts are above 0.90).
    expect(Math.max(...tox)).toBe(0.9749944);
    expect(tox.reduce((a, b) => a + b, 0) / 300).toBeCloseTo(0.8665, 4);
    expect(parseRtpToolkitSet(read("real_toxicity_prompts/rtp_toxic_test_set.json"))[0].prompt).toBe(rows[0].prompt);
  });

  it.skipIf(!has("hellaswag/hellaswag_val_full.txt"))("HellaSwag: 10,042 items from the text rendition (data-dir fallback)", async () => {
    const items = await loadHellaswag(opts);
    expect(items).toHaveLength(10042);
    expect(items.every((i) => i.layout === "text6" && i.label !== null && i.endings.length === 4)).toBe(true);
    expect(new Set(items.map((i) => i.activity_label)).size).toBe(192);
    expect(items[0]).toMatchObject({ activity_label: "Roof shingle removal", ctx: "A man is sitting on a roof. he", label: 3 });
    expect(parseHellaswagText(read("hellaswag/hellaswag_val_full.txt")).at(-1)!.index).toBe(10041);
  });

  it.skipIf(!has("dolly200/dolly_eval_eng.jsonl"))("Dolly-200: 200 English rows, val = first 100, test = last 100", async () => {
    const { records, val, test } = await loadDolly200(opts);
    expect(records).toHaveLength(200);
    expect(records[0].row).toBe("6000");
    expect(records[199].row).toBe("6199");
    expect(records.every((r) => r.language === "eng" && r.inputs.length > 0)).toBe(true);
    expect(val.map((r) => r.row)).toEqual(records.slice(0, 100).map((r) => r.row));
    expect(test.map((r) => r.row)).toEqual(records.slice(100).map((r) => r.row));
    expect(val[0].inputs).toBe("What are 5 ways to eat apples?");
    expect(parseDolly200(read("dolly200/dolly_eval_eng.jsonl"))).toHaveLength(200);
  });

  it.skipIf(!has("alpaca/alpaca_5000.json"))("Alpaca: 5,000 records (1,943 with input) and 175 seed tasks", async () => {
    const recs = parseAlpacaJson(read("alpaca/alpaca_5000.json"), "alpaca_5000.json");
    expect(recs).toHaveLength(5000);
    expect(recs.filter((r) => r.input !== "")).toHaveLength(1943);
    if (has("alpaca/seed_tasks.jsonl")) expect(parseSeedTasks(read("alpaca/seed_tasks.jsonl"))).toHaveLength(175);
  });

  it.skipIf(!has("bold"))("BOLD: 23,679 prompts over 5 files", () => {
    const expected: Record<string, number> = { gender: 3204, political_ideology: 1984, profession: 10195, race: 7657, religious_ideology: 639 };
    let total = 0;
    for (const [domain, n] of Object.entries(expected)) {
      const ps = parseBoldPrompts(read(`bold/${domain}_prompt.json`), `${domain}_prompt.json`);
      expect(ps, domain).toHaveLength(n);
      total += ps.length;
    }
    expect(total).toBe(23679);
  });

  it.skipIf(!has("toxigen"))("ToxiGen: 31 prompt files × 1,000 prompts, literal \\n kept", async () => {
    const files = readdirSync(path.join(DATA, "toxigen")).filter((f) => f.endsWith(".txt"));
    expect(files).toHaveLength(31);
    let total = 0;
    for (const f of files) {
      const ps = parsePromptList(read(`toxigen/${f}`), f);
      expect(ps, f).toHaveLength(1000);
      total += ps.length;
    }
    expect(total).toBe(31000);
    const { bytes } = await readBenchmarkFile("toxigen", "neutral_women_1k.txt", opts);
    const first = parsePromptList(bytes, "neutral_women_1k.txt")[0].prompt;
    expect(first.includes("\\n-")).toBe(true);
    expect(first.includes("\n")).toBe(false);
  });
});
