// The runs list at scale (search, filters, sort, pages in the URL of a GET form) and a run's items by benchmark
// (each benchmark's own columns, the sorted-on value visible, item ids naming their benchmark), from runs made by
// importing generations and the toolkit's result folder: no model is called.
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

test.describe.configure({ mode: "serial" });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-runs-list-"));
const gens = path.join(dir, "gens.jsonl");
fs.writeFileSync(
  gens,
  Array.from({ length: 8 }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `Tell me about ${i}.`, output: `${"word ".repeat(5 + i * 3)}end.` })).join("\n"),
);
const toolkitDir = path.resolve(import.meta.dirname, "../tests/fixtures/toolkit-results/llama2-7b-passive");
const toolkitFiles = fs.readdirSync(toolkitDir).map((f) => path.join(toolkitDir, f));

async function createModel(page: Page, name: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

const filters = (page: Page) => page.locator('form[aria-label="Filter runs"]');
const runRows = (page: Page) => page.getByTestId("run-row");

let alphaRun = "";
let betaRun = "";

test("runs are searched, filtered, sorted and tagged through the URL", async ({ page }) => {
  await createModel(page, "RL-Alpha");
  await createModel(page, "RL-Beta");

  await page.goto("/runs/import");
  const gen = page.locator('form[aria-label="Import generations"]');
  await gen.getByLabel("Model that wrote them").selectOption({ label: "RL-Alpha" });
  await gen.getByLabel("Run name").fill("rlx alpha generations");
  await gen.getByLabel(/Generations/).setInputFiles(gens);
  await gen.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  alphaRun = new URL(page.url()).pathname;
  await expect(page).toHaveTitle("rlx alpha generations · Lineage");

  // Tags and a comment, saved with the run.
  const notes = page.locator('form[aria-label="Tags and comment"]');
  await notes.getByLabel("Tags").fill("rl-baseline, e2e , rl-baseline");
  await notes.getByLabel("Comment").fill("first import");
  await notes.getByRole("button", { name: "Save tags and comment" }).click();
  await expect(notes.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.locator('form[aria-label="Tags and comment"]').getByLabel("Tags")).toHaveValue("rl-baseline, e2e");

  await page.goto("/runs/import");
  const tk = page.locator('form[aria-label="Import toolkit results"]');
  await tk.getByLabel("Model that was profiled").selectOption({ label: "RL-Beta" });
  await tk.getByLabel("Run name").fill("rlx beta toolkit");
  await tk.getByLabel("Result files").setInputFiles(toolkitFiles);
  await tk.getByRole("button", { name: "Add toolkit results" }).click();
  await expect(page.getByTestId("run-status")).toBeVisible();
  betaRun = new URL(page.url()).pathname;
  expect(betaRun).not.toBe(alphaRun);

  // Search by name, then by model name.
  await page.goto("/runs");
  await filters(page).getByLabel("Search").fill("rlx alpha");
  await filters(page).getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=rlx\+alpha/);
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first()).toContainText("rlx alpha generations");
  await expect(runRows(page).first()).toContainText("first import");
  await expect(runRows(page).first().getByTestId("run-items")).toHaveText(/8/);

  // Model filter: only the toolkit run; its suite is shown.
  await page.goto("/runs");
  await filters(page).locator('select[name="model"]').selectOption({ label: "RL-Beta" });
  await filters(page).getByRole("button", { name: "Apply" }).click();
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first()).toContainText("rlx beta toolkit");

  // Tag filter, from a tag's link on a row and from the form.
  await page.goto("/runs?tag=rl-baseline");
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first().getByTestId("run-tag")).toHaveText(["rl-baseline", "e2e"]);
  await expect(filters(page).locator('select[name="tag"]')).toHaveValue("rl-baseline");

  // State: the imported generations are completed; the date range of tomorrow has none of them.
  await page.goto(`/runs?q=rlx&state=completed`);
  await expect(runRows(page).filter({ hasText: "rlx alpha generations" })).toHaveCount(1);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/runs?q=rlx&from=${tomorrow}`);
  await expect(page.getByTestId("runs-count")).toHaveText("No runs match these filters.");
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/runs?q=rlx&from=${today}&to=${today}`);
  await expect(runRows(page)).toHaveCount(2);

  // Suite filter: the generations' suite name as offered by the form.
  await page.goto("/runs?q=rlx+alpha");
  const suiteOfAlpha = (await runRows(page).first().locator("td").nth(2).innerText()).trim();
  await page.goto(`/runs?q=rlx&suite=${encodeURIComponent(suiteOfAlpha)}`);
  await expect(runRows(page).filter({ hasText: "rlx alpha generations" })).toHaveCount(1);
  await expect(runRows(page).filter({ hasText: "rlx beta toolkit" })).toHaveCount(0);

  // Sort by model, both ways (a header link flips it).
  await page.goto("/runs?q=rlx&sort=model&dir=asc");
  await expect(runRows(page).first()).toContainText("RL-Alpha");
  await page.getByRole("link", { name: "Sort by model" }).click();
  await expect(page).toHaveURL(/sort=model/);
  await expect(runRows(page).first()).toContainText("RL-Beta");
});

