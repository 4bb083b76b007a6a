// Browsing a team's models: the leaderboard (sorting, best marked, exports) and the family tree (nodes, the base
// edge labelled with the student's change, the SVG download), from generations imported for a base and a student.
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

test.describe.configure({ mode: "serial" });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-browse-"));
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 7}`).join(" ");
const shortFile = path.join(dir, "short.jsonl");
const longFile = path.join(dir, "long.jsonl");
fs.writeFileSync(
  shortFile,
  Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `Question ${i}?`, output: `${words(10 + (i % 3))}.` })).join("\n"),
);
fs.writeFileSync(
  longFile,
  Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `Question ${i}?`, output: `${words(30 + (i % 5))}.` })).join("\n"),
);

async function createModel(page: Page, name: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function importRun(page: Page, model: string, file: string) {
  await page.goto("/runs/import");
  const form = page.locator('form[aria-label="Import generations"]');
  await form.getByLabel("Model that wrote them").selectOption({ label: model });
  await form.getByLabel(/Generations/).setInputFiles(file);
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
}

test("leaderboard and family tree of a base and its student", async ({ page }) => {
  await createModel(page, "Browse-Base");
  await createModel(page, "Browse-Student");
  await importRun(page, "Browse-Base", shortFile);
  await importRun(page, "Browse-Student", longFile);

  await page.goto("/lineage/new");
  await page.getByLabel("Student", { exact: true }).selectOption({ label: "Browse-Student" });
  await page.getByLabel("Base model").selectOption({ label: "Browse-Base" });
  // Self-distillation: the base is also the teacher.
  await page.getByRole("group", { name: "Teacher(s)" }).getByLabel("Browse-Base").check();
  await page.getByRole("button", { name: "Record derivation" }).click();
  await expect(page.getByRole("heading", { name: "Browse-Student" })).toBeVisible();

  // Leaderboard: sorted by words, best first (length has no better direction: ordered, nothing marked).
  await page.goto("/leaderboard?category=textual&sort=length_words");
  const board = page.getByRole("table", { name: "Leaderboard" });
  const rows = board.locator("tbody tr");
  await expect(rows.first()).toContainText("Browse-Student");
  await expect(board.locator('td[data-best="true"]').first()).toBeVisible(); // MTLD or TTR mark a best
  await board.getByRole("link", { name: "Words ▼" }).click();
  await expect(page).toHaveURL(/dir=worst/);
  await expect(page.getByRole("table", { name: "Leaderboard" }).locator("tbody tr").first()).toContainText("Browse-Base");
  const csv = await page.request.get("/api/leaderboard/export?category=textual&format=csv");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toMatch(/^model,/);
  const tex = await page.request.get("/api/leaderboard/export?category=textual&format=latex");
  expect(await tex.text()).toContain("\\toprule");
  await page.screenshot({ path: "test-results/screens/leaderboard.png", fullPage: true });

  // Family tree: both models, the base edge labelled with the student's change in words.
  await page.goto("/lineage?metric=length_words");
  const tree = page.getByTestId("family-tree");
  await expect(tree.getByTestId("tree-node")).toHaveCount(2);
  // The base is also the teacher: one edge says both, nothing drawn twice.
  await expect(tree.getByTestId("edge-base").locator("text")).toHaveText(/^\+\d+(\.\d)? % · teacher too · passive$/);
  await expect(tree.getByTestId("edge-teacher")).toHaveCount(0);
  await tree.getByTestId("edge-base").click();
  await expect(page).toHaveURL(/\/compare\?(lineage|runs)=/);
  const svg = await page.request.get("/api/lineage/figure?format=svg&metric=length_words");
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect(await svg.text()).toContain("Browse-Student");
  const pdf = await page.request.get("/api/lineage/figure?format=pdf&metric=length_words");
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await page.goto("/lineage?metric=length_words");
  await page.screenshot({ path: "test-results/screens/family-tree.png", fullPage: true });
});

// Other browser tests expect an empty dashboard: remove what this file created (through the UI, as a user would).
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  page.on("dialog", (d) => void d.accept());
  for (const name of ["Browse-Student", "Browse-Base"]) {
    await page.goto("/models");
    const link = page.getByRole("link", { name, exact: true });
    if ((await link.count()) === 0) continue;
    await link.first().click();
    await page.getByRole("button", { name: "Delete model" }).click();
    await page.waitForURL(/\/models$/);
  }
  await page.close();
});
