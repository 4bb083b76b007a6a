// `lineage audit`: the audit log on the command line, with the page's filters, on the embedded database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/log";
import { run } from "@/lib/cli/program";
import { openDatabase } from "@/lib/db/client";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const out = new PassThrough().on("data", (d) => (stdout += d));
  const err = new PassThrough().on("data", (d) => (stderr += d));
  const code = await run(args, { stdin: Readable.from([]), stdout: out, stderr: err });
  return { code, stdout, stderr };
}

describe("lineage audit", { timeout: 240_000 }, () => {
  it("lists events newest first, filtered, as lines or JSON; a malformed day is a usage error", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-audit-cli-"));
    process.env.LINEAGE_HOME = home;
    delete process.env.DATABASE_URL;
    const db = await openDatabase({ home });
    await recordAudit(
      db,
      { userId: null, name: "cli", via: "cli" },
      { action: "run.start", subjectType: "run", subjectId: "r1", detail: { suite: "quick" } },
      new Date("2026-11-01T10:00:00Z"),
    );
    await recordAudit(
      db,
      { userId: "u1", name: "ann@example.org", via: "session" },
      { action: "model.delete", subjectType: "model", subjectId: "m1" },
      new Date("2026-11-02T10:00:00Z"),
    );
    await db.close();
    const all = await cli(["audit"]);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split("\n")).toEqual([
      "2026-11-02T10:00:00.000Z  ann@example.org (session)  model.delete  model m1",
      '2026-11-01T10:00:00.000Z  cli (cli)  run.start  run r1  {"suite":"quick"}',
    ]);
    expect(all.stderr).toContain("page 1 of 1 · 2 events");
    const runs = await cli(["audit", "--action", "run", "--json"]);
    expect(JSON.parse(runs.stdout).rows.map((r: { subjectId: string }) => r.subjectId)).toEqual(["r1"]);
    expect(JSON.parse((await cli(["audit", "--to", "2026-11-01", "--json"])).stdout).total).toBe(1);
    const bad = await cli(["audit", "--from", "yesterday"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--from: a day as YYYY-MM-DD");
  });
});
