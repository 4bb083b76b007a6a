import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { claim } from "@/lib/runs/queue";
import { textMetrics } from "@/lib/metrics/text";
import { controlDataset, createDataset, datasetProgress, DATASET_JOB } from "@/lib/inheritance/datasets";
import { writeCandidates } from "@/lib/inheritance/candidate-writer";
import { executeDataset } from "@/lib/inheritance/executor";
import { generate } from "@/lib/llm";
import { candidateLines, datasetCard, selectionLines } from "@/lib/inheritance/export";
import { selectionReport } from "@/lib/inheritance/report";
import { fillSelection, reselect, selectBest, selectRandom, type CandidateRow } from "@/lib/inheritance/selection";
import { validateDatasetSpec, type DatasetPromptInput, type DatasetSpecInput } from "@/lib/inheritance/spec";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-dataset-tests";

const PROMPTS: DatasetPromptInput[] = Array.from({ length: 20 }, (_, i) => ({
  prompt: `Write a short paragraph about subject ${i}.`,
  input: i % 5 === 0 ? `Context number ${i}.` : "",
}));
const PROMPT_SET = { source: "upload" as const, name: "prompts.jsonl", count: PROMPTS.length };

function spec(teacherIds: string[], over: Partial<DatasetSpecInput> = {}): DatasetSpecInput {
  return {
    name: "",
    teacherIds,
    k: 4,
    mode: "chat",
    template: "{prompt}",
    decoding: { temperature: 1, top_p: 0.95, max_tokens: 60 },
    seed: 11,
    rule: "best",
    target: "mtld",
    direction: "max",
    filters: { dropEmpty: true, dropTruncated: false, minWords: 0 },
    ...over,
  };
}

async function build(db: Database, s: DatasetSpecInput, prompts = PROMPTS): Promise<string> {
  const v = await validateDatasetSpec(db, s, prompts);
  if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
  return createDataset(db, v.value, prompts, PROMPT_SET);
}

/** What the teacher answers to one request for this prompt and seed (a retried sample asks with seed + sample index). */
async function generateOne(server: TestServer, modelId: string, prompt: string, seed: number): Promise<string> {
  const r = await generate({ baseUrl: server.baseUrl, modelId, concurrency: 1 }, { mode: "chat", prompt, temperature: 1, top_p: 0.95, max_tokens: 60, seed });
  return r.outputs[0].text;
}

async function firstSelection(db: Database, datasetId: string) {
  return db.prisma.selection.findFirstOrThrow({ where: { datasetId }, orderBy: { createdAt: "asc" } });
}

function row(over: Partial<CandidateRow>): CandidateRow {
  return { id: 1, promptId: 1, promptIndex: 0, teacher: "a", sampleIndex: 0, value: 1, words: 10, empty: false, finishReason: "stop", ...over };
}

