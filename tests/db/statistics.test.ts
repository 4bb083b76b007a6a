// The embedded database's planner statistics are refreshed where a table grew by more than a tenth since its last
// ANALYZE (autovacuum's rule), and left alone otherwise: an ANALYZE of every table at each run's start and end cost
// more than the run's own database work on small runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/lib/db/client";
import { refreshStatistics } from "@/lib/db/statistics";

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ home: fs.mkdtempSync(path.join(os.tmpdir(), "lineage-statistics-")) });
});
afterAll(async () => {
  await db?.close();
});

const relpages = async (table: string) =>
  (await db.sql.query<{ relpages: number }>(`SELECT relpages FROM pg_class WHERE relname = $1`, [table])).rows[0].relpages;

describe("refreshStatistics on the embedded database", () => {
  it("analyzes a table that grew, not one that did not, and again once it grew by more than a tenth", async () => {
    await refreshStatistics(db); // whatever the migrations left
    await db.sql.exec(`CREATE TABLE grows (id int, note text)`);
    await db.sql.exec(`INSERT INTO grows SELECT g, repeat('x', 100) FROM generate_series(1, 10000) g`);
    expect(await relpages("grows")).toBe(0);
    expect(await refreshStatistics(db)).toContain("grows");
    const analyzed = await relpages("grows");
    expect(analyzed).toBeGreaterThan(100);
    expect(await refreshStatistics(db)).toEqual([]);

    // 5 % more rows: within the tenth, left alone.
    await db.sql.exec(`INSERT INTO grows SELECT g, repeat('x', 100) FROM generate_series(1, 500) g`);
    expect(await refreshStatistics(db)).toEqual([]);
    expect(await relpages("grows")).toBe(analyzed);

    // 20 % more: analyzed, and the planner's page count follows.
    await db.sql.exec(`INSERT INTO grows SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g`);
    expect(await refreshStatistics(db)).toEqual(["grows"]);
    expect(await relpages("grows")).toBeGreaterThan(analyzed * 1.2);
  });
});
