// `lineage runs list`: from the database, or from the dashboard when it has the embedded database open (then the
// command opens nothing and answers in a fraction of a second; lib/cli/dashboard.ts).
import { lineageHome } from "@/lib/db/config";
import type { RunListRow } from "@/lib/runs/runs";
import { askDashboard, dashboardHoldingDatabase, dashboardRefusal } from "./dashboard";
import { EnvironmentError } from "./io";
import type { Action } from "./program";

export const listRunsAction: Action = async (opts, _args, io) => {
  const home = lineageHome();
  const dashboard = dashboardHoldingDatabase(home);
  let rows: RunListRow[];
  if (dashboard) {
    const res = await askDashboard(home, dashboard, "/api/admin/runs", { timeoutMs: 30_000 });
    if (!res.ok) throw new EnvironmentError(`the dashboard at ${dashboard.url} could not list the runs: ${await dashboardRefusal(res)}`);
    rows = ((await res.json()) as { runs: RunListRow[] }).runs;
  } else {
    // Loaded here: the dashboard's path needs neither the database client nor the run queries.
    const [{ withDatabase }, { listRunRows }] = await Promise.all([import("./database"), import("@/lib/runs/runs")]);
    rows = await withDatabase((db) => listRunRows(db), { prisma: false });
  }
  if (opts.json) io.stdout.write(JSON.stringify(rows) + "\n");
  else for (const r of rows) io.stdout.write(`${r.id}  ${r.status.padEnd(9)}  ${r.model}  ${r.name}  ${r.createdAt}\n`);
  return 0;
};
