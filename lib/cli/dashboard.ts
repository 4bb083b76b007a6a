// Commands the dashboard answers while it has the embedded database open: only one process may open the folder
// (lib/db/embedded-lock.ts), so a command that finds the dashboard holding it sends its request there instead of
// refusing. It proves that it may act on LINEAGE_HOME with a one-time token written there (lib/db/backup.ts).
import path from "node:path";
import { type DashboardAddress, dropLocalToken, issueLocalToken, readDashboardAddress, TOKEN_HEADER } from "@/lib/db/backup";
import { databaseMode } from "@/lib/db/config";
import { lockHolder } from "@/lib/db/embedded-lock";
import { EnvironmentError } from "./io";

/** The dashboard that has the embedded database of `home` open, or null (PostgreSQL, free, or held by another process). */
export function dashboardHoldingDatabase(home: string): DashboardAddress | null {
  if (databaseMode() === "postgres") return null;
  const holder = lockHolder(path.join(home, "db"));
  const dashboard = readDashboardAddress(home);
  return holder && dashboard && dashboard.pid === holder.pid ? dashboard : null;
}

/** A request to that dashboard, carrying a one-time local token (removed again when the request did not redeem it). */
export async function askDashboard(home: string, dashboard: DashboardAddress, route: string, init: RequestInit = {}): Promise<Response> {
  const token = issueLocalToken(home);
  try {
    return await fetch(`${dashboard.url}${route}`, { ...init, headers: { ...(init.headers as Record<string, string>), [TOKEN_HEADER]: token } });
  } catch (err) {
    throw new EnvironmentError(`the dashboard (process ${dashboard.pid}) has the database but does not answer at ${dashboard.url}: ${(err as Error).message}`);
  } finally {
    dropLocalToken(home, token);
  }
}

/** The error a dashboard's refusal carries ({ error } in the body), else its HTTP status. */
export async function dashboardRefusal(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  return body?.error ?? `HTTP ${res.status}`;
}
