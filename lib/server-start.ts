import { writeDashboardAddress } from "@/lib/db/backup";
import { getDatabase } from "@/lib/db/client";
import { lineageHome } from "@/lib/db/config";
import { refreshStatistics } from "@/lib/db/statistics";
import { codeVersion } from "@/lib/runs/version";
import { accountsExist, issueSetupToken } from "@/lib/access/accounts";
import { listensOnLoopback, openAccess } from "@/lib/access/roles";
import { siteUrl } from "@/lib/access/auth";

/** Says who may use the dashboard; on the network without any account, prints a one-time link to create the first admin. */
async function announceAccess(db: Awaited<ReturnType<typeof getDatabase>>): Promise<void> {
  if (await accountsExist(db.prisma)) {
    console.log("[lineage] sign-in required: accounts exist (manage them on /users or with `lineage users`)");
    return;
  }
  if (await openAccess()) {
    if (!listensOnLoopback()) console.warn("[lineage] no sign-in: LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK is set and no account exists");
    return;
  }
  const token = await issueSetupToken(db.prisma);
  console.log(
    `[lineage] no account exists yet. Create the first admin within 24 hours at this one-time link (or with \`lineage users add --admin\`):\n` +
      `[lineage]   ${siteUrl()}/setup?token=${token}`,
  );
}

/** Opens the database at server start (on failure prints the reason and exits, as a refused start should) and
 * starts the in-process worker unless LINEAGE_WORKER=off. */
export async function startServerServices(): Promise<void> {
  // `next build` loads instrumentation too; only a running server opens the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  let db: Awaited<ReturnType<typeof getDatabase>>;
  try {
    db = await getDatabase();
    console.log(`[lineage] database: ${db.mode} (${db.location})`);
    // Asks git once now (two child processes, ~0.3 s), not while the first run or dataset is being created.
    codeVersion();
    await announceAccess(db);
    // Where `lineage db backup` finds this dashboard (it cannot open the embedded database while this process has it).
    if (db.mode === "embedded") writeDashboardAddress(lineageHome(), process.env.PORT || "3000", process.env.HOST?.trim() || "127.0.0.1");
    // Not awaited: pages are answered meanwhile (with the plans of the previous statistics).
    void refreshStatistics(db).catch((err) => console.error(`[lineage] could not refresh the database's statistics: ${(err as Error).message}`));
  } catch (err) {
    console.error(`[lineage] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  if (process.env.LINEAGE_WORKER !== "off") {
    const { startWorker } = await import("@/lib/runs/worker");
    const worker = await startWorker(db);
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void worker.stop().finally(() => process.exit(0)));
  }
}
