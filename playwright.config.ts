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

// A second dashboard, with accounts, for the sign-in and roles tests (e2e/sign-in.spec.ts), and a local OpenID Connect
// issuer for it (tests/server/oidc/main.mjs). The other tests use the first one, which has no account.
const authPort = port + 50;
const oidcPort = port + 100;
const authHome = process.env.E2E_AUTH_LINEAGE_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-auth-"));
process.env.E2E_AUTH_LINEAGE_HOME = authHome;
export const authURL = `http://127.0.0.1:${authPort}`;
process.env.E2E_AUTH_URL = authURL;
process.env.E2E_OIDC_URL = `http://127.0.0.1:${oidcPort}`;

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
  // Started in this order: the first builds the dashboard, the others find it built.
  webServer: [
    {
      // The production build (built when sources changed), as a user runs it.
      command: "node scripts/start.mjs",
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { PORT: String(port), LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key", LINEAGE_DATA_DIR: e2eDataDir },
    },
    {
      command: `node tests/server/oidc/main.mjs --port ${oidcPort} --redirect ${authURL}/api/auth/callback/oidc`,
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "node tests/server/auth-dashboard.mjs",
      url: `${authURL}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(authPort),
        LINEAGE_HOME: authHome,
        DATABASE_URL: "",
        LINEAGE_SECRET_KEY: "e2e-secret-key",
        LINEAGE_DATA_DIR: e2eDataDir,
        LINEAGE_WORKER: "off",
        LINEAGE_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        LINEAGE_OIDC_CLIENT_ID: "lineage-e2e",
        LINEAGE_OIDC_CLIENT_SECRET: "lineage-e2e-client-secret",
        LINEAGE_OIDC_LABEL: "Sign in with the test issuer",
      },
    },
  ],
});
