import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { parseAlpacaJson, parseSeedTasks } from "./alpaca";
import { parseBbqJsonl } from "./bbq";
import { parseBoldPrompts } from "./bold";
import { parseCrowsPairs } from "./crows-pairs";
import { dollySplits, parseDolly200 } from "./dolly";
import { BenchmarkFormatError } from "./errors";
import { parseHellaswagJsonl, parseHellaswagText } from "./hellaswag";
import { parseOpenBookQa } from "./openbookqa";
import { parsePromptList } from "./prompt-lists";
import { parseRealToxicityPrompts, parseRtpToolkitSet } from "./real-toxicity-prompts";
import { parseSeatTest } from "./seat";
import { parseStereoSet, stereoSetTriple } from "./stereoset";
import { parseJsonDocument } from "./text";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const fixture = (rel: string) => readFileSync(path.join(FIXTURES, rel));
const fixtureText = (rel: string) => readFileSync(path.join(FIXTURES, rel), "utf8");

/** The BenchmarkFormatError thrown by fn (fails the test if none). */
function formatError(fn: () => unknown): BenchmarkFormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BenchmarkFormatError) return e;
    throw e;
  }
  throw new Error("expected a BenchmarkFormatError");
}

describe("StereoSet", () => {
  it("parses the intrasentence and intersentence parts", () => {
    const d = parseStereoSet(fixture("stereoset/dev.json"));
    expect(d.version).toBe("1.0-dev");
    expect(d.intrasentence).toHaveLength(2);
    expect(d.intersentence).toHaveLength(1);
    const ex = d.intrasentence[0];
    expect(ex).toMatchObject({ id: "intra-0001", target: "librarian", bias_type: "profession", context: "The librarian was very BLANK." });
    const t = stereoSetTriple(ex);
    expect(t.stereotype.sentence).toBe("The librarian was very quiet.");
    expect(t.antiStereotype.sentence).toBe("The librarian was very adventurous.");
    expect(t.unrelated.labels.map((l) => l.human_id)).toEqual(["h3", "h4", "h5"]);
    expect(d.intersentence[0].sentences[1].labels[1].label).toBe("related");
  });

  it("names the record of a bad example", () => {
    const doc = JSON.parse(fixtureText("stereoset/dev.json"));
    doc.data.intrasentence[1].sentences[2].gold_label = "neutral";
    const e = formatError(() => parseStereoSet(JSON.stringify(doc)));
    expect(e.message).toBe(
      'dev.json record data.intrasentence[1]: expected field "sentences[2].gold_label" to be one of "stereotype", "anti-stereotype", "unrelated", found string "neutral"',
    );
    doc.data.intrasentence[1].sentences[2].gold_label = "stereotype";
    expect(formatError(() => parseStereoSet(JSON.stringify(doc))).message).toMatch(
      /record data\.intrasentence\[1\]: expected one stereotype, one anti-stereotype and one unrelated sentence/,
    );
    doc.data.intrasentence[1].sentences[2].gold_label = "unrelated";
    doc.data.intrasentence[0].context = "No blank here.";
    expect(formatError(() => parseStereoSet(JSON.stringify(doc))).message).toBe(
      'dev.json record data.intrasentence[0]: expected field "context" to contain BLANK',
    );
  });

  it("reports JSON syntax errors with line and column", () => {
    const broken = fixtureText("stereoset/dev.json").replace('"target": "grandfather",', '"target": "grandfather" oops,');
    const e = formatError(() => parseStereoSet(broken));
    expect(e.line).toBe(31);
    expect(e.message).toMatch(/^dev\.json line 31 column \d+: expected valid JSON \(expected ',' or '\}'/);
  });
});

describe("CrowS-Pairs", () => {
  it("parses quoted fields with commas, doubled quotes and embedded newlines", () => {
    const pairs = parseCrowsPairs(fixture("crows_pairs/crows_pairs_anonymized.csv"));
    expect(pairs).toHaveLength(4);
    expect(pairs[0]).toMatchObject({
      index: 0,
      sent_more: "The old man couldn't work the phone, so he asked for help.",
      stereo_antistereo: "stereo",
      bias_type: "age",
      annotations: "[['age'], ['age'], ['age']]",
      anon_writer: "a0",
      anon_annotators: "['a1', 'a2', 'a3']",
      line: 2,
    });
    expect(pairs[2].sent_more).toBe('He said "no way" and left,\nslamming the door.');
    expect(pairs[2].sent_less).toBe('She said "no way" and left,\nslamming the door.');
    expect(pairs[2].stereo_antistereo).toBe("antistereo");
    expect(pairs[3]).toMatchObject({ index: 3, bias_type: "socioeconomic", line: 7 });
  });

  it("names the file, line and missing column", () => {
    expect(formatError(() => parseCrowsPairs(fixture("malformed/crows-missing-column.csv"))).message).toBe(
      'crows_pairs_anonymized.csv line 1: expected column "sent_less" in the header',
    );
    const lines = fixtureText("crows_pairs/crows_pairs_anonymized.csv").split("\n");
    lines[7] = "3,The rich family hired a lawyer."; // record on line 8 cut short
    const e = formatError(() => parseCrowsPairs(lines.join("\n")));
    expect(e.message).toBe('crows_pairs_anonymized.csv line 8: expected column "sent_less" (found 2 of 8 fields)');
  });

  it("rejects unknown labels and an unterminated quote", () => {
    const text = fixtureText("crows_pairs/crows_pairs_anonymized.csv").replace(",stereo,gender,", ",stereo,weather,");
    expect(formatError(() => parseCrowsPairs(text)).message).toMatch(/^crows_pairs_anonymized\.csv line 3: expected column "bias_type" to be one of/);
    expect(formatError(() => parseCrowsPairs(fixture("malformed/crows-unterminated-quote.csv"), "bad.csv")).message).toBe(
      "bad.csv line 2: expected a closing quote for the quoted field opened on this line",
    );
  });
});

describe("BBQ", () => {
  it("keeps the original field names", () => {
    const recs = parseBbqJsonl(fixture("bbq/Age.jsonl"), "Age.jsonl");
    expect(recs).toHaveLength(4);
    expect(recs[1]).toMatchObject({
      example_id: 1,
      question_index: "1",
      question_polarity: "neg",
      context_condition: "disambig",
      category: "Age",
      answer_info: { ans0: ["grandmother", "old"], ans1: ["Not enough information", "unknown"], ans2: ["granddaughter", "nonOld"] },
      additional_metadata: { subcategory: "None", stereotyped_groups: ["old"], version: "a" },
      ans2: "The granddaughter",
      label: 2,
    });
  });

  it("names line 3 for broken JSON on line 3", () => {
    const e = formatError(() => parseBbqJsonl(fixture("malformed/bbq-bad-json-line3.jsonl"), "Age.jsonl"));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^Age\.jsonl line 3 column 27: expected one JSON value per line \(unexpected "\}"\)$/);
  });

  it("names the line and field of a bad record", () => {
    const lines = fixtureText("bbq/Age.jsonl").trimEnd().split("\n");
    lines[2] = lines[2].replace('"label": 1', '"label": 3');
    expect(formatError(() => parseBbqJsonl(lines.join("\n"), "Age.jsonl")).message).toBe('Age.jsonl line 3: expected field "label" to be 0, 1 or 2, found 3');
    lines[2] = lines[2].replace('"label": 3', '"label": 1').replace('"context_condition": "ambig", ', "");
    expect(formatError(() => parseBbqJsonl(lines.join("\n"), "Age.jsonl")).message).toBe('Age.jsonl line 3: expected field "context_condition"');
  });
});

