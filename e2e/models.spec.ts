import { expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "./support";

const SECRET = "sk-test-0123456789abcdefQRST";

test.describe.configure({ mode: "serial" });

test("health reports the embedded database with its migrations applied", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.database.mode).toBe("embedded");
  expect(body.migrations.state).toBe("up-to-date");
  expect(body.migrations.pending).toEqual([]);
});

test("an empty dashboard says what to do next, and offers the study's presets", async ({ page }) => {
  await page.goto("/models");
  await expect(page.getByRole("heading", { name: "No models yet" })).toBeVisible();
  for (const name of ["LLaMa2-7B", "LLaMa2-13B", "Mixtral-8x7B", "Gemma-7B", "Aya-23-8B", "Command-R+"]) {
    await expect(page.getByRole("link", { name: `Add ${name}` })).toBeVisible();
  }
  await page.goto("/runs");
  await expect(page.getByRole("heading", { name: "No runs yet" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/empty-runs.png" });
});

test("an invalid base URL gets a clear error next to the field, and nothing is saved", async ({ page }) => {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill("Broken");
  await page.getByLabel("Base URL").fill("localhost:8000/v1");
  await page.getByLabel("Served model id").fill("x");
  await page.getByRole("button", { name: "Create model" }).click();
  const error = page.locator('[data-field-error="baseUrl"]');
  await expect(error).toHaveText(/Enter an http:\/\/ or https:\/\/ URL/);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Broken");
  await expect(page.getByLabel("Base URL")).toHaveAttribute("aria-invalid", "true");
  await page.goto("/models");
  await expect(page.getByRole("heading", { name: "No models yet" })).toBeVisible();
});

test("create a model with a stored key, see it listed without the secret, edit it", async ({ page }) => {
  const server = await startTestServer();
  try {
    await page.goto("/models/new");
    await page.getByLabel("Name", { exact: true }).fill("Tiny-Teacher");
    await page.getByLabel("Family").fill("Tiny");
    await page.getByLabel("Size").fill("1M");
    await page.getByLabel("Base URL").fill(`${server.url}/v1`);
    await page.getByLabel("Served model id").fill("tiny-llama");
    await page.getByLabel("Stored encrypted").check();
    await page.getByRole("textbox", { name: "API key" }).fill(SECRET);
    await page.getByRole("button", { name: "Create model" }).click();
    await expect(page.getByRole("heading", { name: "Tiny-Teacher" })).toBeVisible();
    await expect(page.getByTestId("credential")).toHaveText(/ending in …QRST/);
    expect(await page.content()).not.toContain("0123456789abcdef");

    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("connection-report")).toHaveText(/Connected: .* serves tiny-llama/);

    await page.goto("/models");
    const row = page.getByRole("row", { name: /Tiny-Teacher/ });
    await expect(row).toContainText("stored …QRST");
    const html = await (await page.request.get("/models")).text();
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain("0123456789abcdef");

    await row.getByRole("link", { name: "Tiny-Teacher" }).click();
    await page.getByRole("link", { name: "Edit" }).click();
    await expect(page.getByRole("textbox", { name: "API key" })).toHaveValue("");
    await page.getByLabel("Family").fill("Tiny family");
    await page.getByLabel("Served model id").fill("not-served");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("heading", { name: "Tiny-Teacher" })).toBeVisible();
    await expect(page.getByText("Tiny family")).toBeVisible();
    await expect(page.getByTestId("credential")).toHaveText(/ending in …QRST/);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("connection-report")).toHaveText(/does not serve "not-served"/);
  } finally {
    server.stop();
  }
});

test("a duplicate name is refused next to the field", async ({ page }) => {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill("Tiny-Teacher");
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.locator('[data-field-error="name"]')).toHaveText('A model named "Tiny-Teacher" already exists.');
});

test("the models list shows each model's latest results with their CI", async ({ page }) => {
  // Two outputs of 2 and 4 words: mean 3; the bootstrap means are 2, 3 or 4, so the 95 % CI is [2, 4] (± 1).
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-models-")), "gens.jsonl");
  fs.writeFileSync(
    file,
    [JSON.stringify({ id: "a", prompt: "A?", output: "one two" }), JSON.stringify({ id: "b", prompt: "B?", output: "one two three four" })].join("\n"),
  );
  await page.goto("/runs/import");
  const form = page.getByRole("form", { name: "Import generations" });
  await form.getByLabel("Model that wrote them").selectOption({ label: "Tiny-Teacher" });
  await form.getByLabel("Generations (JSON Lines)").setInputFiles(file);
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  const run = new URL(page.url()).pathname;

  await page.goto("/models");
  const table = page.getByRole("table", { name: "Registered models" });
  await expect(table.locator('th[data-metric="length_words"]')).toHaveText("Words");
  const words = table.getByRole("row", { name: /Tiny-Teacher/ }).locator('td[data-metric="length_words"]');
  await expect(words).toHaveText("3.00 ± 1.00");
  await expect(words).toHaveAttribute("title", /^n = 2 · \d{4}-\d{2}-\d{2}$/);
  await expect(words.getByRole("link")).toHaveAttribute("href", run);
  await expect(table.getByRole("row", { name: /Tiny-Teacher/ }).locator('td[data-metric="mtld"]')).not.toHaveText("—");
});

test("a preset needs an endpoint; a derivation shows on the student's and the parents' pages", async ({ page }) => {
  await page.goto("/models");
  await page.getByRole("link", { name: "Add LLaMa2-7B" }).click();
  await expect(page.getByLabel("Served model id")).toHaveValue("meta-llama/Llama-2-7b-hf");
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name: "LLaMa2-7B" })).toBeVisible();
  await expect(page.getByText("not set: add one before running")).toBeVisible();

  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill("Student-Active-MTLD");
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name: "Student-Active-MTLD" })).toBeVisible();

  await page.getByRole("link", { name: "Record how it was made" }).click();
  await page.getByLabel("Base model").selectOption({ label: "LLaMa2-7B" });
  await page.getByRole("group", { name: "Teacher(s)" }).getByLabel("Tiny-Teacher").check();
  await page.getByLabel(/Active inheritance/).check();
  await page.getByRole("button", { name: "Record derivation" }).click();
  await expect(page.locator('[data-field-error="targetMetric"]')).toBeVisible();
  await page.getByLabel(/Active inheritance/).check();
  await page.getByLabel("Target metric", { exact: true }).selectOption("mtld");
  await page.getByLabel("Direction", { exact: true }).selectOption("max");
  await page.getByLabel(/^k/).fill("4");
  await page.getByRole("button", { name: "Record derivation" }).click();

  await expect(page.getByRole("heading", { name: "Student-Active-MTLD" })).toBeVisible();
  const derivation = page.getByTestId("derivation");
  await expect(derivation).toContainText("LLaMa2-7B");
  await expect(derivation).toContainText("Tiny-Teacher");
  await expect(derivation).toContainText(/maximise MTLD.*k = 4/);
  await page.screenshot({ path: "test-results/screens/model-lineage.png", fullPage: true });

  await derivation.getByRole("link", { name: "Tiny-Teacher" }).click();
  await expect(page.getByRole("heading", { name: "Tiny-Teacher" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Lineage" }).getByTestId("derivation")).toContainText("Student-Active-MTLD");
  await page.getByRole("link", { name: "LLaMa2-7B" }).first().click();
  await expect(page.getByRole("heading", { name: "LLaMa2-7B" })).toBeVisible();
  await expect(page.getByTestId("derivation")).toContainText("Student-Active-MTLD");
});
