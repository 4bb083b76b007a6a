// `lineage distill` end to end as a separate process: bad input refused (exit 2) before any request, then a
// multi-source dataset built with the in-process worker and written in each export format.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../server/server";
import { runCli } from "../support/cli";

const cli = runCli;

describe("lineage distill", () => {
  let server: TestServer;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-distill-"));
  const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "cli-test" };
  const prompts = path.join(home, "prompts.jsonl");
  const empty = path.join(home, "empty.txt");
  beforeAll(async () => {
    server = await startTestServer({ latencyMs: 5 });
    fs.writeFileSync(
      prompts,
      Array.from({ length: 12 }, (_, i) => JSON.stringify({ instruction: `Describe animal ${i}.`, input: i === 0 ? "A cat." : "" })).join("\n"),
    );
    fs.writeFileSync(empty, "\n  \n");
    for (const [name, id] of [
      ["llama", "tiny-llama"],
      ["gemma", "tiny-gemma"],
    ])
      expect((await cli(["models", "add", "--name", name, "--base-url", server.baseUrl, "--model-id", id, "--concurrency", "4"], env)).code).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  const base = [
    "distill",
    "--teachers",
    "llama,gemma",
    "--prompts",
    prompts,
    "--k",
    "3",
    "--target",
    "mtld",
    "--direction",
    "max",
    "--seed",
    "3",
    "--max-tokens",
    "40",
  ];
  const without = (flag: string, value: string) => {
    const a = [...base];
    a[a.indexOf(flag) + 1] = value;
    return a;
  };

  it("refuses bad input with exit code 2 and sends no request", async () => {
    server.resetStats();
    const cases: [string[], RegExp][] = [
      [without("--target", "nonsense"), /Unknown metric "nonsense"/],
      [base.filter((a, i) => a !== "--direction" && base[i - 1] !== "--direction"), /--direction is required/],
      [[...without("--target", "length_words"), "--temperature", "0"], /same text for all k .*--confirm-greedy/],
      [without("--k", "0"), /--k must be at least 1/],
      [without("--prompts", empty), /holds no prompt/],
      [without("--teachers", "llama,ghost"), /No model named or with id "ghost"/],
      [without("--target", "expected_max_toxicity"), /toxicity scorer/],
      [[...base, "--format", "csv"], /--format must be one of/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(server.stats.total).toBe(0);
  });

  it("builds the dataset and writes the export, the candidates and the card", async () => {
    const out = path.join(home, "out.jsonl");
    const card = path.join(home, "card.md");
    const candidates = path.join(home, "candidates.jsonl");
    const r = await cli([...base, "--out", out, "--format", "prompt-completion", "--card", card, "--candidates", candidates, "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({ status: "completed", selected: 12, target: "mtld", direction: "max" });
    expect(summary.mean.selected).toBeGreaterThan(summary.mean.random);
    const lines = fs
      .readFileSync(out, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toEqual({ prompt: "Describe animal 0.\n\nA cat.", completion: expect.any(String) });
    expect(fs.readFileSync(candidates, "utf8").trimEnd().split("\n")).toHaveLength(12 * 2 * 3);
    expect(fs.readFileSync(card, "utf8")).toContain("Teachers (2, multi-source): gemma (tiny-gemma), llama (tiny-llama)");
    // 12 prompts × 2 teachers, one n = 3 request each.
    expect(server.stats.byRoute["/v1/chat/completions"]).toBe(24);
  });

  it("writes chat JSONL to stdout by default", async () => {
    const r = await cli([...base, "--k", "2", "--seed", "9"], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12);
    expect(lines[1].messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    expect(lines[1].messages[0].content).toBe("Describe animal 1.");
  });
});
