// Data-layer tests run against both databases: the embedded PGlite (a temp LINEAGE_HOME) and a real PostgreSQL
// (a fresh database per test file on the cluster of tests/setup/postgres.ts), migrated with the same SQL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { migrationsDir } from "@/lib/db/config";
import { createDatabase } from "./pg-cluster";

export interface Backend {
  name: "embedded" | "postgres";
  /** Why this backend is skipped here, or null. */
  skip: string | null;
  open(): Promise<Database>;
}

let counter = 0;

export function backends(): Backend[] {
  const pgUrl = inject("pgUrl");
  return [
    {
      name: "embedded",
      skip: null,
      open: () => openDatabase({ home: fs.mkdtempSync(path.join(os.tmpdir(), "lineage-test-")) }),
    },
    {
      name: "postgres",
      skip: pgUrl ? null : `PostgreSQL tests skipped: ${inject("pgSkipReason")}`,
      open: async () => {
        const name = `lineage_test_${process.pid}_${Date.now()}_${counter++}`;
        const url = await createDatabase(pgUrl!, name);
        const { default: pg } = await import("pg");
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await applyMigrations(
          { query: (q, p) => client.query(q, p as unknown[]) as never, exec: (q) => client.query(q) },
          readMigrations(migrationsDir()),
          name,
        );
        await client.end();
        return openDatabase({ url });
      },
    },
  ];
}
