// Bounded memory (issue 17): creating, executing and aggregating a 100,000-item textual run on the embedded
// database stays within BOUND_KB_PER_ITEM of resident memory per item above what opening the database costs (peak VmHWM
// against the RSS right after opening, in a child process of its own so that nothing else counts). Before the
// aggregation read its items page by page, a run this size loaded every item at once, ~10 KB each.
// LINEAGE_SCALE_TEST_ITEMS sets another size (the bound scales with it).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { startTestServer, type TestServer } from "../server/server";

const ITEMS = Number(process.env.LINEAGE_SCALE_TEST_ITEMS ?? 100_000);
// Issue 17's target is 2 KB per item; on main it measured 3.0 KB (CI, clean clone, 2026-12-03) after the checkpoint,
// run-cache and attribute changes landed together, so the target is not met yet. This bound guards against a return
// to holding every item (≈ 10 KB per item before paging) until the target is reached; then lower it to 2.
const BOUND_KB_PER_ITEM = 4;

describe.skipIf(process.platform !== "linux")("memory of a large run (reads /proc)", () => {
  let server: TestServer;
  let home: string;
  beforeAll(async () => {
    server = await startTestServer({ latencyMs: 0 });
    home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-scale-memory-"));
    // Created here, so that the child's baseline is opening an existing database (the one-time initdb costs more).
    await (await openDatabase({ home })).close();
  });
  afterAll(async () => {
    await server?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it(`creates, executes and aggregates ${ITEMS.toLocaleString("en")} items within ${BOUND_KB_PER_ITEM} KB per item above the opening RSS`, async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/runs/scale-memory.child.ts", home, server.baseUrl, String(ITEMS)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as { outcome: string; done: number; aggregates: number; openedMb: number; peakMb: number };
    expect(r).toMatchObject({ outcome: "completed", done: ITEMS });
    expect(r.aggregates).toBeGreaterThan(10);
    const aboveKbPerItem = ((r.peakMb - r.openedMb) * 1024) / ITEMS;
    console.log(`${ITEMS} items: opened ${r.openedMb.toFixed(0)} MB, peak ${r.peakMb.toFixed(0)} MB, ${aboveKbPerItem.toFixed(2)} KB per item above opening`);
    expect(aboveKbPerItem).toBeLessThanOrEqual(BOUND_KB_PER_ITEM);
  }, 3_600_000);
});
