// Browsing a team's models: the leaderboard (sorting, best marked, exports) and the family tree (nodes, the base
// edge labelled with the student's change, the SVG download), from generations imported for a base and a student.
import { expect, test, type Locator, type Page } from "@playwright/test";
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

const toolkitDir = path.resolve(import.meta.dirname, "../tests/fixtures/toolkit-results/llama2-7b-passive");
const toolkitFiles = fs.readdirSync(toolkitDir).map((f) => path.join(toolkitDir, f));
// A right-to-left override (U+202E) left open in a name: without isolation it reverses the text after it.
const RLO = "\u202E";
const RTL_MODEL = `Browse-RTL${RLO}evil`;
const RTL_RUN = `tk${RLO}reversed`;

/** Whether `text` inside the element is laid out left to right: its first character left of its last. */
async function readsLeftToRight(loc: Locator, text: string): Promise<boolean> {
  return loc.evaluate((el, t) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent?.indexOf(t) ?? -1;
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      const first = r.getBoundingClientRect().left;
      r.setStart(n, i + t.length - 1);
      r.setEnd(n, i + t.length);
      return first < r.getBoundingClientRect().left;
    }
    throw new Error(`"${t}" is not in the element`);
  }, text);
}

async function importToolkit(page: Page, model: string, name: string): Promise<string> {
  await page.goto("/runs/import");
  const tk = page.locator('form[aria-label="Import toolkit results"]');
  await tk.getByLabel("Model that was profiled").selectOption({ label: model });
  await tk.getByLabel("Run name").fill(name);
  await tk.getByLabel("Result files").setInputFiles(toolkitFiles);
  await tk.getByRole("button", { name: "Add toolkit results" }).click();
  await expect(page.getByTestId("run-status")).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop()!;
}

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

test("a 1920 px screen: wide tables use its width, samples open on a benchmark with values, a right-to-left override stays in its name", async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await createModel(page, "Browse-Toolkit");
  await createModel(page, RTL_MODEL);
  const plain = await importToolkit(page, "Browse-Toolkit", "tk plain");
  const rtl = await importToolkit(page, RTL_MODEL, RTL_RUN);

  // The runs list: the override ends with the run's name, so " · imported" after it still reads left to right.
  await page.goto("/runs?q=tk");
  const rtlRow = page.getByTestId("run-row").filter({ has: page.locator(`a[href="/runs/${rtl}"]`) });
  await expect(rtlRow.locator("bdi").first()).toHaveText(RTL_RUN);
  expect(await readsLeftToRight(rtlRow.locator("td").first(), "imported")).toBe(true);

  // The comparison with the right-to-left run as reference: the sentence after its name is not reversed.
  await page.goto(`/compare?runs=${rtl},${plain}&ref=${rtl}`);
  const compared = page.getByRole("region", { name: "Compared runs" });
  expect(await readsLeftToRight(compared.locator("p").first(), "Every difference")).toBe(true);
  await expect(page.getByRole("table", { name: "Comparison" }).locator("thead bdi").first()).toContainText(RLO);

  // Wide tables take the screen (1920 − 2 × 24 px) and fit in it; text stays in the 1200 px column.
  const scroller = page.locator(".table-scroll").filter({ has: page.getByRole("table", { name: "Comparison" }) });
  const box = await scroller.evaluate((el) => ({ width: el.clientWidth, scroll: el.scrollWidth, left: el.getBoundingClientRect().left }));
  expect(box.width).toBe(1872);
  expect(box.left).toBe(24);
  expect(box.scroll).toBeLessThanOrEqual(box.width);
  expect(await page.locator("main").evaluate((el) => el.getBoundingClientRect().width)).toBe(1200);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);
  // Long problems and URLs wrap inside their card.
  const panel = await compared.evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
  expect(panel.scroll).toBeLessThanOrEqual(panel.client);

  // Side-by-side samples: the toolkit's toxicity items (first in item order) have no word counts, so the view opens
  // on the textual benchmark, whose first row has a value.
  const sort = page.getByRole("form", { name: "Sort samples" });
  await expect(sort.locator('select[name="bench"]')).toHaveValue("textual");
  await expect(sort.locator('select[name="bench"] option[value="rtp_toxicity"]')).toHaveText(/^rtp_toxicity \(0 of \d+ with values\)$/);
  const firstRow = page.getByRole("table", { name: "Side-by-side samples" }).getByTestId("sample-row").first();
  await expect(firstRow).toContainText("textual ·");
  await expect(firstRow.locator("td").nth(1)).toContainText(/Length \(words\): \d/);
  // Choosing another benchmark is kept in the URL.
  await sort.locator('select[name="bench"]').selectOption("rtp_toxicity");
  await sort.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/bench=rtp_toxicity/);
  await expect(page.getByRole("table", { name: "Side-by-side samples" }).getByTestId("sample-row").first()).toContainText("rtp_toxicity ·");
  await page.screenshot({ path: "test-results/screens/compare-1920.png" });

  // Exports drop the override: the CSV and LaTeX name the run without it.
  const csv = await (await page.request.get(`/api/export/compare?runs=${rtl},${plain}&ref=${rtl}&format=csv`)).text();
  expect(csv).toContain("tkreversed");
  expect(csv).not.toContain(RLO);
  const tex = await (await page.request.get(`/api/export/compare?runs=${rtl},${plain}&ref=${rtl}&format=latex`)).text();
  expect(tex).not.toContain(RLO);

  // No unit is written twice anywhere on the comparison (table, figures, samples): not "Length (words) (words)",
  // not "Words (words)".
  await expect(page.locator('[data-figure^="distribution"]').first()).toBeVisible();
  const doubled = (text: string) => text.match(/\(([^()]+)\)\s*\(\1\)|\b(\w+)\s*\(\2\)/gi);
  expect(doubled(await page.locator("main").innerText())).toBeNull();

  // The leaderboard and the items table are wide tables too.
  await page.goto("/leaderboard?category=social_bias");
  await expect(page.locator(".table-scroll").filter({ has: page.getByRole("table", { name: "Leaderboard" }) })).toHaveJSProperty("clientWidth", 1872);
  await page.goto(`/runs/${plain}`);
  await expect(page.locator(".table-scroll").filter({ has: page.getByRole("table", { name: "Items" }) })).toHaveJSProperty("clientWidth", 1872);
  expect(doubled(await page.locator("main").innerText())).toBeNull();
  await page.goto("/models");
  await page.getByRole("link", { name: "Browse-Toolkit", exact: true }).click();
  await expect(page.getByRole("table", { name: "Profile" })).toBeVisible();
  expect(doubled(await page.locator("main").innerText())).toBeNull();
});

// Other browser tests expect an empty dashboard: remove what this file created (through the UI, as a user would).
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  page.on("dialog", (d) => void d.accept());
  for (const name of ["Browse-Student", "Browse-Base", "Browse-Toolkit", RTL_MODEL]) {
    await page.goto("/models");
    const link = page.getByRole("link", { name, exact: true });
    if ((await link.count()) === 0) continue;
    await link.first().click();
    await page.getByRole("button", { name: "Delete model" }).click();
    await page.waitForURL(/\/models$/);
  }
  await page.close();
});
