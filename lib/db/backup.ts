// `lineage db backup` while the dashboard has the embedded database open. Only one process may open the folder
// (embedded-lock.ts) and a file copy of a live folder is not a database, so the command asks the dashboard to make
// the copy: the dashboard notes where it listens in LINEAGE_HOME/dashboard.json; the command writes a one-time token
// into LINEAGE_HOME (mode 0600, in a folder only its owner can enter) and sends it with the request; the dashboard
// redeems it (reads and deletes the file) before it writes anything. Whoever can write into LINEAGE_HOME may back it
// up; a browser page that reaches the dashboard cannot.
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LineageError } from "@/lib/errors";
import type { Database } from "./client";
import { diskFullError } from "./damage";

export const TOKEN_HEADER = "x-lineage-local-token";

const tokenFile = (home: string, id: string) => path.join(home, `admin-${id}.token`);
const addressFile = (home: string) => path.join(home, "dashboard.json");

export interface DashboardAddress {
  pid: number;
  url: string;
}

/** Notes where this dashboard answers, for the command line (mode 0600). */
export function writeDashboardAddress(home: string, port: string, host: string): void {
  // A dashboard on every address is reached on loopback, as is one on loopback.
  const h = !host || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const address: DashboardAddress = { pid: process.pid, url: `http://${h}:${port}` };
  const file = addressFile(home);
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, JSON.stringify(address), { mode: 0o600 });
}

export function readDashboardAddress(home: string): DashboardAddress | null {
  try {
    const a = JSON.parse(fs.readFileSync(addressFile(home), "utf8")) as Partial<DashboardAddress>;
    return typeof a.pid === "number" && typeof a.url === "string" ? { pid: a.pid, url: a.url } : null;
  } catch {
    return null;
  }
}

/** Writes a one-time token into LINEAGE_HOME; returns the header value that redeems it. */
export function issueLocalToken(home: string): string {
  const id = randomBytes(16).toString("hex");
  const secret = randomBytes(32).toString("hex");
  fs.writeFileSync(tokenFile(home, id), secret, { mode: 0o600, flag: "wx" });
  return `${id}.${secret}`;
}

/** Removes a token that was not redeemed (the request never reached the dashboard). */
export function dropLocalToken(home: string, header: string): void {
  const id = header.split(".")[0];
  if (/^[0-9a-f]{32}$/.test(id)) fs.rmSync(tokenFile(home, id), { force: true });
}

const refused = () => new LineageError("this needs the one-time token the command line writes into LINEAGE_HOME", { kind: "forbidden" });

/** Redeems a token once: true when the header names a token file of this user's, private, holding its secret. */
export function redeemLocalToken(home: string, header: string | null): void {
  const m = /^([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) throw refused();
  const file = tokenFile(home, m[1]);
  let secret: Buffer;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
    secret = fs.readFileSync(file);
  } catch {
    throw refused();
  } finally {
    fs.rmSync(file, { force: true });
  }
  const ownerOk = typeof process.getuid !== "function" || st.uid === process.getuid();
  const expected = Buffer.from(m[2]);
  if (!st.isFile() || !ownerOk || (st.mode & 0o077) !== 0 || secret.length !== expected.length || !timingSafeEqual(secret, expected)) throw refused();
}

/** Where a backup goes: a new (or empty) folder; the database is written to its `db` subfolder. */
export function backupTarget(dest: string): string {
  if (!path.isAbsolute(dest)) throw new LineageError(`the backup folder must be an absolute path (got ${dest})`, { kind: "bad_input" });
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0)
    throw new LineageError(`${dest} exists and is not empty: name a new folder`, { kind: "bad_input" });
  return path.join(dest, "db");
}

/** Writes a consistent copy of the open embedded database to `dest`/db. */
export async function backupOpenDatabase(db: Database, dest: string): Promise<string> {
  if (!db.backupTo) throw new LineageError("with DATABASE_URL, back up PostgreSQL with pg_dump (or your provider's snapshots)", { kind: "bad_input" });
  const target = backupTarget(dest);
  try {
    fs.mkdirSync(dest, { recursive: true, mode: 0o700 });
    await db.backupTo(target);
  } catch (err) {
    throw new LineageError(`could not write the backup to ${target}: ${(diskFullError(err, target) ?? (err as Error)).message}`, { kind: "environment" });
  }
  return target;
}
