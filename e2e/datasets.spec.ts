import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "./support";

test.describe.configure({ mode: "serial" });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-datasets-"));
const promptsFile = path.join(dir, "alpaca-style.json");
// An Alpaca-style JSON array: instruction + optional input.
fs.writeFileSync(
  promptsFile,
  JSON.stringify(
    Array.from({ length: 16 }, (_, i) => ({
      instruction: `Explain idea number ${i} to a curious reader.`,
      input: i === 0 ? "<b>not HTML</b>" : "",
      output: "",
    })),
  ),
);

const MODELS: [name: string, served: string][] = [
  ["DS-Llama", "tiny-llama"],
  ["DS-Gemma", "tiny-gemma"],
  ["DS-Student", "tiny-terse"],
  ["DS-Base", "tiny-llama"],
];

async function addModel(page: Page, baseUrl: string, name: string, served: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Base URL").fill(baseUrl);
  await page.getByLabel("Served model id").fill(served);
  await page.getByLabel("Concurrency limit").fill("4");
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function download(page: Page, link: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  return fs.readFileSync((await dl.path())!, "utf8");
}

const jsonl = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

test("a multi-source MTLD dataset in the browser: shift vs random, exports, re-select, student lineage", async ({ page }) => {
  test.setTimeout(180_000);
  const server = await startTestServer(["--latency-ms", "40"]);
  try {
    for (const [name, served] of MODELS) await addModel(page, `${server.url}/v1`, name, served);

    await page.goto("/datasets");
    await page.getByRole("link", { name: "New dataset" }).first().click();
    await expect(page.getByRole("heading", { name: "Build a synthetic dataset" })).toBeVisible();
    // Toxicity is offered only with a scorer.
    await expect(page.locator('option[value="expected_max_toxicity"]')).toBeDisabled();
    await page.getByLabel("Prompt file").setInputFiles(promptsFile);
    // Nothing chosen: a field-level error, nothing built.
    await page.getByRole("button", { name: "Build dataset" }).click();
    await expect(page.locator('[data-field-error="teacherIds"]')).toHaveText(/Choose at least one teacher/);
    await page.getByLabel("Prompt file").setInputFiles(promptsFile);
    await page.getByLabel("DS-Llama — tiny-llama").check();
    await page.getByLabel("DS-Gemma — tiny-gemma").check();
    await page.getByLabel("k (candidates per prompt per teacher)").fill("4");
    await page.getByLabel("Max tokens").fill("60");
    await page.getByLabel("Seed", { exact: true }).fill("7");
    await expect(page.getByLabel("Target metric")).toHaveValue("mtld");
    await page.getByLabel("Direction", { exact: true }).selectOption("max");
    await page.getByRole("button", { name: "Build dataset" }).click();

    await expect(page.getByTestId("dataset-progress")).toHaveText(/\/ 128 done/);
    await expect(page.getByTestId("dataset-status")).toHaveText("completed", { timeout: 90_000 });
    await expect(page.getByTestId("dataset-progress")).toHaveText("128 / 128 done");

    // The shift against the random pick (passive baseline).
    const effect = page.getByRole("table", { name: "Selection effect" });
    await expect(effect).toBeVisible();
    const mean = async (set: string) => Number((await effect.locator(`tr[data-set="${set}"] td`).nth(2).innerText()).replace(/[^\d.-]/g, ""));
    expect(await mean("selected")).toBeGreaterThan(await mean("random"));
    await expect(effect.locator('tr[data-set="selected"] td').nth(1)).toHaveText("16");
    await expect(effect.locator('tr[data-set="all"] td').nth(1)).toHaveText("128");
    await expect(page.getByTestId("change-vs-random").first()).toHaveText(/^\+\d/);
    await expect(page.getByRole("img", { name: /Distribution of/ })).toBeVisible();
    const share = page.getByRole("table", { name: "Teacher share" });
    await expect(share.locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("win").first()).toBeVisible();
    await page.screenshot({ path: "test-results/screens/dataset-completed.png", fullPage: true });

    // Exports: the three formats, all candidates and the card.
    const chat = jsonl(await download(page, "OpenAI chat (messages)"));
    expect(chat).toHaveLength(16);
    expect(chat[0].messages[0]).toEqual({ role: "user", content: "Explain idea number 0 to a curious reader.\n\n<b>not HTML</b>" });
    expect(chat[0].messages[1].role).toBe("assistant");
    const alpaca = jsonl(await download(page, "Alpaca (instruction, input, output)"));
    expect(alpaca[0]).toEqual({ instruction: "Explain idea number 0 to a curious reader.", input: "<b>not HTML</b>", output: chat[0].messages[1].content });
    const pc = jsonl(await download(page, "prompt / completion (toolkit)"));
    expect(pc[1]).toEqual({ prompt: "Explain idea number 1 to a curious reader.", completion: chat[1].messages[1].content });
    const candidates = jsonl(await download(page, "All candidates with scores"));
    expect(candidates).toHaveLength(128);
    expect(candidates.filter((c) => c.selected)).toHaveLength(16);
    const card = await download(page, "Dataset card (Markdown)");
    for (const s of [
      "alpaca-style.json",
      "DS-Gemma (tiny-gemma), DS-Llama (tiny-llama)",
      "multi-source",
      "k (candidates per prompt per teacher): 4",
      "maximise mtld",
      "Seed: 7",
      "Code version:",
    ])
      expect(card).toContain(s);

    // Re-select on a neutral metric: the chosen direction is the confirmation; without one it is asked for.
    const reselect = page.getByRole("form", { name: "Re-select" });
    await reselect.getByLabel("Target").selectOption("length_words");
    await expect(reselect.getByLabel("Direction", { exact: true })).toHaveValue("");
    await reselect.getByRole("button", { name: "Re-select" }).click();
    await expect(page.locator('[data-field-error="reselect-direction"]')).toHaveText(/no better direction/);
    await reselect.getByLabel("Target").selectOption("length_words");
    await reselect.getByLabel("Direction", { exact: true }).selectOption("min");
    await reselect.getByRole("button", { name: "Re-select" }).click();
    await expect(page.getByTestId("selection-label")).toHaveText(/minimise Length \(words\)/);
    await expect(page.getByTestId("change-vs-random").first()).toHaveText(/^−\d/);
    // The exports follow the re-selection: the card and the selected set are the new selection's.
    const reselectedCard = await download(page, "Dataset card (Markdown)");
    expect(reselectedCard).toContain("best of k, minimise length_words");
    expect(reselectedCard).toContain("## Effect of the selection on length_words");
    expect(reselectedCard).not.toContain("maximise mtld");
    const reselected = jsonl(await download(page, "Alpaca (instruction, input, output)"));
    expect(reselected).toHaveLength(16);
    expect(reselected.map((r) => r.output)).not.toEqual(alpaca.map((r) => r.output));
    await page.getByRole("link", { name: /maximise Measure of textual lexical diversity/ }).click();
    await expect(page.getByTestId("selection-label")).toHaveText(/maximise Measure of textual lexical diversity/);

    // Register the student and find the lineage on its model page.
    const register = page.getByRole("form", { name: "Register a student" });
    await register.getByLabel("Student model").selectOption({ label: "DS-Student" });
    await register.getByLabel("Base model").selectOption({ label: "DS-Base" });
    await register.getByRole("button", { name: "Register student" }).click();
    await expect(page.getByRole("heading", { name: "DS-Student" })).toBeVisible();
    const derivation = page.getByTestId("derivation").first();
    await expect(derivation).toContainText("active: maximise MTLD, best of k = 4, multi-source");
    await expect(derivation.getByRole("link", { name: "DS-Gemma", exact: true })).toBeVisible();
    await expect(derivation.getByRole("link", { name: "DS-Base", exact: true })).toBeVisible();
    await expect(derivation.getByRole("link", { name: /max mtld/ })).toBeVisible();
    await page.screenshot({ path: "test-results/screens/dataset-student-lineage.png", fullPage: true });
  } finally {
    server.stop();
  }
});

// Other browser tests expect an empty dashboard: remove what this file created (through the UI, as a user would).
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  page.on("dialog", (d) => void d.accept());
  await page.goto("/datasets");
  for (;;) {
    const link = page.getByRole("table", { name: "Datasets" }).getByRole("link").first();
    if ((await link.count()) === 0) break;
    await link.click();
    await page.getByRole("button", { name: "Delete dataset" }).click();
    await page.waitForURL(/\/datasets$/);
  }
  for (const [name] of MODELS) {
    await page.goto("/models");
    const link = page.getByRole("link", { name, exact: true });
    if ((await link.count()) === 0) continue;
    await link.first().click();
    await page.getByRole("button", { name: "Delete model" }).click();
    await page.waitForURL(/\/models$/);
  }
  await page.close();
});