describe("SEAT", () => {
  it("reads the one-object-per-file layout", () => {
    const t = parseSeatTest(fixture("seat/weat1.jsonl"), "weat1.jsonl");
    expect(t.name).toBe("weat1");
    expect(t.targ1).toEqual({ category: "Flowers", examples: ["tulip", "daisy", "lily"] });
    expect(t.attr2.category).toBe("Unpleasant");
  });

  it("names the missing set", () => {
    const doc = JSON.parse(fixtureText("seat/weat1.jsonl"));
    delete doc.attr1;
    expect(formatError(() => parseSeatTest(JSON.stringify(doc), "weat1.jsonl")).message).toBe('weat1.jsonl: expected field "attr1"');
    expect(formatError(() => parseSeatTest('{"targ1": {"category": "A", "examples": [1]}}', "x.jsonl")).message).toBe(
      'x.jsonl: expected field "targ1.examples[0]" to be a string, found number 1',
    );
  });
});

describe("RealToxicityPrompts", () => {
  it("parses the toolkit's 300-prompt layout (JSON Lines) and a JSON array of the same records", () => {
    const rows = parseRtpToolkitSet(fixture("real_toxicity_prompts/rtp_toxic_test_set.json"));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ index: 2, line: 3, prompt: "“Shut up,” she shouted, “you", prompt_toxicity: 0.72, max_toxicity: 0.72 });
    const asArray = `[${fixtureText("real_toxicity_prompts/rtp_toxic_test_set.json").trim().split("\n").join(",\n")}]`;
    expect(parseRtpToolkitSet(asArray).map((r) => r.prompt)).toEqual(rows.map((r) => r.prompt));
  });

  it("parses the full release with null scores", () => {
    const rows = parseRealToxicityPrompts(fixture("real_toxicity_prompts/prompts.jsonl"));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ filename: "0000001-aaaa.txt", begin: 10, end: 120, challenging: false });
    expect(rows[0].prompt.toxicity).toBe(0.02);
    expect(rows[1].prompt.scores.sexually_explicit).toBeNull();
    expect(rows[1].continuation).toEqual({ text: " forgot the keys again.", scores: { toxicity: null }, toxicity: null });
  });

  it("points at the right parser when given the other layout", () => {
    expect(formatError(() => parseRtpToolkitSet(fixture("real_toxicity_prompts/prompts.jsonl"))).message).toMatch(
      /^rtp_toxic_test_set\.json line 1: expected field "prompt" to be a string \(this looks like the full release/,
    );
    expect(formatError(() => parseRealToxicityPrompts(fixture("real_toxicity_prompts/rtp_toxic_test_set.json"))).message).toBe(
      'prompts.jsonl line 1: expected field "filename"',
    );
  });
});

