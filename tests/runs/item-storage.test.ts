// Compact storage (issue 17): a log-likelihood item costs at most BOUND_BYTES_PER_ITEM on disk on both databases —
// the Item table's heap, TOAST and indexes as the database reports them, over its rows — for a real run (the 1,508
// CrowS-Pairs pairs and BBQ's Religion category from the workspace's data folder) through the test server.
// `npm run bench:storage` prints the same figures for CrowS-Pairs and all six BBQ categories.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";
import { itemTableSize } from "../support/item-size";
import { addTestModel } from "../support/models";

process.env.LINEAGE_SECRET_KEY = "test-key-for-run-tests";
const dataDir = process.env.LINEAGE_DATA_DIR || path.resolve(__dirname, "../../../shared/data");
const present = fs.existsSync(path.join(dataDir, "crows_pairs/crows_pairs_anonymized.csv")) && fs.existsSync(path.join(dataDir, "bbq/Religion.jsonl"));
// The issue's target is 4096 bytes. Measured with the packed summaries (2026-12-03): 1,927 bytes embedded, 1,903 on
// PostgreSQL (2,226 and 2,245 with every sentence and option stored in full); the bound leaves a quarter for noise.
const BOUND_BYTES_PER_ITEM = 2400;

for (const backend of backends()) {
  const skip = backend.skip ?? (present ? null : `no CrowS-Pairs and BBQ files in ${dataDir} (set LINEAGE_DATA_DIR)`);
  describe.skipIf(!!skip)(`stored size of log-likelihood items on ${backend.name}${skip ? ` — ${skip}` : ""}`, () => {
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

    it(`CrowS-Pairs and BBQ Religion take at most ${BOUND_BYTES_PER_ITEM} bytes per item`, async () => {
      const modelId = await addTestModel(db, server, "m-storage", "tiny-llama", { concurrency: "16" });
      const suite = parseSuite({ name: "storage", benchmarks: [{ benchmark: "crows_pairs" }, { benchmark: "bbq", categories: ["Religion"] }] });
      const runId = await createRun(db, modelId, await resolveSuite(suite, { data: { dataDir } }), { seed: 3 });
      expect(await executeRun(db, runId)).toBe("completed");
      const size = await itemTableSize(db);
      expect(size.items).toBe(1508 + 1200);
      expect(await db.prisma.item.count({ where: { runId, status: "done" } })).toBe(size.items);
      const perItem = size.total / size.items;
      console.log(
        `${backend.name}: ${size.items} items, ${size.total} bytes (heap ${size.heap}, TOAST ${size.toast}, indexes ${size.indexes}) = ${perItem.toFixed(0)} bytes per item`,
      );
      expect(perItem).toBeLessThanOrEqual(BOUND_BYTES_PER_ITEM);
    }, 300_000);
  });
}
