import { defineConfig } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The system Chromium when there is one (CHROMIUM_PATH, /usr/bin/chromium…); otherwise Playwright's own browser,
// which scripts/test.mjs installs first. Browser tests are never skipped.
const systemChromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
  .filter((p): p is string => !!p)
  .find((p) => fs.existsSync(p));

const port = Number(process.env.E2E_PORT ?? 3199);
// Benchmark files for the paper-profile test: LINEAGE_DATA_DIR, else the workspace copies when present.
const sharedData = path.resolve(import.meta.dirname, "../shared/data");
export const e2eDataDir = process.env.LINEAGE_DATA_DIR ?? (fs.existsSync(sharedData) ? sharedData : "");
// A fresh embedded database for every test session, so that tests start from an empty dashboard.
const home = process.env.E2E_LINEAGE_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-"));
process.env.E2E_LINEAGE_HOME = home;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // The production build (built when sources changed), as a user runs it.
    command: "node scripts/start.mjs",
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(port), LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key", LINEAGE_DATA_DIR: e2eDataDir },
  },
});
