// Kill the dashboard (kill -9) in the middle of a run, start it again, and get the complete profile: the
// in-process worker resumes the run and no item is requested twice or lost.
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "./support";

const port = Number(process.env.E2E_RESUME_PORT ?? 3198);
const base = `http://127.0.0.1:${port}`;
const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-resume-"));

async function startDashboard(): Promise<ChildProcess> {
  // The production build made for the other browser tests; `next start` directly, so kill -9 hits the server.
  const proc = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key" },
    stdio: "ignore",
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return proc;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the dashboard did not start");
}

test("kill -9 the dashboard mid-run; after a restart the run completes exactly", async ({ page }) => {
  test.setTimeout(180_000);
  const server = await startTestServer(["--latency-ms", "400"]);
  let dashboard = await startDashboard();
  try {
    const prompts = path.join(home, "prompts.txt");
    fs.writeFileSync(prompts, Array.from({ length: 24 }, (_, i) => `Tell me something about number ${i}.`).join("\n"));
    await page.goto(`${base}/models/new`);
    await page.getByLabel("Name", { exact: true }).fill("Resume-Model");
    await page.getByLabel("Base URL").fill(`${server.url}/v1`);
    await page.getByLabel("Served model id").fill("tiny-llama");
    await page.getByLabel("Concurrency limit").fill("2");
    await page.getByRole("button", { name: "Create model" }).click();
    await page.getByRole("link", { name: "Profile this model" }).click();
    await page.getByLabel("Upload a prompt set").check();
    await page.getByLabel("Prompt file").setInputFiles(prompts);
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page.getByTestId("progress-textual")).toHaveText(/^([2-9]|1\d) \/ 24 done/, { timeout: 60_000 });
    const runUrl = page.url();
    // The page lags the database, so this is a lower bound of the items stored when the process dies.
    const doneAtKill = Number(/^(\d+)/.exec((await page.getByTestId("progress-textual").textContent()) ?? "")![1]);

    dashboard.kill("SIGKILL");
    await new Promise((r) => dashboard.once("exit", r));
    const before = (await (await fetch(`${server.url}/__control/stats`)).json()).byRoute["/v1/completions"] as number;
    dashboard = await startDashboard();

    await page.goto(runUrl);
    await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 90_000 });
    await expect(page.getByTestId("progress-textual")).toHaveText(/24 \/ 24 done/);
    const after = (await (await fetch(`${server.url}/__control/stats`)).json()).byRoute["/v1/completions"] as number;
    // After the restart only items not yet stored are requested: never one that was stored before the kill.
    expect(after - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThanOrEqual(24 - doneAtKill);
  } finally {
    dashboard.kill("SIGTERM");
    server.stop();
  }
});