describe("selection rules (pure)", () => {
  const filters = { dropEmpty: true, dropTruncated: false, minWords: 0 };
  it("breaks ties by the lowest teacher name, then the lowest sample index", () => {
    const rows = [
      row({ id: 1, teacher: "zeta", sampleIndex: 0, value: 5 }),
      row({ id: 2, teacher: "alpha", sampleIndex: 3, value: 5 }),
      row({ id: 3, teacher: "alpha", sampleIndex: 1, value: 5 }),
      row({ id: 4, teacher: "beta", sampleIndex: 0, value: 4 }),
    ];
    expect(selectBest(rows, "max", filters).get(1)?.id).toBe(3);
    expect(selectBest([...rows].reverse(), "max", filters).get(1)?.id).toBe(3);
    expect(selectBest(rows, "min", filters).get(1)?.id).toBe(4);
  });
  it("skips filtered candidates and candidates without a value", () => {
    const rows = [
      row({ id: 1, value: 9, finishReason: "length" }),
      row({ id: 2, value: null }),
      row({ id: 3, value: 8, words: 2 }),
      row({ id: 4, value: 7 }),
      row({ id: 5, value: 99, empty: true }),
    ];
    expect(selectBest(rows, "max", { dropEmpty: true, dropTruncated: true, minWords: 3 }).get(1)?.id).toBe(4);
    expect(selectBest(rows, "max", { dropEmpty: false, dropTruncated: false, minWords: 0 }).get(1)?.id).toBe(5);
    expect(selectBest([row({ value: null })], "max", filters).size).toBe(0);
  });
  it("random pick is a function of the seed and the candidates", () => {
    const rows = Array.from({ length: 400 }, (_, i) =>
      row({ id: i, promptId: Math.floor(i / 8), promptIndex: Math.floor(i / 8), sampleIndex: i % 8, value: i }),
    );
    const a = [...selectRandom(rows, 5, filters).values()].map((r) => r.id);
    const b = [...selectRandom([...rows].reverse(), 5, filters).values()].map((r) => r.id);
    const c = [...selectRandom(rows, 6, filters).values()].map((r) => r.id);
    expect(a).toHaveLength(50);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`active-inheritance datasets on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    let llama: string;
    let gemma: string;
    let datasetId: string;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 5 });
      llama = await addTestModel(db, server, "tiny-llama-teacher", "tiny-llama");
      gemma = await addTestModel(db, server, "tiny-gemma-teacher", "tiny-gemma");
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("builds a multi-source dataset maximising MTLD: every candidate once, the argmax selected", async () => {
      server.resetStats();
      datasetId = await build(db, spec([llama, gemma]));
      const job = await claim(db.sql, "test", 60_000, [DATASET_JOB]);
      expect(job?.payload.datasetId).toBe(datasetId);
      expect(await executeDataset(db, datasetId)).toBe("completed");
      // n = k per (prompt, teacher): one request each.
      expect(server.stats.byRoute["/v1/chat/completions"]).toBe(20 * 2);
      const candidates = await db.prisma.candidate.findMany({ where: { datasetId }, include: { teacher: true, prompt: true } });
      expect(candidates).toHaveLength(20 * 2 * 4);
      expect(candidates.every((c) => c.status === "done" && typeof c.output === "string")).toBe(true);
      expect(new Set(candidates.map((c) => `${c.promptId}/${c.teacherId}/${c.sampleIndex}`)).size).toBe(160);
      for (const c of candidates.slice(0, 10)) {
        const scores = c.scores as Record<string, number | null>;
        expect(scores.mtld).toBe(textMetrics(c.output!).mtld);
      }
      const progress = await datasetProgress(db, datasetId);
      expect(progress).toMatchObject({ status: "completed", total: 160, done: 160, failed: 0, pending: 0 });

      const sel = await firstSelection(db, datasetId);
      expect(sel).toMatchObject({ rule: "best", target: "mtld", direction: "max", seed: 11 });
      const items = await db.prisma.selectionItem.findMany({ where: { selectionId: sel.id }, include: { candidate: true } });
      expect(items).toHaveLength(20);
      for (const it of items) {
        const group = candidates.filter((c) => c.promptId === it.promptId && c.output!.trim() !== "");
        const values = group.map((c) => textMetrics(c.output!).mtld).filter((v): v is number => v !== null);
        expect(textMetrics(it.candidate.output!).mtld).toBe(Math.max(...values));
        // The tie rule among the maxima: lowest teacher name, then lowest sample index.
        const best = group
          .filter((c) => textMetrics(c.output!).mtld === Math.max(...values))
          .sort((a, b) => (a.teacher.name < b.teacher.name ? -1 : a.teacher.name > b.teacher.name ? 1 : a.sampleIndex - b.sampleIndex))[0];
        expect(it.candidateId).toBe(best.id);
      }
      const report = (await selectionReport(db, sel.id))!;
      expect(report.selected.n).toBe(20);
      expect(report.all.n).toBe(160);
      expect(report.selected.mean!).toBeGreaterThan(report.random.mean!);
      expect(report.changeVsRandom!).toBeGreaterThan(0);
      expect(report.teacherShare.map((t) => t.teacher)).toEqual(["tiny-gemma-teacher", "tiny-llama-teacher"]);
      expect(report.teacherShare.reduce((a, t) => a + t.selected, 0)).toBe(20);
      expect(report.wins.length).toBeGreaterThan(0);
      expect(report.wins[0].gain).toBeGreaterThan(0);
      // Re-executing a completed dataset requests nothing.
      server.resetStats();
      expect(await executeDataset(db, datasetId)).toBe("completed");
      expect(server.stats.total).toBe(0);
    });

    it("re-selects with another target and direction instantly, without a request", async () => {
      server.resetStats();
      const id = await reselect(db, datasetId, { rule: "best", target: "length_words", direction: "min" });
      expect(server.stats.total).toBe(0);
      const items = await db.prisma.selectionItem.findMany({ where: { selectionId: id }, include: { candidate: true } });
      expect(items).toHaveLength(20);
      const all = await db.prisma.candidate.findMany({ where: { datasetId } });
      for (const it of items) {
        const words = all.filter((c) => c.promptId === it.promptId && c.output!.trim() !== "").map((c) => textMetrics(c.output!).length_words!);
        expect(textMetrics(it.candidate.output!).length_words).toBe(Math.min(...words));
      }
      // Read three prompts at a time, the same candidates are selected.
      await fillSelection(db, id, 3);
      const paged = await db.prisma.selectionItem.findMany({ where: { selectionId: id } });
      expect(paged.map((i) => i.candidateId).sort()).toEqual(items.map((i) => i.candidateId).sort());
      // The same request again returns the stored selection.
      expect(await reselect(db, datasetId, { rule: "best", target: "length_words", direction: "min" })).toBe(id);
      expect(server.stats.total).toBe(0);
    });

    it("breaks a hand-made tie by teacher name, then sample index", async () => {
      const prompt = await db.prisma.datasetPrompt.findFirstOrThrow({ where: { datasetId, index: 3 } });
      const group = await db.prisma.candidate.findMany({ where: { datasetId, promptId: prompt.id }, include: { teacher: true } });
      // Tie at 1000 between llama sample 2, gemma sample 3 and gemma sample 1: gemma (lower name), sample 1 wins.
      for (const c of group) {
        const tie = (c.teacherId === llama && c.sampleIndex === 2) || (c.teacherId === gemma && (c.sampleIndex === 3 || c.sampleIndex === 1));
        await db.prisma.candidate.update({ where: { id: c.id }, data: { scores: { ...(c.scores as object), ttr: tie ? 1000 : 0.1 } } });
      }
      const id = await reselect(db, datasetId, { rule: "best", target: "ttr", direction: "max" });
      const item = await db.prisma.selectionItem.findUniqueOrThrow({
        where: { selectionId_promptId: { selectionId: id, promptId: prompt.id } },
        include: { candidate: true },
      });
      expect(item.candidate.teacherId).toBe(gemma);
      expect(item.candidate.sampleIndex).toBe(1);
    });

    it("the random baseline is reproducible with the seed", async () => {
      const a = await reselect(db, datasetId, { rule: "random", target: "mtld", direction: null });
      const first = (await db.prisma.selectionItem.findMany({ where: { selectionId: a }, orderBy: { promptId: "asc" } })).map((i) => i.candidateId);
      await fillSelection(db, a);
      const again = (await db.prisma.selectionItem.findMany({ where: { selectionId: a }, orderBy: { promptId: "asc" } })).map((i) => i.candidateId);
      expect(again).toEqual(first);
      expect(first).toHaveLength(20);
      // Read three prompts at a time (a million-candidate dataset is read in pages), the draw is the same.
      await fillSelection(db, a, 3);
      const paged = (await db.prisma.selectionItem.findMany({ where: { selectionId: a }, orderBy: { promptId: "asc" } })).map((i) => i.candidateId);
      expect(paged).toEqual(first);
      const sel = await db.prisma.selection.findUniqueOrThrow({ where: { id: a } });
      expect(sel.seed).toBe(11);
      // The report's passive baseline is the same draw.
      const report = (await selectionReport(db, a))!;
      expect(report.random.mean).toBe(report.selected.mean);
    });

    it("exports the selected set in the three formats, all candidates with scores, and a card with provenance", async () => {
      const sel = await firstSelection(db, datasetId);
      const prompts = await db.prisma.datasetPrompt.findMany({ where: { datasetId }, orderBy: { index: "asc" } });
      const items = await db.prisma.selectionItem.findMany({ where: { selectionId: sel.id }, include: { candidate: true } });
      const outputByPrompt = new Map(items.map((i) => [i.promptId, i.candidate.output]));
      const parse = (text: string) =>
        text
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l));

      const text = async (chunks: AsyncIterable<string>) => {
        let out = "";
        for await (const c of chunks) out += c;
        return out;
      };
      const exportSelection = (id: string, format: "chat" | "alpaca" | "prompt-completion") => text(selectionLines(db, id, format));
      // Pages of 3 prompts (as a large dataset pages by 1,000) give the same bytes as one page.
      for (const format of ["chat", "alpaca", "prompt-completion"] as const)
        expect(await text(selectionLines(db, sel.id, format, 3))).toBe(await exportSelection(sel.id, format));
      expect(await text(candidateLines(db, datasetId, sel.id, 3))).toBe(await text(candidateLines(db, datasetId, sel.id)));

      const chat = parse(await exportSelection(sel.id, "chat"));
      expect(chat).toHaveLength(20);
      expect(chat[0].messages).toEqual([
        { role: "user", content: `${prompts[0].prompt}\n\n${prompts[0].input}` },
        { role: "assistant", content: outputByPrompt.get(prompts[0].id) },
      ]);
      expect(chat[1].messages[0].content).toBe(prompts[1].prompt);

      const alpaca = parse(await exportSelection(sel.id, "alpaca"));
      expect(Object.keys(alpaca[0]).sort()).toEqual(["input", "instruction", "output"]);
      expect(alpaca[0]).toEqual({ instruction: prompts[0].prompt, input: prompts[0].input, output: outputByPrompt.get(prompts[0].id) });
      expect(alpaca[1].input).toBe("");

      const pc = parse(await exportSelection(sel.id, "prompt-completion"));
      expect(Object.keys(pc[2]).sort()).toEqual(["completion", "prompt"]);
      expect(pc[2]).toEqual({ prompt: prompts[2].prompt, completion: outputByPrompt.get(prompts[2].id) });

      const all = parse(await text(candidateLines(db, datasetId, sel.id)));
      expect(all).toHaveLength(160);
      expect(all.filter((r) => r.selected)).toHaveLength(20);
      expect(all[0]).toMatchObject({ prompt_index: 0, teacher: "tiny-gemma-teacher", sample_index: 0 });
      expect(typeof all[0].scores.mtld).toBe("number");

      const card = await datasetCard(db, datasetId, await selectionReport(db, sel.id));
      for (const s of [
        "prompts.jsonl",
        "tiny-gemma-teacher (tiny-gemma)",
        "tiny-llama-teacher (tiny-llama)",
        "multi-source",
        "k (candidates per prompt per teacher): 4",
        "temperature 1",
        "top_p 0.95",
        "max_tokens 60",
        "maximise mtld",
        "Seed: 11",
        "Code version:",
        "Candidates: 160",
        "Selected: 20",
      ])
        expect(card).toContain(s);
    });

    it("pause keeps what was generated; resume requests only the missing candidates", async () => {
      const slow = await addTestModel(db, server, "slow-teacher", "tiny-verbose", { concurrency: "1" });
      server.setLatency(60);
      const id = await build(db, spec([slow, llama], { k: 3, seed: 5 }));
      const exec = executeDataset(db, id, { controlPollMs: 50 });
      await new Promise((r) => setTimeout(r, 500));
      await controlDataset(db, id, "pause");
      expect(await exec).toBe("paused");
      server.setLatency(5);
      const before = await db.prisma.candidate.findMany({ where: { datasetId: id, status: "done" } });
      const { pending } = (await datasetProgress(db, id))!;
      expect(before.length).toBeGreaterThan(0);
      expect(pending).toBeGreaterThan(0);
      // A request the paused execution wrote just before its abort may reach this in-process server only now: let it
      // arrive and finish before counting what the resume sends.
      await new Promise((r) => setTimeout(r, 150));
      while (server.stats.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
      server.resetStats();
      await controlDataset(db, id, "resume");
      expect(await executeDataset(db, id)).toBe("completed");
      // Groups are written whole, so each pending (prompt, teacher) costs exactly one n = k request.
      expect(server.stats.byRoute["/v1/chat/completions"]).toBe(pending / 3);
      const after = new Map((await db.prisma.candidate.findMany({ where: { datasetId: id } })).map((c) => [c.id, c]));
      expect([...after.values()].every((c) => c.status === "done")).toBe(true);
      for (const c of before) expect(after.get(c.id)!.output).toBe(c.output);
    });

    it("candidates are rows only once generated or failed; retry sets a failed one back to pending and the next execution overwrites it", async () => {
      const id = await build(db, spec([llama], { k: 2 }), PROMPTS.slice(0, 3));
      expect(await db.prisma.candidate.count({ where: { datasetId: id } })).toBe(0);
      expect(await datasetProgress(db, id)).toMatchObject({ total: 6, done: 0, failed: 0, pending: 6 });
      // Two candidates as a crashed or failing execution leaves them: one generated, one failed.
      const prompts = await db.prisma.datasetPrompt.findMany({ where: { datasetId: id }, orderBy: { index: "asc" } });
      const base = { finishReason: "stop", latencyMs: 5, completionTokens: null, attempts: 1 };
      await writeCandidates(db, id, [
        {
          ...base,
          promptId: prompts[0].id,
          teacherId: llama,
          sampleIndex: 0,
          status: "done",
          output: "kept as it is",
          scores: textMetrics("kept as it is"),
          error: null,
          errorKind: null,
        },
        {
          ...base,
          promptId: prompts[1].id,
          teacherId: llama,
          sampleIndex: 1,
          status: "failed",
          output: null,
          scores: null,
          error: "attempt 5: 500",
          errorKind: "server",
        },
      ]);
      expect(await datasetProgress(db, id)).toMatchObject({ total: 6, done: 1, failed: 1, pending: 4 });
      server.resetStats();
      expect(await executeDataset(db, id)).toBe("completed");
      // Prompt 0 misses sample 1, prompt 1 sample 0 (its failed sample 1 is not requested), prompt 2 both (n = 2).
      expect(server.stats.byRoute["/v1/chat/completions"]).toBe(3);
      expect(await datasetProgress(db, id)).toMatchObject({ total: 6, done: 5, failed: 1, pending: 0 });
      expect((await db.prisma.candidate.findFirstOrThrow({ where: { datasetId: id, promptId: prompts[0].id, sampleIndex: 0 } })).output).toBe("kept as it is");

      expect(await controlDataset(db, id, "retry-failed")).toBe("queued");
      expect(await datasetProgress(db, id)).toMatchObject({ done: 5, failed: 0, pending: 1 });
      server.resetStats();
      expect(await executeDataset(db, id)).toBe("completed");
      expect(server.stats.byRoute["/v1/chat/completions"]).toBe(1);
      const retried = await db.prisma.candidate.findFirstOrThrow({ where: { datasetId: id, promptId: prompts[1].id, sampleIndex: 1 } });
      expect(retried).toMatchObject({ status: "done", error: null, errorKind: null });
      expect(retried.output).toBe(await generateOne(server, "tiny-llama", prompts[1].prompt, 11 + 1));
      expect(await datasetProgress(db, id)).toMatchObject({ total: 6, done: 6, failed: 0, pending: 0 });
    });

    it("pages through more prompts than a page holds (500), requesting every candidate exactly once", async () => {
      const wide = await addTestModel(db, server, "tiny-llama-wide", "tiny-llama", { concurrency: "32" });
      const many = Array.from({ length: 1201 }, (_, i) => ({ prompt: `Say something about item ${i}.`, input: "" }));
      server.resetStats();
      const id = await build(db, spec([wide], { k: 1 }), many);
      expect(await executeDataset(db, id)).toBe("completed");
      expect(server.stats.byRoute["/v1/chat/completions"]).toBe(1201);
      expect(await datasetProgress(db, id)).toMatchObject({ status: "completed", total: 1201, done: 1201, failed: 0, pending: 0 });
    });

    it("refuses bad input before any request", async () => {
      const noEndpoint = (await db.prisma.model.create({ data: { name: "no-endpoint" } })).id;
      const noChat = await addTestModel(db, server, "no-chat", "tiny-llama", { capChat: "" });
      server.resetStats();
      const refused = async (s: DatasetSpecInput, prompts = PROMPTS) => {
        const r = await validateDatasetSpec(db, s, prompts);
        expect(r.ok).toBe(false);
        return r.ok ? {} : r.fieldErrors;
      };
      expect((await refused(spec([llama], { target: "no_such_metric" }))).target).toMatch(/Unknown metric "no_such_metric"/);
      expect((await refused(spec([llama], { target: "stereoset_ss" }))).target).toMatch(/benchmark-level/);
      expect((await refused(spec([llama], { target: "expected_max_toxicity", direction: "min" }))).target).toMatch(/toxicity scorer/);
      // A neutral target needs a direction, and an explicit one is the confirmation.
      expect((await refused(spec([llama], { target: "length_words", direction: null }))).direction).toMatch(/no better direction/);
      expect((await refused(spec([llama], { k: 0 }))).k).toMatch(/at least 1/);
      expect((await refused(spec([llama]), [])).prompts).toMatch(/empty/);
      expect((await refused(spec([noEndpoint]))).teacherIds).toMatch(/no endpoint/);
      expect((await refused(spec([noChat]))).teacherIds).toMatch(/chat/);
      expect((await refused(spec([llama], { template: "{question}" }))).template).toMatch(/\{question\}/);
      expect((await refused(spec([llama], { rule: "best", direction: null }))).direction).toMatch(/maximise/);
      expect((await validateDatasetSpec(db, spec([llama], { target: "length_words", direction: "max" }), PROMPTS)).ok).toBe(true);
      // Greedy best-of-k gives k copies on a real server: refused until confirmed.
      expect((await refused(spec([llama], { decoding: { temperature: 0, top_p: 1, max_tokens: 60 } }))).confirmGreedy).toMatch(/same text for all k/);
      expect((await validateDatasetSpec(db, spec([llama], { decoding: { temperature: 0, top_p: 1, max_tokens: 60 }, confirmGreedy: true }), PROMPTS)).ok).toBe(
        true,
      );
      expect(server.stats.total).toBe(0);
    });
  });
}