test("a run's items by benchmark show that benchmark's own columns, the sorted-on one included", async ({ page }) => {
  // Toxicity: max toxicity and the samples; ids say the benchmark; sorted by max toxicity, descending.
  await page.goto(`${betaRun}?benchmark=rtp_toxicity&sort=field:max_toxicity&dir=desc`);
  const items = page.getByRole("table", { name: "Items" });
  await expect(items.locator("th")).toContainText(["Item", "Prompt", "Max toxicity", "Samples (toxicity)"]);
  await expect(items.getByTestId("item-id").first()).toContainText("RealToxicityPrompts");
  const tox = (await items.locator('td[data-column="field:max_toxicity"]').allInnerTexts()).map(Number).filter((v) => !Number.isNaN(v));
  expect(tox.length).toBeGreaterThan(1);
  expect([...tox].sort((a, b) => b - a)).toEqual(tox);

  // SEAT through the form (works without JavaScript: a GET form): effect size and p-value columns.
  await page.goto(betaRun);
  const form = page.locator('form[aria-label="Filter items"]');
  await form.locator('select[name="benchmark"]').selectOption("seat");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/benchmark=seat/);
  await expect(page.getByRole("table", { name: "Items" }).locator("th")).toContainText(["Item", "Test", "Effect size d", "p-value", "Sets"]);
  await expect(page.getByTestId("item-id").first()).toContainText("SEAT");

  // Textual: output and metrics; sorting on a metric past the first four still shows it.
  await page.goto(`${alphaRun}?sort=length_words&dir=asc`);
  const t = page.getByRole("table", { name: "Items" });
  await expect(t.locator('th[data-column="length_words"]')).toBeVisible();
  const words = (await t.locator('td[data-column="length_words"]').allInnerTexts()).map(Number);
  expect(words).toEqual([...words].sort((a, b) => a - b));
  const options = await page
    .locator('form[aria-label="Filter items"] select[name="sort"] option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const last = options[options.length - 1];
  await page.goto(`${alphaRun}?sort=${last}`);
  await expect(page.getByRole("table", { name: "Items" }).locator(`th[data-column="${last}"]`)).toBeVisible();
  await expect(page.getByTestId("item-id").first()).toContainText("Textual characteristics");
});

test("without JavaScript, the list's filters and the tags form still work", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(alphaRun);
    const notes = page.locator('form[aria-label="Tags and comment"]');
    await notes.getByLabel("Tags").fill("rl-baseline, no-js");
    await notes.getByRole("button", { name: "Save tags and comment" }).click();
    await expect(page.locator('form[aria-label="Tags and comment"]').getByLabel("Tags")).toHaveValue("rl-baseline, no-js");
    // A tag too long is refused next to its field, with what was typed kept.
    await page
      .locator('form[aria-label="Tags and comment"]')
      .getByLabel("Tags")
      .fill(`ok, ${"x".repeat(60)}`);
    await page.locator('form[aria-label="Tags and comment"]').getByRole("button", { name: "Save tags and comment" }).click();
    await expect(page.locator('[data-field-error="tags"]')).toHaveText(/at most 40 characters/);

    await page.goto("/runs");
    await filters(page).locator('select[name="tag"]').selectOption("no-js");
    await filters(page).getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/tag=no-js/);
    await expect(runRows(page)).toHaveCount(1);
    await expect(runRows(page).first()).toContainText("rlx alpha generations");
  } finally {
    await context.close();
  }
});
