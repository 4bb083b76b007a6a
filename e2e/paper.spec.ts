// The paper profile from the browser: a local OpenAI-compatible endpoint (echo log-probs, embeddings) and a
// Perspective-compatible scorer get every benchmark family, with per-item drill-down.
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { startTestServer } from "./support";

const dataDir = process.env.LINEAGE_DATA_DIR ?? path.resolve(import.meta.dirname, "../../shared/data");
const haveData = fs.existsSync(path.join(dataDir, "crows_pairs", "crows_pairs_anonymized.csv"));

test.describe.configure({ mode: "serial" });

/** Registers a model with echo log-probs and embeddings on the test server and opens its new-run form. */
async function profileNewModel(page: Page, name: string, baseUrl: string, servedId: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Base URL").fill(baseUrl);
  await page.getByLabel("Served model id").fill(servedId);
  await page.getByLabel("Completions with echo + logprobs").check();
  await page.getByLabel("Embeddings", { exact: true }).check();
  await page.getByRole("button", { name: "Create model" }).click();
  await page.getByRole("link", { name: "Profile this model" }).click();
}

test(`all four families from the browser${haveData ? "" : " — skipped: no benchmark files (set LINEAGE_DATA_DIR)"}`, async ({ page }) => {
  test.skip(!haveData, `no benchmark files at ${dataDir}`);
  test.setTimeout(300_000);
  const server = await startTestServer(["--perspective-qps", "20"]);
  try {
    await page.goto("/scorers");
    await page.getByLabel("Name", { exact: true }).fill("fake-perspective");
    await page.getByLabel("Kind").selectOption("perspective");
    await page.getByLabel("URL", { exact: true }).fill(`${server.url}/v1alpha1`);
    await page.getByLabel("Requests per second").fill("15");
    await page.getByLabel("API key").selectOption("none");
    await page.getByRole("button", { name: /add|create|save/i }).click();
    await expect(page.getByRole("table", { name: "Scorers" })).toContainText("fake-perspective");

    await profileNewModel(page, "Paper-Model", `${server.url}/v1`, "tiny-toxic");

    await page.getByLabel("Choose benchmarks").check();
    const group = page.getByRole("group", { name: "Benchmarks" });
    for (const box of await group.getByRole("checkbox").all()) await box.check();
    await page.getByLabel("Items per benchmark").fill("3");
    await page.getByLabel("Toxicity scorer").fill("fake-perspective");
    await page
      .getByLabel("Upload a prompt set")
      .check()
      .catch(() => undefined);
    const prompts = path.join(test.info().outputDir, "prompts.txt");
    fs.mkdirSync(path.dirname(prompts), { recursive: true });
    fs.writeFileSync(prompts, "Tell me about rivers.\nWhy do birds sing?\nDescribe a city at night.\n");
    await page.getByLabel("Prompt file").setInputFiles(prompts);
    await page.getByRole("button", { name: "Start run" }).click();

    await expect(page.getByTestId("run-status")).toHaveText(/completed|failed/, { timeout: 240_000 });
    const results = page.getByRole("table", { name: "Results" });
    for (const metric of ["crows_pairs_metric", "bbq_accuracy_disambig", "seat_effect_size", "expected_max_toxicity", "hellaswag_ece_10", "mtld"]) {
      await expect(results.locator(`tr[data-metric="${metric}"]`), metric).toBeVisible();
    }
    // Per-item drill-down: a BBQ item opens to its options and their scores.
    const bbqRow = page.getByTestId("item-row").filter({ hasText: "### Context:" }).first();
    await bbqRow.getByText("Details").click();
    await expect(bbqRow).toContainText(/option|score|answer/i);
    await page.screenshot({ path: "test-results/screens/paper-profile.png", fullPage: true });
    const firstRun = new URL(page.url()).pathname.split("/").pop()!;

    // A second model on the same CrowS-Pairs and SEAT items; the comparison pairs the benchmark-level metrics
    // over the items both runs completed (METRICS.md §5).
    await profileNewModel(page, "Paper-Other", `${server.url}/v1`, "tiny-gemma");
    await page.getByLabel("Choose benchmarks").check();
    for (const box of await group.getByRole("checkbox").all()) await box.uncheck();
    await group.getByLabel("CrowS-Pairs").check();
    await group.getByLabel("SEAT").check();
    await page.getByLabel("Items per benchmark").fill("3");
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page.getByTestId("run-status")).toHaveText(/completed/, { timeout: 120_000 });
    const secondRun = new URL(page.url()).pathname.split("/").pop()!;

    await page.goto(`/compare?runs=${firstRun},${secondRun}`);
    const table = page.getByRole("table", { name: "Comparison" });
    for (const metric of ["crows_pairs_metric", "seat_effect_size"]) {
      const paired = table.locator(`tr[data-metric="${metric}"] [data-col="paired"]`);
      await expect(paired, metric).toContainText(/shared items/, { timeout: 30_000 });
      await expect(paired, metric).toContainText(/p (< 0\.001|[01]\.\d{3})/);
    }
    await expect(table.locator('tr[data-metric="crows_pairs_metric"] [data-col="paired"]')).toContainText("3 shared items");
    await table.screenshot({ path: "test-results/screens/compare-benchmark-level.png" });
  } finally {
    server.stop();
  }
});
