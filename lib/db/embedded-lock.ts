// PGlite has no cross-process lock: two processes opening the same folder corrupt it. This lock file makes the
// second process refuse with a message instead. A lock left by a killed process (kill -9) is detected as stale.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { errorOfKind } from "@/lib/errors";

export class DatabaseLockedError extends errorOfKind("environment") {}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/** The live process holding the lock on dataDir, if any. */
export function lockHolder(dataDir: string): { pid: number; command: string } | null {
  const holder = readLock(path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`));
  return holder && holder.host === os.hostname() && processAlive(holder.pid) ? { pid: holder.pid, command: holder.command } : null;
}

/** Takes the lock or throws DatabaseLockedError; returns a release function (also run at process exit). */
export function acquireEmbeddedLock(dataDir: string, command = process.argv.slice(1).join(" ")): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLock(file);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readLock(file);
      const stale = !holder || (holder.host === os.hostname() && (holder.pid === process.pid || !processAlive(holder.pid)));
      if (!stale) {
        throw new DatabaseLockedError(
          `The embedded database at ${dataDir} is in use by process ${holder.pid} (${holder.command || "lineage"}, ` +
            `since ${holder.startedAt}). Only one process can open it: stop that process first, or set DATABASE_URL ` +
            `to use PostgreSQL, which any number of processes can share.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not take the lock on the embedded database at ${dataDir}.`);
}