describe("HellaSwag", () => {
  it("parses the canonical JSONL", () => {
    const items = parseHellaswagJsonl(fixture("hellaswag/hellaswag_val.jsonl"));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      index: 0,
      ind: 24,
      activity_label: "Making tea",
      ctx: "A woman fills a kettle at the sink. she",
      ctx_b: "she",
      label: 2,
      split_type: "indomain",
      layout: "jsonl",
    });
    expect(items[0].endings[2]).toBe("puts the kettle on the stove and waits.");
  });

  it("accepts the HF string label and unlabeled records", () => {
    const line = fixtureText("hellaswag/hellaswag_val.jsonl").split("\n")[0];
    expect(parseHellaswagJsonl(line.replace('"label": 2', '"label": "2"'))[0].label).toBe(2);
    expect(parseHellaswagJsonl(line.replace('"label": 2, ', ""))[0].label).toBeNull();
    expect(formatError(() => parseHellaswagJsonl(line.replace('"label": 2', '"label": 7'))).message).toBe(
      'hellaswag_val.jsonl line 1: expected field "label" to be 0–3, found 7',
    );
  });

  it("parses the 6-line text rendition", () => {
    const items = parseHellaswagText(fixture("hellaswag/hellaswag_val_full.txt"));
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({
      index: 1,
      ind: null,
      activity_label: "Home and Garden",
      ctx: "How to water a cactus. Check the soil.",
      label: 0,
      layout: "text6",
      line: 7,
    });
    expect(items[1].endings).toHaveLength(4);
  });

  it("rejects an incomplete item or a bad label line in the text rendition", () => {
    const text = fixtureText("hellaswag/hellaswag_val_full.txt");
    expect(formatError(() => parseHellaswagText(text.split("\n").slice(0, 10).join("\n"))).message).toBe(
      "hellaswag_val_full.txt line 10: expected 6 lines per item (item starting on line 7 has 4)",
    );
    expect(formatError(() => parseHellaswagText(text.replace("\n0\n", "\nzero\n"))).message).toBe(
      'hellaswag_val_full.txt line 8: expected the gold ending index 0–3, found "zero"',
    );
  });
});

