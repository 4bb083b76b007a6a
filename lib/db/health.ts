// What GET /api/health tells anyone who can reach it: the database mode, whether it is healthy and the migration
// state, never where the database is (its folder or host), nor an error's text, which may name either: the reason
// is in the server's log.
import { currentMigrationState, describeMigrationProblem, getDatabase } from "./client";
import { databaseMode } from "./config";
import { DatabaseDamagedError } from "./damage";

export async function healthReport(): Promise<{ status: number; body: Record<string, unknown> }> {
  const mode = databaseMode();
  try {
    await getDatabase();
    const migrations = await currentMigrationState();
    const problem = describeMigrationProblem(migrations);
    return {
      status: problem ? 503 : 200,
      body: {
        status: problem ? "degraded" : "ok",
        database: { mode, healthy: !problem },
        migrations: { state: problem ? "out-of-date" : "up-to-date", ...migrations, problem },
      },
    };
  } catch (err) {
    console.error(`[lineage] health check: ${(err as Error).message}`);
    const damaged = err instanceof DatabaseDamagedError;
    return {
      status: 503,
      body: {
        status: "error",
        database: { mode, healthy: false, ...(damaged ? { damaged: true } : {}) },
        error: damaged
          ? "the embedded database folder is damaged: restore LINEAGE_HOME from a backup; the server's log names what is missing"
          : "the database cannot be used: the server's log says why",
      },
    };
  }
}
