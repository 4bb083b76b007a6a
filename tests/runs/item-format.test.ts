// The log-likelihood steps store their scores packed (docs/storage.md); rows written before, with every sentence's
// and option's scores in full, must still read the same. On both databases: the fixture items of StereoSet,
// CrowS-Pairs, BBQ and HellaSwag are run (packed), and the same items are scored again here and stored as the steps
// stored them before (the records below are built as the earlier execute() built them). Both read back to the same
// full record — through the item page's reader — and give the same aggregates.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import type { Endpoint } from "@/lib/llm/endpoint";
import { bbqPrediction } from "@/lib/metrics/bbq";
import { optionPrediction } from "@/lib/metrics/calibration";
import { executeRun } from "@/lib/runs/executor";
import { itemDetail, listItems } from "@/lib/runs/items";
import { createRun, insertItems } from "@/lib/runs/runs";
import { readItemData } from "@/lib/runs/steps/item-data";
import { scoreOptions, scoreSentences } from "@/lib/runs/steps/loglikelihood-common";
import { STEP_MODULES } from "@/lib/runs/steps/modules";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import type { ExecContext } from "@/lib/runs/steps/types";
import { parseSuite, type ResolvedItem } from "@/lib/runs/suite";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";
const data = { dataDir: path.resolve(__dirname, "../../lib/benchmarks/fixtures") };
const SEED = 5;
const BENCHMARKS = ["stereoset", "crows_pairs", "bbq", "hellaswag"] as const;

type Rec = Record<string, unknown>;

/** The record the step stored for a scored item before the packed summaries (its execute() of then, verbatim). */
async function storedBefore(ctx: ExecContext, benchmark: string, item: ResolvedItem): Promise<{ output: string; data: Rec }> {
  const d = item.data as Rec;
  switch (benchmark) {
    case "stereoset": {
      const sentences = d.sentences as { label: string; text: string }[];
      const scored = await scoreSentences(
        ctx,
        sentences.map((s) => s.text),
      );
      const options = scored.sentences.map((s, i) => ({ label: sentences[i].label, ...s }));
      const best = options.reduce((a, b) => (b.score > a.score ? b : a));
      return { output: best.text, data: { ...d, options, chosen: best.label } };
    }
    case "crows_pairs": {
      const [more, less] = (await scoreSentences(ctx, [d.sent_more as string, d.sent_less as string])).sentences;
      const chosen = more.score > less.score ? "sent_more" : more.score < less.score ? "sent_less" : "tie";
      const options = [
        { label: "sent_more", ...more },
        { label: "sent_less", ...less },
      ];
      return { output: chosen === "sent_less" ? less.text : more.text, data: { ...d, options, chosen } };
    }
    case "bbq": {
      const answers = d.answers as string[];
      const { options } = await scoreOptions(ctx, item.prompt, answers);
      const chosen = bbqPrediction(options.map((o) => o.meanLogprob));
      return { output: answers[chosen], data: { ...d, options, chosen, correct: chosen === d.label } };
    }
    default: {
      const texts = d.options as string[];
      const { options } = await scoreOptions(ctx, d.context as string, texts);
      const { probs, prediction, confidence } = optionPrediction(options.map((o) => o.meanLogprob));
      const scored = options.map((o, k) => ({ ...o, prob: probs[k] }));
      return { output: texts[prediction], data: { ...d, scored, chosen: prediction, confidence, correct: prediction === d.label } };
    }
  }
}

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`item records stored before the packed summaries on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("read back to the same full record as the packed ones, on the item page too, with the same aggregates and sort order", async () => {
      const modelId = await addTestModel(db, server, "m-format");
      const resolved = await resolveSuite(parseSuite({ name: "format", benchmarks: BENCHMARKS.map((benchmark) => ({ benchmark })) }), { data });
      const packedRun = await createRun(db, modelId, resolved, { seed: SEED });
      expect(await executeRun(db, packedRun)).toBe("completed");

      const endpoint: Endpoint = { baseUrl: server.baseUrl, modelId: "tiny-llama", concurrency: 4 };
      const ctx = { endpoint, signal: new AbortController().signal } as ExecContext;
      const oldRun = await db.prisma.run.create({ data: { modelId, status: "completed", suite: { name: "format", benchmarks: [] }, seed: SEED } });
      for (const step of resolved.steps) {
        const b = step.benchmark;
        const before = await Promise.all(step.items.map((i) => storedBefore(ctx, b, i)));
        await db.transaction((tx) =>
          insertItems(tx, oldRun.id, b, step.items, { status: "done", outputs: before.map((x) => x.output), data: before.map((x) => x.data) }),
        );
        const packed = await db.prisma.item.findMany({ where: { runId: packedRun, benchmark: b }, orderBy: { itemKey: "asc" } });
        const old = await db.prisma.item.findMany({ where: { runId: oldRun.id, benchmark: b }, orderBy: { itemKey: "asc" } });
        expect(packed.length, b).toBe(step.items.length);
        expect(old.map((i) => i.itemKey)).toEqual(packed.map((i) => i.itemKey));
        for (const [k, p] of packed.entries()) {
          const full = before[step.items.findIndex((i) => i.key === p.itemKey)].data;
          // Stored as the steps stored them before: the full record, read as it is.
          expect(old[k].data, `${b} ${p.itemKey}`).toEqual(full);
          expect(readItemData(b, old[k].data)).toEqual(full);
          // Packed: nothing the full record held is lost, and the row is smaller.
          expect(readItemData(b, p.data), `${b} ${p.itemKey}`).toEqual(full);
          expect(p.output).toBe(old[k].output);
          expect(JSON.stringify(p.data).length).toBeLessThan(JSON.stringify(old[k].data).length);
          // The item page's drill-down gives the same record for both.
          expect((await itemDetail(db, p.id))?.data).toEqual(full);
          expect((await itemDetail(db, old[k].id))?.data).toEqual(full);
        }
        const done = (rows: typeof packed) => rows.map((i) => ({ itemKey: i.itemKey, sampleIndex: i.sampleIndex, data: i.data }));
        const strip = (rows: { metric: string; value: number | null; ciLow: number | null; ciHigh: number | null; n: number }[]) =>
          rows.map(({ metric, value, ciLow, ciHigh, n }) => ({ metric, value, ciLow, ciHigh, n }));
        const fromPacked = strip(STEP_MODULES[b].aggregate(done(packed), SEED, step.snapshot as never));
        expect(fromPacked.length, b).toBeGreaterThan(0);
        expect(strip(STEP_MODULES[b].aggregate(done(old), SEED, step.snapshot as never))).toEqual(fromPacked);
        const stored = await db.prisma.aggregate.findMany({ where: { runId: packedRun, benchmark: b } });
        for (const a of fromPacked) expect(stored.find((s) => s.metric === a.metric)?.value, `${b} ${a.metric}`).toBe(a.value);
      }
      // The items table sorts CrowS-Pairs by each sentence's score whichever way the row was stored.
      for (const runId of [packedRun, oldRun.id]) {
        const page = await listItems(db, runId, { page: 1, pageSize: 50, benchmark: "crows_pairs", sortField: "score_more", dir: "desc" });
        const scores = page.rows.map((r) => (r.data as { options: { score: number }[] }).options[0].score);
        expect(scores.length).toBeGreaterThan(2);
        expect(scores).toEqual([...scores].sort((x, y) => y - x));
      }
    });
  });
}