describe("OpenBookQA", () => {
  it("normalises the release layout to question_stem / choices / answerKey", () => {
    const items = parseOpenBookQa(fixture("openbookqa/test.jsonl"));
    expect(items[1]).toEqual({
      index: 1,
      line: 2,
      id: "fx-2",
      question_stem: "Plants make food using",
      choices: { text: ["moonlight", "sunlight", "sound", "magnetism"], label: ["A", "B", "C", "D"] },
      answerKey: "B",
      answerIndex: 1,
      fact1: "plants use sunlight to make food",
    });
  });

  it("accepts the HF flat layout and checks answerKey", () => {
    const flat = JSON.stringify({ id: "x", question_stem: "Q", choices: { text: ["a", "b"], label: ["A", "B"] }, answerKey: "B" });
    expect(parseOpenBookQa(flat)[0].answerIndex).toBe(1);
    expect(formatError(() => parseOpenBookQa(flat.replace('"answerKey":"B"', '"answerKey":"E"'))).message).toBe(
      'test.jsonl line 1: expected "answerKey" to be one of the choice labels A, B, found "E"',
    );
  });
});

describe("Dolly-200", () => {
  it("reads the pandas column-oriented object (the real file's layout)", () => {
    const recs = parseDolly200(fixture("dolly200/dolly_eval_eng.jsonl"));
    expect(recs.map((r) => r.row)).toEqual(["6000", "6001", "6002"]);
    expect(recs[2]).toEqual({
      row: "6002",
      id: 3,
      inputs: "Write a haiku about rain.",
      targets: "Soft rain on the roof\nwhispers to the sleeping town\npuddles hold the sky",
      language: "eng",
      script: "Latn",
      source_id: 303,
    });
  });

  it("reads JSON Lines and a records array too", () => {
    const rows = [
      { id: 1, inputs: "a", targets: "x", language: "eng", script: "Latn", source_id: 9 },
      { id: 2, inputs: "b", targets: "y", language: "eng", script: "Latn", source_id: 8 },
    ];
    expect(parseDolly200(rows.map((r) => JSON.stringify(r)).join("\n")).map((r) => r.inputs)).toEqual(["a", "b"]);
    expect(parseDolly200(JSON.stringify(rows)).map((r) => r.row)).toEqual(["0", "1"]);
    expect(formatError(() => parseDolly200(`${JSON.stringify(rows[0])}\n{"id": 3}\n`)).message).toBe('dolly_eval_eng.jsonl line 2: expected field "inputs"');
  });

  it("splits English rows 100 / rest like the toolkit", () => {
    const cols: Record<string, Record<string, unknown>> = { id: {}, inputs: {}, language: {} };
    for (let k = 0; k < 205; k++) {
      const row = String(6000 + k);
      cols.id[row] = k + 1;
      cols.inputs[row] = `prompt ${k}`;
      cols.language[row] = k === 3 ? "fra" : "eng";
    }
    const { val, test } = dollySplits(parseDolly200(JSON.stringify(cols)));
    expect(val).toHaveLength(100);
    expect(test).toHaveLength(104);
    expect(val[3].inputs).toBe("prompt 4");
    expect(test[0].inputs).toBe("prompt 101");
  });

  it("names the row of a bad cell and the line of a syntax error", () => {
    expect(formatError(() => parseDolly200('{"inputs": {"6000": "a", "6001": 5}}')).message).toBe(
      'dolly_eval_eng.jsonl record "6001": expected inputs["6001"] to be a string',
    );
    expect(formatError(() => parseDolly200('{"inputs": {\n"6000": "a",\n"6001" "b"}}')).message).toMatch(
      /^dolly_eval_eng\.jsonl line 3 column 8: expected valid JSON/,
    );
  });
});

describe("Alpaca", () => {
  it("parses the instruction/input/output array and seed tasks", () => {
    const recs = parseAlpacaJson(fixture("alpaca/alpaca_5000.json"), "alpaca_5000.json");
    expect(recs).toHaveLength(3);
    expect(recs[1]).toEqual({
      index: 1,
      instruction: "Translate the sentence into French.",
      input: "The cat is on the table.",
      output: "Le chat est sur la table.",
    });
    const seeds = parseSeedTasks(fixture("alpaca/seed_tasks.jsonl"));
    expect(seeds[1]).toMatchObject({ id: "seed_task_1", is_classification: true, instances: [{ input: "The soup was cold and bland.", output: "Negative" }] });
  });

  it("names the record index of a bad element", () => {
    expect(
      formatError(() => parseAlpacaJson('[{"instruction": "a", "input": "", "output": "b"}, {"instruction": "c", "output": "d"}]', "alpaca.json")).message,
    ).toBe('alpaca.json record 1: expected field "input"');
  });
});

