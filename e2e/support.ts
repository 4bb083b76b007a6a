import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

/** Starts the OpenAI-compatible test server (tests/server) as its own process; resolves with its base URL. */
export async function startTestServer(args: string[] = []): Promise<{ url: string; stop: () => void; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "tests/server/main.ts", "--port", "0", ...args], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rl = readline.createInterface({ input: proc.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    rl.once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`test server exited with ${code}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return { url, proc, stop: () => proc.kill("SIGTERM") };
}
