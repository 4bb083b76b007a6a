import { expect, test, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "./support";

// Custom attributes end to end, on a dashboard of its own (own port and embedded database): define a lexicon
// attribute through the form (a refused submit first), edit it into a second version, measure it on two models'
// generations and compare them with paired statistics in the attribute's direction; then a judge attribute against
// the test server's tiny-judge: a profile measured with it, its score distribution and unreadable answers on its
// page, and a re-judge of a sample (with and without JavaScript) whose agreement the page shows; a second model
// profiled with it and the two compared; a best-of-k dataset targeting the judge, re-selected on the lexicon
// attribute without a request;
// finally build a best-of-k dataset targeting the lexicon attribute and re-select on its other version in a
// browser without JavaScript, with no new request.
test.describe.configure({ mode: "serial" });

const port = Number(process.env.E2E_PORT ?? 3199) + 29;
test.use({ baseURL: `http://127.0.0.1:${port}` });
let dashboard: ChildProcess | null = null;

async function waitFor(url: string, what: string) {
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test.beforeAll(async () => {
  // A loaded machine can take more than a minute to start a second production server.
  test.setTimeout(180_000);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-attributes-home-"));
  dashboard = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    env: { ...process.env, PORT: String(port), LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key" },
    stdio: "ignore",
  });
  await waitFor(`http://127.0.0.1:${port}/api/health`, `the attributes dashboard on port ${port}`);
});

test.afterAll(() => {
  dashboard?.kill("SIGTERM");
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-attributes-"));

async function createModel(page: Page, name: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

/** Imports generations measured with the named attributes; returns the run id. */
async function importRun(page: Page, model: string, outputs: string[], attributes: string[]): Promise<string> {
  const file = path.join(dir, `${model}.jsonl`);
  fs.writeFileSync(file, outputs.map((output, i) => JSON.stringify({ id: `p${i}`, prompt: `Prompt ${i}`, output })).join("\n"));
  await page.goto("/runs/import");
  const form = page.getByRole("form", { name: "Import generations" });
  await form.getByLabel("Model that wrote them").selectOption({ label: model });
  await form.getByLabel("Run name").fill(model);
  await form.getByLabel("Generations (JSON Lines)").setInputFiles(file);
  for (const a of attributes) await form.getByRole("group", { name: "Custom attributes" }).getByLabel(a).check();
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  return new URL(page.url()).pathname.split("/").pop()!;
}

test("define a lexicon attribute, version it, measure two models and compare them", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/attributes");
  await expect(page.getByText("No attribute defined yet.")).toBeVisible();
  await page.getByRole("link", { name: "New attribute" }).click();
  const form = page.getByRole("form", { name: "New attribute" });
  await form.getByLabel("Name", { exact: true }).fill("Hedging");
  await form.getByLabel("Unit").fill("per 100 words");
  await form.getByLabel("Better direction").selectOption("lower");
  await form.getByLabel("Kind").selectOption("lexicon");
  // No terms: refused next to the field, what was typed kept.
  await form.getByRole("button", { name: "Create attribute" }).click();
  await expect(page.locator('[data-field-error="terms"]')).toHaveText(/at least one/);
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Hedging");
  await form.getByLabel("Words, phrases or patterns").fill("perhaps\nmight\nI think");
  await form.getByRole("button", { name: "Create attribute" }).click();
  await expect(page.getByRole("heading", { name: "Hedging" })).toBeVisible();
  await expect(page.getByText("attr_hedging")).toBeVisible();
  await expect(page.getByRole("region", { name: "Version 1" })).toContainText("3 words or phrases");

  // Editing adds version 2; version 1 stays as it was.
  await page.getByRole("link", { name: /Edit/ }).click();
  const edit = page.getByRole("form", { name: "New version" });
  await expect(edit.getByLabel("Words, phrases or patterns")).toHaveValue("perhaps\nmight\nI think");
  await edit.getByLabel("Words, phrases or patterns").fill("perhaps\nmight\nI think\nmaybe");
  await edit.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByRole("region", { name: "Version 2" })).toContainText("4 words or phrases");
  await expect(page.getByRole("region", { name: "Version 1" })).toContainText("3 words or phrases");

  // Two models' generations measured with it: A hedges (1 of 4 words, 25 per 100 words), B never (0).
  await createModel(page, "Att-A");
  await createModel(page, "Att-B");
  const hedgy = Array.from({ length: 12 }, (_, i) => `perhaps answer number ${i}`);
  const plain = Array.from({ length: 12 }, (_, i) => `the answer number ${i}`);
  const runA = await importRun(page, "Att-A", hedgy, ["Hedging"]);
  await expect(page.locator('tr[data-metric="attr_hedging"]')).toContainText("25.00");
  const runB = await importRun(page, "Att-B", plain, ["Hedging"]);

  // Compare: B against A, paired over 12 prompts: −25 each, exact sign-flip p = 2/2^12; lower is better → B better.
  await page.goto(`/compare?runs=${runA},${runB}&ref=${runA}`);
  const row = page.getByRole("table", { name: "Comparison" }).locator('tr[data-metric="attr_hedging"]');
  await expect(row).toContainText("Hedging");
  const delta = row.locator('td[data-col="delta"]').first();
  await expect(delta.locator('[data-col="diff"]')).toHaveText(/^[−-]25\.00$/);
  await expect(delta.locator('[data-col="paired"]')).toContainText("p < 0.001", { timeout: 30_000 });
  await expect(delta).toHaveAttribute("data-verdict", "better");

  // The leaderboard's custom-attributes category ranks them in the attribute's direction (lower first).
  await page.goto("/leaderboard?category=attributes");
  const board = page.getByRole("table", { name: "Leaderboard" });
  await expect(board.locator("tbody tr").first()).toContainText("Att-B");
});

async function createServedModel(page: Page, name: string, baseUrl: string, served: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Base URL").fill(baseUrl);
  await page.getByLabel("Served model id").fill(served);
  await page.getByLabel("Concurrency limit").fill("4");
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function createJudge(page: Page, name: string, rubric: string) {
  await page.goto("/attributes/new");
  const form = page.getByRole("form", { name: "New attribute" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Better direction").selectOption("higher");
  await form.getByLabel("Kind").selectOption("judge");
  await form.getByLabel("Judge model").selectOption({ label: "Judge-M" });
  await form.getByLabel("Rubric").fill(rubric);
  await form.getByLabel("Range: lowest").fill("1");
  await form.getByLabel("Range: highest").fill("10");
  // Above 0, tiny-judge wavers by a point between asks: a re-judge disagrees a little.
  await form.getByLabel("Temperature").fill("0.7");
  await form.getByRole("button", { name: "Create attribute" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return page.url();
}

test("a judge attribute: profile with it, see its distribution and unreadable answers, re-judge a sample, compare two models, steer a dataset with it", async ({
  page,
  browser,
}) => {
  test.setTimeout(420_000);
  const server = await startTestServer(["--latency-ms", "5"]);
  try {
    await createServedModel(page, "Judge-M", `${server.url}/v1`, "tiny-judge");
    await createServedModel(page, "Gen-M", `${server.url}/v1`, "tiny-llama");
    const helpful = await createJudge(page, "Helpfulness", "Rate the answer to {prompt}.\n<output>{output}</output>\nReply with a number from 1 to 10.");
    // Without the <output> tags tiny-judge answers with a sentence and no number: every answer unreadable.
    const blind = await createJudge(page, "Blind judge", "Rate {output} please.");

    const prompts = path.join(dir, "judge-prompts.jsonl");
    fs.writeFileSync(
      prompts,
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `j${i}`, prompt: `Describe thing ${i} in a few sentences.` })).join("\n"),
    );
    await page.goto("/models");
    await page.getByRole("link", { name: "Gen-M" }).first().click();
    await page.getByRole("link", { name: "Profile this model" }).click();
    await page.getByLabel("Upload a prompt set").check();
    await page.getByLabel("Prompt file").setInputFiles(prompts);
    await page.getByLabel("Max tokens").fill("48");
    const measure = page.getByRole("group", { name: "Custom attributes" });
    await measure.getByLabel("Helpfulness").check();
    await measure.getByLabel("Blind judge").check();
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 120_000 });
    const runM = new URL(page.url()).pathname.split("/").pop()!;

    // The judge's page: the distribution of its scores (a figure drawn on the server), no unreadable answer.
    await page.goto(helpful);
    const figure = page.locator('[data-figure="attribute-attr_helpfulness-distribution"]');
    await expect(figure.locator("svg")).toBeVisible();
    await expect(figure).toContainText("Distribution of Helpfulness");
    await expect(page.getByTestId("unreadable-share")).toContainText("0 of 20 judged outputs (0.0 %)");

    // Re-judge 12 of the 20 outputs with seed 3.
    const form = page.getByRole("form", { name: "Re-judge" });
    await form.getByLabel("Sample size").fill("12");
    await form.getByLabel("Seed").fill("3");
    await form.getByRole("button", { name: "Re-judge" }).click();
    const result = page.getByTestId("rejudge-result");
    await expect(result).toContainText("12 of 12 outputs judged again (seed 3)", { timeout: 60_000 });
    await expect(page.getByTestId("rejudge-rho")).toHaveText(/^Spearman ρ = -?[01]\.\d{3} · mean \|Δ\| = \d\.\d{3} · n = 12$/);
    const passes = page.getByRole("table", { name: "Re-judge passes" });
    await expect(passes.locator("tbody tr")).toHaveCount(1);
    await expect(passes.locator('td[data-col="n"]')).toHaveText("12");
    // A bad sample size is refused next to its field.
    await form.getByLabel("Sample size").fill("1");
    await form.getByRole("button", { name: "Re-judge" }).click();
    await expect(page.locator('[data-field-error="sampleSize"]')).toHaveText("At least 2.");

    // The same form without JavaScript: a plain post, another seed, a second pass.
    const noJs = await browser.newContext({ javaScriptEnabled: false, baseURL: `http://127.0.0.1:${port}` });
    try {
      const plain = await noJs.newPage();
      await plain.goto(helpful);
      const f = plain.getByRole("form", { name: "Re-judge" });
      await f.getByLabel("Sample size").fill("8");
      await f.getByLabel("Seed").fill("4");
      await f.getByRole("button", { name: "Re-judge" }).click();
      await expect(plain.getByTestId("rejudge-result")).toContainText("8 of 8 outputs judged again (seed 4)", { timeout: 60_000 });
      await expect(plain.getByTestId("rejudge-rho")).toContainText("n = 8");
      await expect(plain.getByRole("table", { name: "Re-judge passes" }).locator("tbody tr")).toHaveCount(2);
    } finally {
      await noJs.close();
    }

    // The blind judge: every answer unreadable, shown as text (the raw answer's "<output>" is not an element).
    await page.goto(blind);
    await expect(page.getByTestId("unreadable-share")).toContainText("20 of 20 judged outputs (100.0 %)");
    const raw = page.getByTestId("unreadable-raw").first();
    await expect(raw).toHaveText("Please show me the answer to rate between <output> tags.");
    await expect(raw.locator("output")).toHaveCount(0);
    await expect(page.getByText("No output has a readable score yet.")).toBeVisible();

    // A second model profiled with the judge on the same prompts, and the two compared with paired statistics.
    await createServedModel(page, "Gen-G", `${server.url}/v1`, "tiny-gemma");
    await page.goto("/models");
    await page.getByRole("link", { name: "Gen-G" }).first().click();
    await page.getByRole("link", { name: "Profile this model" }).click();
    await page.getByLabel("Upload a prompt set").check();
    await page.getByLabel("Prompt file").setInputFiles(prompts);
    await page.getByLabel("Max tokens").fill("48");
    await page.getByRole("group", { name: "Custom attributes" }).getByLabel("Helpfulness").check();
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 120_000 });
    const runG = new URL(page.url()).pathname.split("/").pop()!;
    await page.goto(`/compare?runs=${runM},${runG}&ref=${runM}`);
    const judged = page.getByRole("table", { name: "Comparison" }).locator('tr[data-metric="attr_helpfulness"]');
    await expect(judged).toContainText("Helpfulness");
    const judgedDelta = judged.locator('td[data-col="delta"]').first();
    await expect(judgedDelta.locator('[data-col="diff"]')).toHaveText(/^[+−-]?\d+(\.\d+)?$/);
    // Its paired interval and p-value over the 20 prompts both runs answered.
    await expect(judgedDelta.locator('[data-col="paired"]')).toContainText(/^\[[−-]?\d+\.\d+, [+−-]?\d+\.\d+\] · p (< )?[01]\.\d{3}.* · 20 pairs$/, {
      timeout: 30_000,
    });
    await expect(judgedDelta).toHaveAttribute("data-verdict", /^(better|worse|tie|not_significant)$/);

    // A best-of-k dataset targeting the judge: every candidate judged once; then a re-selection on the lexicon
    // attribute asks nothing of the teachers nor of the judge.
    const seeds = path.join(dir, "judge-steer.jsonl");
    fs.writeFileSync(seeds, Array.from({ length: 4 }, (_, i) => JSON.stringify({ prompt: `Explain idea ${i} to a child.` })).join("\n"));
    const judgeBefore = ((await (await fetch(`${server.url}/__control/stats`)).json()) as { byModel: Record<string, number> }).byModel["tiny-judge"] ?? 0;
    await page.goto("/datasets/new");
    await page.getByLabel("Prompt file").setInputFiles(seeds);
    await page.getByLabel("Gen-M — tiny-llama").check();
    await page.getByLabel("Gen-G — tiny-gemma").check();
    await page.getByLabel("k (candidates per prompt per teacher)").fill("2");
    await page.getByLabel("Max tokens").fill("40");
    await page.getByLabel("Target metric").selectOption("attr_helpfulness@1");
    await expect(page.getByLabel("Direction", { exact: true })).toHaveValue("max");
    await page.getByRole("button", { name: "Build dataset" }).click();
    await expect(page.getByTestId("dataset-status")).toHaveText("completed", { timeout: 120_000 });
    await expect(page.getByTestId("selection-attribute")).toContainText("Helpfulness version 1");
    await expect(page.getByTestId("selection-attribute")).toContainText("scored by judge Judge-M (tiny-judge)");
    const afterBuild = (await (await fetch(`${server.url}/__control/stats`)).json()) as { total: number; byModel: Record<string, number> };
    expect((afterBuild.byModel["tiny-judge"] ?? 0) - judgeBefore).toBe(4 * 2 * 2);
    const reselect = page.getByRole("form", { name: "Re-select" });
    await reselect.getByLabel("Target", { exact: true }).selectOption("attr_hedging@2");
    await reselect.getByLabel("Direction", { exact: true }).selectOption("min");
    await reselect.getByRole("button", { name: "Re-select" }).click();
    await expect(page.getByTestId("selection-label")).toContainText("minimise Hedging v2");
    await expect(page.getByRole("list", { name: "Selections" })).toContainText("maximise Helpfulness v1");
    const afterReselect = (await (await fetch(`${server.url}/__control/stats`)).json()) as { total: number };
    expect(afterReselect.total).toBe(afterBuild.total);
  } finally {
    server.stop();
  }
});