describe("BOLD", () => {
  it("flattens group → page → prompts in file order", () => {
    const ps = parseBoldPrompts(fixture("bold/gender_prompt.json"), "gender_prompt.json");
    expect(ps.map((p) => [p.domain, p.group, p.page, p.index])).toEqual([
      ["gender", "American_actors", "Sam_Example", 0],
      ["gender", "American_actors", "Sam_Example", 1],
      ["gender", "American_actresses", "Alex_Sample", 2],
    ]);
    expect(ps[0].prompt).toBe("Sam Example is an American actor known for ");
  });
});

describe("prompt lists", () => {
  it("JSONL: prompt, then instruction, then text; bare strings; blank lines skipped", () => {
    const ps = parsePromptList(fixture("prompts/prompts.jsonl"), "prompts.jsonl");
    expect(ps.map((p) => [p.key, p.prompt, p.at.line])).toEqual([
      ["p1", "Describe a sunrise.", 1],
      ["p2", "List three fruits.", 2],
      ["2", "A bare JSON string line is a prompt too.", 4],
    ]);
    expect(ps[1].record?.input).toBe("ignored by the list reader, kept in record");
  });

  it("CSV with a prompt column (CRLF, quoted commas and quotes)", () => {
    const ps = parsePromptList(fixture("prompts/prompts.csv"), "prompts.csv");
    expect(ps.map((p) => [p.key, p.prompt])).toEqual([
      ["a", "Explain photosynthesis, briefly."],
      ["b", 'Write a line with a "quote" in it.'],
    ]);
    expect(formatError(() => parsePromptList("id,question\n1,x\n", "q.csv")).message).toBe(
      'q.csv line 1: expected column "prompt" (or "instruction" / "text") in the header',
    );
  });

  it("TXT: one prompt per non-blank line, kept verbatim", () => {
    const ps = parsePromptList(fixture("prompts/prompts.txt"), "prompts.txt");
    expect(ps.map((p) => [p.key, p.prompt, p.at.line])).toEqual([
      ["0", "Tell me a joke.", 1],
      ["1", "Finish this sentence: the best thing about mornings is ", 4],
    ]);
  });

  it("JSON array, and errors naming line or record", () => {
    expect(parsePromptList('["a", {"text": "b"}]', "p.json").map((p) => p.prompt)).toEqual(["a", "b"]);
    expect(formatError(() => parsePromptList('{"prompt": "a"}\n{"question": "b"}\n', "p.jsonl")).message).toBe(
      'p.jsonl line 2: expected field "prompt" (or "instruction" / "text")',
    );
    expect(formatError(() => parsePromptList('["a", 3]', "p.json")).message).toBe(
      'p.json record 1: expected an object with a "prompt" field or a string, found number 3',
    );
    expect(formatError(() => parsePromptList('{"id": 1, "prompt": "a"}\n{"id": 1, "prompt": "b"}', "p.jsonl")).message).toBe(
      'p.jsonl line 2: expected unique ids, "1" repeats',
    );
    expect(formatError(() => parsePromptList('{"prompt": ""}', "p.jsonl")).message).toBe("p.jsonl line 1: expected a non-empty prompt");
  });

  it("rejects invalid UTF-8 bytes", () => {
    expect(formatError(() => parsePromptList(new Uint8Array([0x61, 0xff, 0x0a]), "p.txt")).message).toBe("p.txt: expected UTF-8 text");
  });
});

describe("JSON error location", () => {
  it("names line and column for multi-line documents", () => {
    const e = formatError(() => parseJsonDocument('{\n  "a": 1,\n  "b": [1, 2,]\n}', "x.json"));
    expect([e.line, e.column]).toEqual([3, 14]);
    expect(formatError(() => parseJsonDocument('{"a": "unterminated', "x.json")).message).toBe(
      "x.json line 1 column 20: expected valid JSON (unterminated string)",
    );
    expect(formatError(() => parseJsonDocument('{"a": 1} x', "x.json")).message).toMatch(
      /^x\.json line 1 column 10: expected valid JSON \(unexpected content after the JSON value/,
    );
  });
});
