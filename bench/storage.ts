// npm run bench:storage — what a log-likelihood item costs on disk (issue 17, compact storage): CrowS-Pairs (1,508
// pairs) and BBQ (the six categories of /work/shared/data, 11,956 items) run through the test server at 0 ms, on the
// embedded database and on PostgreSQL; bytes per item = the Item table's relation sizes (heap, TOAST and every
// index, after VACUUM) / its rows. Target: ≤ 4 KB per item.
// Flags: --data DIR (default ../shared/data), --bbq Age,Religion (categories), --skip-postgres
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrationsDir } from "@/lib/db/config";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { executeRun } from "@/lib/runs/executor";
import { createRun } from "@/lib/runs/runs";
import { resolveSuite } from "@/lib/runs/steps/prepare";
import { parseSuite, type SuiteSpec } from "@/lib/runs/suite";
import { startTestServer } from "../tests/server/server";
import { itemTableSize } from "../tests/support/item-size";
import { addTestModel } from "../tests/support/models";
import { createDatabase, startPgCluster, type PgCluster } from "../tests/support/pg-cluster";

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dataDir = path.resolve(flag("data") ?? path.join(process.cwd(), "../shared/data"));
const bbqCategories = (flag("bbq") ?? "Age,Disability_status,Nationality,Physical_appearance,Religion,Sexual_orientation").split(",");
process.env.LINEAGE_SECRET_KEY ??= "bench";

const suites: { name: string; benchmarks: SuiteSpec["benchmarks"] }[] = [
  { name: "CrowS-Pairs", benchmarks: [{ benchmark: "crows_pairs" }] },
  { name: `BBQ (${bbqCategories.length} categories)`, benchmarks: [{ benchmark: "bbq", categories: bbqCategories }] },
];

async function measure(label: string, open: () => Promise<Database>) {
  const server = await startTestServer({ latencyMs: 0 });
  try {
    for (const s of suites) {
      const db = await open();
      try {
        const modelId = await addTestModel(db, server, `storage-${Date.now()}`, "tiny-llama", { concurrency: "16" });
        const resolved = await resolveSuite(parseSuite({ name: s.name, benchmarks: s.benchmarks }), { data: { dataDir } });
        const runId = await createRun(db, modelId, resolved, { seed: 1 });
        const t0 = performance.now();
        const outcome = await executeRun(db, runId);
        const secs = (performance.now() - t0) / 1000;
        if (outcome !== "completed") throw new Error(`${s.name}: run ended ${outcome}`);
        const size = await itemTableSize(db);
        console.log(
          `${label} · ${s.name}: ${size.items} items in ${secs.toFixed(1)} s; Item ${(size.total / 1048576).toFixed(2)} MB ` +
            `(heap ${(size.heap / 1048576).toFixed(2)}, TOAST ${(size.toast / 1048576).toFixed(2)}, indexes ${(size.indexes / 1048576).toFixed(2)}) = ` +
            `${(size.total / size.items).toFixed(0)} bytes per item (target ≤ 4096)`,
        );
      } finally {
        await db.close();
      }
    }
  } finally {
    await server.close();
  }
}

await measure("embedded", () => openDatabase({ home: fs.mkdtempSync(path.join(os.tmpdir(), "lineage-bench-storage-")) }));
if (!process.argv.includes("--skip-postgres")) {
  let cluster: PgCluster | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    cluster = await startPgCluster();
    url = cluster.url;
  }
  let n = 0;
  try {
    await measure("PostgreSQL", async () => {
      const name = `lineage_bench_storage_${process.pid}_${n++}`;
      const dbUrl = await createDatabase(url!, name);
      const { default: pg } = await import("pg");
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      await applyMigrations({ query: (q, p) => c.query(q, p as unknown[]) as never, exec: (q) => c.query(q) }, readMigrations(migrationsDir()), name);
      await c.end();
      return openDatabase({ url: dbUrl });
    });
  } finally {
    cluster?.stop();
  }
}
process.exit(0);
