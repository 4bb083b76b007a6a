import { expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "./support";

test.describe.configure({ mode: "serial" });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-files-"));
const promptsFile = path.join(dir, "prompts.jsonl");
fs.writeFileSync(
  promptsFile,
  Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `Describe item ${i} of the collection in detail.` })).join("\n"),
);

test("a textual run in the browser: live progress to completion, results and items", async ({ page }) => {
  const server = await startTestServer(["--latency-ms", "150"]);
  try {
    await page.goto("/models/new");
    await page.getByLabel("Name", { exact: true }).fill("Verbose-Teacher");
    await page.getByLabel("Base URL").fill(`${server.url}/v1`);
    await page.getByLabel("Served model id").fill("tiny-verbose");
    await page.getByLabel("Concurrency limit").fill("2");
    await page.getByRole("button", { name: "Create model" }).click();
    await page.getByRole("link", { name: "Profile this model" }).click();
    await page.getByLabel("Upload a prompt set").check();
    await page.getByLabel("Prompt file").setInputFiles(promptsFile);
    await page.getByLabel("Max tokens").fill("40");
    await page.getByRole("button", { name: "Start run" }).click();

    // The progress bar moves without a reload.
    const progress = page.getByTestId("progress-textual");
    await expect(progress).toHaveText(/\/ 30 done/);
    await expect(progress).not.toHaveText(/^0 \/ 30/, { timeout: 20_000 });
    await expect(page.getByTestId("run-status")).toHaveText("running");
    await page.screenshot({ path: "test-results/screens/run-progress.png", fullPage: true });
    await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
    await expect(progress).toHaveText(/30 \/ 30 done/);

    const results = page.getByRole("table", { name: "Results" });
    await expect(results.locator('tr[data-metric="mtld"]')).toBeVisible();
    await expect(results.locator('tr[data-metric="length_words"] td').nth(3)).toHaveText("30");
    await expect(page.getByTestId("item-row")).toHaveCount(25);
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page.getByTestId("item-row")).toHaveCount(5);
    await page.screenshot({ path: "test-results/screens/run-completed.png", fullPage: true });
  } finally {
    server.stop();
  }
});

test("imported generations: a malformed file names its line and imports nothing; output is shown as text", async ({ page }) => {
  const bad = path.join(dir, "bad.jsonl");
  fs.writeFileSync(bad, '{"prompt": "a", "output": "b"}\n{"prompt": "c"}\n');
  const good = path.join(dir, "generations.jsonl");
  const xss = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';
  fs.writeFileSync(
    good,
    [
      { prompt: "Say hi", output: xss },
      { prompt: "Explain rain", output: "Rain forms when water vapour condenses into droplets. They fall when heavy enough." },
      { prompt: '=HYPERLINK("http://evil")', output: "A formula-looking prompt stays text." },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n"),
  );
  await page.goto("/runs/import");
  await page.getByLabel("Generations (JSON Lines)").setInputFiles(bad);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.locator('[data-field-error="file"]')).toHaveText(/bad\.jsonl line 2: expected "output" to be a string/);
  await page.goto("/runs");
  await expect(page.getByRole("link", { name: /imported bad/ })).toHaveCount(0);

  await page.goto("/runs/import");
  await page.getByLabel("Generations (JSON Lines)").setInputFiles(good);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  await expect(page.getByTestId("item-output").filter({ hasText: "<script>" })).toHaveText(xss);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator("img[src=x]")).toHaveCount(0);
});
