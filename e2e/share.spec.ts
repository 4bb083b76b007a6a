// Reviewer links and the audit log, in the browser: an editor shares a comparison of runs A and B; a fresh browser
// (no cookies, no account) opens the link and sees that comparison — table, figures, samples, downloads — and
// nothing else (no navigation, no forms that change anything, never run C); revoked, it answers 404 (page) and 410
// (routes); a link made without JavaScript and then expired says so; the audit page lists who did what.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

test.describe.configure({ mode: "serial" });

// A dashboard of its own (the production build the suite's web server made), so that these models and runs
// neither depend on nor leak into the other browser tests.
const port = Number(process.env.E2E_PORT ?? 3199) + 41;
test.use({ baseURL: `http://127.0.0.1:${port}` });
const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-share-home-"));
let server: ChildProcess | null = null;

async function startServer() {
  server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    env: { ...process.env, PORT: String(port), LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key" },
    stdio: "ignore",
  });
  // Generous: on a loaded machine the first start of a fresh folder takes a while.
  const deadline = Date.now() + 150_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`the share test server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopServer() {
  const s = server;
  server = null;
  if (!s || s.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    s.once("exit", () => resolve());
    s.kill("SIGTERM");
  });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await startServer();
});
test.afterAll(stopServer);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-share-"));
function generations(name: string, outputs: string[]): string {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, outputs.map((output, i) => JSON.stringify({ id: `p${i + 1}`, prompt: `Prompt ${i + 1}`, output })).join("\n"));
  return file;
}

async function modelWithRun(page: Page, name: string, outputs: string[]): Promise<string> {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.goto("/runs/import");
  const form = page.getByRole("form", { name: "Import generations" });
  await form.getByLabel("Model that wrote them").selectOption({ label: name });
  await form.getByLabel("Run name").fill(name);
  await form.getByLabel("Generations (JSON Lines)").setInputFiles(generations(name, outputs));
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  return page.url().split("/runs/")[1];
}

async function share(page: Page, label: string, days: string): Promise<string> {
  const form = page.getByRole("form", { name: "Share" });
  await form.getByLabel("Expires after").selectOption(days);
  await form.getByLabel("Label (optional)").fill(label);
  await form.getByRole("button", { name: "Create link" }).click();
  const url = await page.getByRole("textbox", { name: "Reviewer link" }).inputValue();
  expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/share/[A-Za-z0-9_-]{43}$`));
  return url;
}

async function freshPage(browser: Browser, javaScriptEnabled = true): Promise<Page> {
  return (await browser.newContext({ javaScriptEnabled, baseURL: `http://127.0.0.1:${port}`, acceptDownloads: true })).newPage();
}

let runA = "";
let runB = "";
let runC = "";
let revokedUrl = "";

test("an editor shares runs A and B; a visitor without an account sees that comparison and nothing else", async ({ page, browser }) => {
  test.setTimeout(180_000);
  runA = await modelWithRun(page, "Share-A", ["one two", "three four", "five six"]);
  runB = await modelWithRun(page, "Share-B", ["one two three four", "five six seven eight", "nine ten eleven twelve"]);
  runC = await modelWithRun(page, "Share-C", ["SECRET-C-OUTPUT alpha", "SECRET-C-OUTPUT beta", "SECRET-C-OUTPUT gamma"]);
  await page.goto(`/compare?runs=${runA},${runB}&ref=${runA}`);
  await expect(page.getByRole("table", { name: "Comparison" })).toBeVisible();
  const url = await share(page, "Paper review", "7");
  await expect(page.getByTestId("share-link")).toContainText("cannot be shown again");

  const visitor = await freshPage(browser);
  const res = await visitor.goto(url);
  expect(res?.status()).toBe(200);
  await expect(visitor.getByRole("heading", { name: "Paper review" })).toBeVisible();
  await expect(visitor.getByTestId("share-meta")).toContainText("Shared by local user");
  const table = visitor.getByRole("table", { name: "Comparison" });
  await expect(table.locator("thead th").nth(1)).toContainText("Share-A");
  await expect(table.locator("thead th").nth(2)).toContainText("Share-B");
  // 2 → 4 words per output: +2, +100 %; the paired statistics come from the link's own route.
  const delta = table.locator('tr[data-metric="length_words"] td[data-col="delta"]').first();
  await expect(delta.locator('[data-col="pct"]')).toHaveText("+100 %");
  await expect(delta.locator('[data-col="paired"]')).toContainText("[+2.00, +2.00]");
  await expect(visitor.locator('[data-figure="change-heatmap"] svg')).toBeVisible();
  await expect(visitor.getByRole("table", { name: "Side-by-side samples" }).getByTestId("sample-row")).toHaveCount(3);
  // Nothing else of the dashboard: no navigation, no link out of the link, no form but the samples' sort (a GET of
  // this page), never run C.
  await expect(visitor.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  const hrefs = await visitor.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  const token = new URL(url).pathname.split("/")[2];
  for (const h of hrefs) expect(h, h).toMatch(new RegExp(`^(#|/share/${token}[?#]|/share/${token}$|/api/share/${token}/)`));
  const forms = await visitor.locator("form").evaluateAll((fs) => fs.map((f) => `${f.getAttribute("aria-label")} ${f.getAttribute("method")}`));
  expect(forms).toEqual(["Sort samples get"]);
  const html = await visitor.content();
  expect(html).not.toContain("Share-C");
  expect(html).not.toContain(runC);
  expect(html).not.toContain("Create link");
  await visitor.screenshot({ path: "test-results/screens/share-visitor.png", fullPage: true });

  // Downloads: the table as CSV, a figure as PDF, the samples, through the link's routes.
  const [csv] = await Promise.all([visitor.waitForEvent("download"), visitor.getByRole("link", { name: "Table as CSV" }).click()]);
  const csvText = fs.readFileSync(await csv.path()!, "utf8");
  expect(csvText).toContain("Share-B");
  expect(csvText).not.toContain("Share-C");
  const [pdf] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.locator('[data-figure="change-heatmap"]').getByRole("button", { name: "PDF" }).click(),
  ]);
  expect(
    fs
      .readFileSync(await pdf.path()!)
      .subarray(0, 5)
      .toString("latin1"),
  ).toBe("%PDF-");
  // Asking the link's routes for run C gets the link's runs.
  const json = await (await visitor.request.get(`/api/share/${token}/export?format=json&runs=${runA},${runC}&ref=${runC}`)).json();
  expect(json.runs.map((r: { id: string }) => r.id).sort()).toEqual([runA, runB].sort());
  const samples = await (await visitor.request.get(`/api/share/${token}/export?format=samples-csv&diff=${runC}`)).text();
  expect(samples).not.toContain("SECRET-C");
  await visitor.context().close();
  revokedUrl = url;
});

