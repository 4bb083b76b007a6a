// Vitest global setup: a real PostgreSQL for the data-layer tests. DATABASE_URL wins; otherwise a throwaway
// cluster is started from the installed binaries and stopped afterwards. Without either, the PostgreSQL tests
// are skipped with the reason (the embedded-database tests still run).
import type { TestProject } from "vitest/node";
import { findPgBinDir, startPgCluster, type PgCluster } from "../support/pg-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string | null;
    pgSkipReason: string | null;
  }
}

let cluster: PgCluster | null = null;

export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide("pgUrl", process.env.DATABASE_URL);
    project.provide("pgSkipReason", null);
    return;
  }
  if (!findPgBinDir()) {
    project.provide("pgUrl", null);
    project.provide("pgSkipReason", "no DATABASE_URL and no PostgreSQL binaries (initdb) on this machine");
    return;
  }
  cluster = await startPgCluster();
  project.provide("pgUrl", cluster.url);
  project.provide("pgSkipReason", null);
}

export async function teardown() {
  cluster?.stop();
}
