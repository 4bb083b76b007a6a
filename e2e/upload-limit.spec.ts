// An upload over the dashboard's limit is refused next to its field, saying the limit and the command line as the
// way for big files (it showed "Something went wrong. Minified React error #441" and only the log said why).
import { expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

test("a 60 MB generations file is refused with the limit and the CLI named; the form says the limit beforehand", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-upload-"));
  const big = path.join(dir, "big.jsonl");
  const line = `${JSON.stringify({ prompt: "p", output: "x".repeat(1000) })}\n`;
  fs.writeFileSync(big, line.repeat(Math.ceil((60 * 1024 * 1024) / line.length)));
  page.on("dialog", (d) => void d.accept());
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill("Upload-Limit-Model");
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name: "Upload-Limit-Model" })).toBeVisible();
  try {
    await page.goto("/runs/import");
    const form = page.locator('form[aria-label="Import generations"]');
    await expect(form).toContainText("Up to 50 MB; bigger files: the command line");
    await form.getByLabel("Model that wrote them").selectOption({ label: "Upload-Limit-Model" });
    await form.getByLabel(/Generations/).setInputFiles(big);
    await form.getByRole("button", { name: "Import" }).click();
    await expect(page.locator('[data-field-error="file"]')).toHaveText(/larger than 50 MB.*lineage import generations/, { timeout: 60_000 });
    await expect(page.getByText(/Minified React error|Something went wrong/)).toHaveCount(0);
  } finally {
    await page.goto("/models");
    await page.getByRole("link", { name: "Upload-Limit-Model", exact: true }).click();
    await page.getByRole("button", { name: "Delete model" }).click();
    await page.waitForURL(/\/models$/);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