test("revoked on the list of links, the link answers 404 with a clear page, and its routes 410", async ({ page, browser }) => {
  await page.goto("/share");
  const row = page.getByRole("table", { name: "Active links" }).locator("tr", { hasText: "Paper review" });
  await expect(row).toContainText("Share-A, Share-B");
  await expect(row).toContainText("local user");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("table", { name: "Active links" }).locator("tr", { hasText: "Paper review" })).toHaveCount(0);
  const visitor = await freshPage(browser);
  const res = await visitor.goto(revokedUrl);
  expect(res?.status()).toBe(404);
  await expect(visitor.getByTestId("share-gone")).toHaveText(/was revoked/);
  await expect(visitor.getByRole("heading", { name: "This link does not open" })).toBeVisible();
  await expect(visitor.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  const token = new URL(revokedUrl).pathname.split("/")[2];
  const api = await visitor.request.get(`/api/share/${token}/export?format=csv`);
  expect(api.status()).toBe(410);
  expect((await api.json()).error).toMatch(/revoked/);
  expect((await visitor.request.get(`/api/share/${"x".repeat(43)}/export?format=csv`)).status()).toBe(404);
  await visitor.context().close();
});

test("a link made without JavaScript works, and once expired says so", async ({ browser }) => {
  test.setTimeout(300_000);
  const editor = await freshPage(browser, false);
  await editor.goto(`/compare?runs=${runA},${runB}&ref=${runA}`);
  const url = await share(editor, "Old link", "1");
  const visitor = await freshPage(browser, false);
  expect((await visitor.goto(url))?.status()).toBe(200);
  await expect(visitor.getByRole("table", { name: "Comparison" })).toBeVisible();
  await editor.context().close();
  await visitor.context().close();
  // A day later, as the data layer sees it: the expiry moved into the past while the dashboard is stopped.
  await stopServer();
  execFileSync(process.execPath, ["--import", "tsx", "tests/support/expire-share-link.ts", home, "Old link"]);
  await startServer();
  const late = await freshPage(browser);
  expect((await late.goto(url))?.status()).toBe(404);
  await expect(late.getByTestId("share-gone")).toHaveText(/expired on/);
  await late.goto("/share");
  await expect(late.getByText("No active links.")).toBeVisible();
  await late.context().close();
});

test("the audit log lists who created, exported, shared and revoked, with filters", async ({ page }) => {
  await page.goto("/audit");
  const events = page.getByRole("table", { name: "Audit events" });
  await expect(events.locator('tr[data-action="share.revoke"]')).toHaveCount(1);
  await expect(events.locator('tr[data-action="share.create"]')).toHaveCount(2);
  await expect(events.locator('tr[data-action="model.create"]')).toHaveCount(3);
  await expect(events.locator('tr[data-action="run.import"]')).toHaveCount(3);
  // The visitor's downloads are recorded as the link's.
  const linkExport = events.locator('tr[data-action="export.compare"]').first();
  await expect(linkExport).toContainText('reviewer link "Paper review" (by local user)');
  await expect(linkExport).toContainText("(link)");
  await page.getByRole("form", { name: "Filter the audit log" }).getByLabel("Action").selectOption("share");
  await page.getByRole("form", { name: "Filter the audit log" }).getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=share/);
  const actions = await page
    .getByRole("table", { name: "Audit events" })
    .locator("tbody tr")
    .evaluateAll((rs) => rs.map((r) => r.getAttribute("data-action")));
  // Newest first: the link made without JavaScript, the revocation, the first link.
  expect(actions).toEqual(["share.create", "share.revoke", "share.create"]);
  await page.screenshot({ path: "test-results/screens/audit.png", fullPage: true });
});
