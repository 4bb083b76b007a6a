import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

let cached: string | null = null;

/** The code version recorded on runs and exports: the git commit when available, else the package version. */
export function codeVersion(): string {
  if (cached) return cached;
  let version = "";
  try {
    version = JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")).version ?? "";
  } catch {
    /* not in the repo folder */
  }
  try {
    const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    cached = `${version}+${commit}${dirty ? "-dirty" : ""}`;
  } catch {
    cached = version || "unknown";
  }
  return cached;
}
