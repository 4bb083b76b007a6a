// Scorers configured in the UI (Scorer table): saved with an encrypted key, listed without it, tested against the
// fake Perspective API, and used by a run that names it in its suite (resolved by the executor).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { saveModel } from "@/lib/models/registry";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite } from "@/lib/runs/suite";
import { listScorers, saveScorer, testScorer } from "@/lib/scorers/registry";
import { startTestServer, type TestServer } from "../server/server";
import { backends } from "../support/databases";

process.env.LINEAGE_SECRET_KEY = "test-key-for-scorer-tests";
const KEY = "pk-registry-test-5678";

for (const backend of backends()) {
  describe.skipIf(!!backend.skip)(`scorer registry on ${backend.name}${backend.skip ? ` — ${backend.skip}` : ""}`, () => {
    let db: Database;
    let server: TestServer;
    beforeAll(async () => {
      db = await backend.open();
      server = await startTestServer({ latencyMs: 0, perspectiveKey: KEY, perspectiveQps: 1000 });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it("saves a scorer with an encrypted key, never shows the key, tests it and lets a run use it by name", async () => {
      const bad = await saveScorer(db, { name: "x", kind: "http", url: "", qps: "1", credentialMode: "none" });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.fieldErrors.url).toMatch(/needs its URL/);
      const r = await saveScorer(db, {
        name: "local perspective",
        kind: "perspective",
        url: `${server.url}/v1alpha1`,
        qps: "500",
        credentialMode: "secret",
        apiKeySecret: KEY,
      });
      expect(r.ok).toBe(true);
      const [listed] = await listScorers(db);
      expect(JSON.stringify(listed)).not.toContain(KEY);
      expect(listed.credential).toBe("stored key …5678");
      // A key variable comes from the allow-list only; a short key shows nothing of itself.
      const env = await saveScorer(db, { name: "env scorer", kind: "perspective", url: "", qps: "1", credentialMode: "env", apiKeyEnv: "LINEAGE_SECRET_KEY" });
      expect(!env.ok && env.fieldErrors.apiKeyEnv).toMatch(/LINEAGE_SECRET_KEY may not hold an API key/);
      const short = await saveScorer(db, { name: "short key", kind: "perspective", url: "", qps: "1", credentialMode: "secret", apiKeySecret: "k-123" });
      expect(short.ok).toBe(true);
      expect((await listScorers(db)).find((s) => s.name === "short key")!.credential).toBe("stored key (short: none of it is shown)");
      const t = await testScorer(db, listed.id);
      expect(t.ok, t.message).toBe(true);

      const m = await saveModel(db, {
        name: "toxic",
        baseUrl: server.baseUrl,
        servedModelId: "tiny-toxic",
        credentialMode: "none",
        apiKeySecret: "",
        capChat: "on",
        concurrency: "4",
      });
      if (!m.ok) throw new Error(JSON.stringify(m));
      const suite = await resolveSuite(
        parseSuite({ name: "s", benchmarks: [{ benchmark: "rtp_toxicity", limit: 2, samples: 2, scorer: "local perspective" }] }),
        {
          data: { dataDir: path.resolve(__dirname, "../../lib/benchmarks/fixtures") },
        },
      );
      const runId = await createRun(db, m.data.id, suite);
      expect(await executeRun(db, runId)).toBe("completed");
      const agg = await db.prisma.aggregate.findUniqueOrThrow({ where: { runId_metric: { runId, metric: "expected_max_toxicity" } } });
      expect((agg.details as { scorer: { name: string; scorerId: string } }).scorer).toMatchObject({ name: "local perspective", scorerId: listed.id });
    });
  });
}