test("a best-of-k dataset targeting the lexicon attribute, re-selected without JavaScript and without a request", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const server = await startTestServer(["--latency-ms", "5"]);
  try {
    for (const [name, served] of [
      ["Steer-Llama", "tiny-llama"],
      ["Steer-Gemma", "tiny-gemma"],
    ]) {
      await page.goto("/models/new");
      await page.getByLabel("Name", { exact: true }).fill(name);
      await page.getByLabel("Base URL").fill(`${server.url}/v1`);
      await page.getByLabel("Served model id").fill(served);
      await page.getByRole("button", { name: "Create model" }).click();
      await expect(page.getByRole("heading", { name })).toBeVisible();
    }
    const prompts = path.join(dir, "steer.jsonl");
    fs.writeFileSync(prompts, Array.from({ length: 6 }, (_, i) => JSON.stringify({ prompt: `Say something careful about topic ${i}.` })).join("\n"));
    await page.goto("/datasets/new");
    await page.getByLabel("Prompt file").setInputFiles(prompts);
    await page.getByLabel("Steer-Llama — tiny-llama").check();
    await page.getByLabel("Steer-Gemma — tiny-gemma").check();
    await page.getByLabel("k (candidates per prompt per teacher)").fill("3");
    await page.getByLabel("Max tokens").fill("40");
    await page.getByLabel("Target metric").selectOption("attr_hedging@2");
    // Hedging's better direction is lower: the form starts on minimise.
    await expect(page.getByLabel("Direction", { exact: true })).toHaveValue("min");
    await page.getByRole("button", { name: "Build dataset" }).click();
    await expect(page.getByTestId("dataset-status")).toHaveText("completed", { timeout: 90_000 });
    await expect(page.getByTestId("selection-label")).toContainText("minimise Hedging v2");
    await expect(page.getByTestId("selection-attribute")).toContainText("Hedging version 2");
    await expect(page.getByTestId("selection-attribute")).toContainText("lexicon: 4 words or phrases (perhaps, might, I think, maybe)");
    const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Dataset card (Markdown)" }).click()]);
    expect(fs.readFileSync((await dl.path())!, "utf8")).toMatch(
      /- Attribute: Hedging, version 2 \(attr_hedging, version id [^)]+\); scored by lexicon: 4 words/,
    );
    const datasetUrl = page.url();

    // Re-select on version 1, closest to 10, in a browser without JavaScript: a form post, no request to the teachers.
    const before = (await (await fetch(`${server.url}/__control/stats`)).json()) as { total: number };
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL: `http://127.0.0.1:${port}` });
    try {
      const plain = await context.newPage();
      await plain.goto(datasetUrl);
      const reselect = plain.getByRole("form", { name: "Re-select" });
      await reselect.getByLabel("Target", { exact: true }).selectOption("attr_hedging@1");
      await reselect.getByLabel("Direction", { exact: true }).selectOption("closest");
      // closest without a value (version 1 has no target value): refused next to the field.
      await reselect.getByLabel("Value to be closest to").fill("");
      await reselect.getByRole("button", { name: "Re-select" }).click();
      await expect(plain.locator('[data-field-error="reselect-targetValue"]')).toHaveText("Give the value to be closest to.");
      const again = plain.getByRole("form", { name: "Re-select" });
      await again.getByLabel("Target", { exact: true }).selectOption("attr_hedging@1");
      await again.getByLabel("Direction", { exact: true }).selectOption("closest");
      await again.getByLabel("Value to be closest to").fill("10");
      await again.getByRole("button", { name: "Re-select" }).click();
      await expect(plain.getByTestId("selection-label")).toContainText("best of k · closest to 10 Hedging v1 · 6 of 6 prompts selected");
      await expect(plain.getByTestId("selection-attribute")).toContainText("Hedging version 1");
      await expect(plain.getByRole("list", { name: "Selections" })).toContainText("minimise Hedging v2");
    } finally {
      await context.close();
    }
    const after = (await (await fetch(`${server.url}/__control/stats`)).json()) as { total: number };
    expect(after.total).toBe(before.total);
  } finally {
    server.stop();
  }
});
