// The set-up the kill-and-resume tests of judge attributes share: a LINEAGE_HOME of their own with a prompt file, a
// generating model and a judge model on the test server, and the judge attribute "Length judge" (1–10), all through
// the real command line.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { TestServer } from "../server/server";
import { runCli } from "./cli";

export type CliResult = Awaited<ReturnType<typeof runCli>>;

export interface JudgeHome {
  home: string;
  env: Record<string, string>;
  /** `lineage <args>` in this home; fails the test on a non-zero exit. */
  cli(args: string[]): Promise<CliResult>;
}

export async function judgeHome(opts: {
  name: string;
  baseUrl: string;
  /** prompts.jsonl in the home: one record per line. */
  prompts: Record<string, string>[];
  genConcurrency: number;
  judgeConcurrency: number;
  /** Above 0, tiny-judge wavers by a point between asks. */
  temperature?: number;
  env?: Record<string, string>;
}): Promise<JudgeHome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `lineage-${opts.name}-`));
  const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: `${opts.name}-test`, ...opts.env };
  fs.writeFileSync(path.join(home, "prompts.jsonl"), opts.prompts.map((p) => JSON.stringify(p)).join("\n"));
  const cli = async (args: string[]) => {
    const r = await runCli(args, env);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  await cli(["models", "add", "--name", "gen", "--base-url", opts.baseUrl, "--model-id", "tiny-llama", "--concurrency", String(opts.genConcurrency)]);
  await cli(["models", "add", "--name", "judge", "--base-url", opts.baseUrl, "--model-id", "tiny-judge", "--concurrency", String(opts.judgeConcurrency)]);
  await cli([
    "attributes",
    "add",
    "--name",
    "Length judge",
    "--kind",
    "judge",
    "--judge",
    "judge",
    "--rubric",
    "Rate:\n<output>{output}</output>",
    "--range",
    "1,10",
    ...(opts.temperature === undefined ? [] : ["--temperature", String(opts.temperature)]),
  ]);
  return { home, env, cli };
}

/**
 * SIGKILLs `child` once the test server has answered `after` judge requests; resolves when the child has exited,
 * to whether it was killed (false: it ended on its own first).
 */
export async function killAfterJudged(child: ChildProcess, server: TestServer, after: number): Promise<boolean> {
  const exited = new Promise((r) => child.once("exit", r));
  let killed = false;
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if ((server.stats.byModel["tiny-judge"] ?? 0) >= after) {
        clearInterval(t);
        killed = child.kill("SIGKILL");
        resolve();
      }
    }, 5);
    void exited.then(() => {
      clearInterval(t);
      resolve();
    });
  });
  await exited;
  return killed;
}
