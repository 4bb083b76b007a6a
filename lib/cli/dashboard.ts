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

/**
 * A request to that dashboard, carrying a one-time local token (removed again when the request did not redeem it).
 * `timeoutMs` bounds the wait for a dashboard that is alive but does not answer (stopped, or its event loop blocked).
 */
export async function askDashboard(
  home: string,
  dashboard: DashboardAddress,
  route: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<Response> {
  const { timeoutMs, ...request } = init;
  const token = issueLocalToken(home);
  try {
    return await fetch(`${dashboard.url}${route}`, {
      ...request,
      headers: { ...(request.headers as Record<string, string>), [TOKEN_HEADER]: token },
      signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
    });
  } catch (err) {
    const why = (err as Error).name === "TimeoutError" ? `no answer within ${Math.round((timeoutMs ?? 0) / 1000)} s` : (err as Error).message;
    throw new EnvironmentError(`the dashboard (process ${dashboard.pid}) has the database but does not answer at ${dashboard.url}: ${why}`);
  } finally {
    dropLocalToken(home, token);
  }
}

/** What a dashboard's refusal says: the `error` of a JSON body, else its text, else the HTTP status. */
export async function dashboardRefusal(res: Response): Promise<string> {
  const text = (await res.text().catch(() => "")).trim();
  let said = text;
  try {
    said = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // a text body (the sign-in gate, the Host check)
  }
  if (res.status === 404) return `HTTP 404 — a dashboard started by an older version of Lineage: restart it`;
  return said ? `${said.slice(0, 300)} (HTTP ${res.status})` : `HTTP ${res.status}`;
}
