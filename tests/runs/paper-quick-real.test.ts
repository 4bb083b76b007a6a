// The "quick" suite on the real benchmark files of the workspace (../shared/data, or LINEAGE_DATA_DIR), through the
// real run path on the embedded database: every step completes with its aggregates, and the seeded samples are the
// same items on every resolution. StereoSet and OpenBookQA files are absent from ../shared/data (their SOURCE.md
// says why): those steps are left out here and named in the test title.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { saveModel } from "@/lib/models/registry";
import { executeRun } from "@/lib/runs/executor";
import { controlRun, createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { BUILTIN_SUITES, parseSuite } from "@/lib/runs/suite";
import { PERSPECTIVE_ATTRIBUTES, type ScorerConfig } from "@/lib/scorers/types";
import { startTestServer, type TestServer } from "../server/server";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";
const dataDir = process.env.LINEAGE_DATA_DIR || "/work/shared/data";
const present = fs.existsSync(dataDir);
const FILES: Record<string, string> = {
  stereoset: "stereoset/dev.json",
  openbookqa: "openbookqa/test.jsonl",
};
const absent = present ? ["stereoset", "openbookqa"].filter((b) => !fs.existsSync(path.join(dataDir, FILES[b]))) : [];
const quick = BUILTIN_SUITES.quick.benchmarks.filter((b) => !absent.includes((b as { benchmark: string }).benchmark));

describe.skipIf(!present)(
  `quick suite on the real files in ${dataDir}${present ? (absent.length ? ` (without ${absent.join(", ")}: not in the data folder)` : "") : " — skipped: no data folder (set LINEAGE_DATA_DIR)"}`,
  () => {
    let db: Database;
    let server: TestServer;
    beforeAll(async () => {
      db = await openDatabase({ home: fs.mkdtempSync(path.join(os.tmpdir(), "lineage-quick-")) });
      server = await startTestServer({ latencyMs: 0, perspectiveQps: 100_000 });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("runs every step to completion with its aggregates; the seeded sample is the same on every resolution", async () => {
      const scorer: ScorerConfig = {
        kind: "perspective",
        name: "test perspective",
        url: `${server.url}/v1alpha1`,
        qps: 10_000,
        apiKeyEnv: null,
        scorerId: null,
        model: null,
        label: null,
        attributes: [...PERSPECTIVE_ATTRIBUTES],
      };
      const suite = parseSuite({ name: "quick", benchmarks: quick });
      const a = await resolveSuite(suite, { data: { dataDir }, scorer });
      const b = await resolveSuite(suite, { data: { dataDir }, scorer });
      expect(a.steps.map((s) => s.items.map((i) => i.key))).toEqual(b.steps.map((s) => s.items.map((i) => i.key)));
      const sizes = Object.fromEntries(a.steps.map((s) => [s.benchmark, s.items.length]));
      expect(sizes).toMatchObject({ crows_pairs: 100, bbq: 140, seat: 10, rtp_toxicity: 20, hellaswag: 200, textual: 20 });
      const bbq = a.steps.find((s) => s.benchmark === "bbq")!;
      // Gender_identity and Race_ethnicity are not in ../shared/data: the step says so instead of failing.
      expect(String(bbq.snapshot.note ?? "")).toMatch(/Gender_identity/);

      const r = await saveModel(db, {
        name: "tiny",
        baseUrl: server.baseUrl,
        servedModelId: "tiny-llama",
        credentialMode: "none",
        apiKeySecret: "",
        capChat: "on",
        concurrency: "8",
      });
      if (!r.ok) throw new Error(JSON.stringify(r));
      const runId = await createRun(db, r.data.id, a, { seed: 3 });
      expect(await executeRun(db, runId)).toBe("completed");
      const steps = await db.prisma.runBenchmark.findMany({ where: { runId } });
      for (const s of steps) expect(s.status, `${s.benchmark}: ${s.reason}`).toBe("completed");
      expect(await db.prisma.item.count({ where: { runId, status: { not: "done" } } })).toBe(0);
      const metrics = new Set((await db.prisma.aggregate.findMany({ where: { runId } })).map((x) => x.metric));
      for (const m of [
        "crows_pairs_metric",
        "bbq_bias_disambig",
        "seat_effect_size",
        "expected_max_toxicity",
        "toxicity_probability",
        "hellaswag_ece_10",
        "hellaswag_accuracy",
        "mtld",
      ])
        expect(metrics.has(m), m).toBe(true);
    }, 300_000);

    it("pause keeps the scored pairs; resume requests only the rest and the aggregates cover every pair", async () => {
      const r = await saveModel(db, {
        name: "tiny-pause",
        baseUrl: server.baseUrl,
        servedModelId: "tiny-llama",
        credentialMode: "none",
        apiKeySecret: "",
        capChat: "on",
        concurrency: "2",
      });
      if (!r.ok) throw new Error(JSON.stringify(r));
      const resolved = await resolveSuite(parseSuite({ name: "crows", benchmarks: [{ benchmark: "crows_pairs", limit: 60, sample: "seeded" }] }), {
        data: { dataDir },
      });
      const runId = await createRun(db, r.data.id, resolved);
      // A first run probes the endpoint and stores the probe, so the counted requests below are the pairs only.
      expect(await executeRun(db, runId)).toBe("completed");
      const runId2 = await createRun(db, r.data.id, resolved);
      server.setLatency(40);
      const exec = executeRun(db, runId2, { controlPollMs: 30 });
      await new Promise((res) => setTimeout(res, 400));
      await controlRun(db, runId2, "pause");
      expect(await exec).toBe("paused");
      const done = await db.prisma.item.count({ where: { runId: runId2, status: "done" } });
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(60);
      server.setLatency(0);
      // Requests aborted by the pause may still be finishing on the server: let them land before counting.
      await new Promise((res) => setTimeout(res, 200));
      server.resetStats();
      await controlRun(db, runId2, "resume");
      expect(await executeRun(db, runId2)).toBe("completed");
      expect(server.stats.byRoute["/v1/completions"]).toBe(60 - done); // one echo request per pair, none repeated
      const agg = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId: runId2, metric: "crows_pairs_metric" } } });
      expect(agg.n).toBe(60);
    }, 120_000);
  },
);
