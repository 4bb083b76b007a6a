import { expect, test, type Download, type Page } from "@playwright/test";
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseXml, textOf, walk } from "../lib/export/xml";
import { readZipDirectory } from "../lib/export/zip";

// Runs are seeded through the real import path in the browser: a base, a passive student and its teacher, whose
// outputs have known word counts (base 2, student 4, teacher 8 per prompt), so the table's deltas are exact.
test.describe.configure({ mode: "serial" });

// A dashboard of its own (the production build the suite's web server made, on its own port and embedded
// database), so that these runs and models neither depend on nor leak into the other browser tests.
const port = Number(process.env.E2E_PORT ?? 3199) + 17;
test.use({ baseURL: `http://127.0.0.1:${port}` });
let server: ChildProcess | null = null;

test.beforeAll(async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-compare-home-"));
  server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    env: { ...process.env, PORT: String(port), LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "e2e-secret-key" },
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`the compare test server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-e2e-compare-"));
const XSS = "<script>window.__pwned = 1</script> alpha beta";
const FORMULA_PROMPT = '=HYPERLINK("http://evil")';

function writeGenerations(name: string, outputs: string[]): string {
  const file = path.join(dir, `${name}.jsonl`);
  const prompts = [FORMULA_PROMPT, "Explain rain", "Describe a cat", "Name a colour"];
  fs.writeFileSync(file, outputs.map((output, i) => JSON.stringify({ id: `p${i + 1}`, prompt: prompts[i], output })).join("\n"));
  return file;
}

async function createModel(page: Page, name: string) {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function importRun(page: Page, model: string, file: string) {
  await page.goto("/runs/import");
  const form = page.getByRole("form", { name: "Import generations" });
  await form.getByLabel("Model that wrote them").selectOption({ label: model });
  // Named after the model, so tables and figures label the run by its model alone.
  await form.getByLabel("Run name").fill(model);
  await form.getByLabel("Generations (JSON Lines)").setInputFiles(file);
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
}

async function saved(download: Download): Promise<Buffer> {
  const p = path.join(dir, download.suggestedFilename());
  await download.saveAs(p);
  return fs.readFileSync(p);
}

test("profile, compare base vs passive student vs teacher, side-by-side samples, every export", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  fs.mkdirSync("test-results/screens", { recursive: true });
  await createModel(page, "Cmp-Base");
  await createModel(page, "Cmp-Teacher");
  await createModel(page, "Cmp-Student");
  await page.getByRole("link", { name: "Record how it was made" }).click();
  await page.getByLabel("Base model").selectOption({ label: "Cmp-Base" });
  await page.getByRole("group", { name: "Teacher(s)" }).getByLabel("Cmp-Teacher").check();
  await page.getByLabel(/Passive inheritance/).check();
  await page.getByRole("button", { name: "Record derivation" }).click();
  await expect(page.getByRole("heading", { name: "Cmp-Student" })).toBeVisible();

  await importRun(page, "Cmp-Base", writeGenerations("base", ["one two", "rain falls", "cats purr", "deep blue"]));
  await importRun(page, "Cmp-Teacher", writeGenerations("teacher", Array(4).fill("a b c d e f g h")));
  await importRun(page, "Cmp-Student", writeGenerations("student", ["one two three four", XSS, "five six seven eight", "nine ten eleven twelve"]));

  // Model profile: every metric of the latest run, grouped, with CI, n and direction.
  await page.getByRole("link", { name: "Cmp-Student" }).first().click();
  await expect(page.getByRole("heading", { name: "Cmp-Student" })).toBeVisible();
  const profile = page.getByRole("table", { name: "Profile" });
  await expect(profile.getByRole("rowgroup").filter({ hasText: "Textual characteristics" })).toBeVisible();
  const words = profile.locator('tr[data-metric="length_words"]');
  await expect(words.locator("td").nth(0)).toHaveText("4.00");
  await expect(words.locator("td").nth(2)).toHaveText("4");
  await expect(profile.locator('tr[data-metric="mtld"] td').nth(3)).toHaveText("higher is better");
  await expect(page.getByRole("region", { name: "Lineage" }).getByTestId("derivation")).toContainText("Cmp-Teacher");
  await page.screenshot({ path: "test-results/screens/model-profile.png", fullPage: true });

  // Compare from the lineage: base (reference) vs student vs teacher, laid out from the derivation.
  await page.getByRole("link", { name: /Cmp-Base → Cmp-Student ← Cmp-Teacher/ }).click();
  await expect(page).toHaveURL(/\/compare\?runs=[^&]+,[^&]+,[^&]+&ref=/);
  const table = page.getByRole("table", { name: "Comparison" });
  const header = table.locator("thead th");
  await expect(header.nth(1)).toContainText("Cmp-Base");
  await expect(header.nth(1)).toContainText("reference");
  await expect(header.nth(2)).toContainText("Cmp-Student");
  await expect(header.nth(2)).toContainText("student");
  await expect(header.nth(3)).toContainText("teacher");
  const row = table.locator('tr[data-metric="length_words"]');
  const studentDelta = row.locator('td[data-col="delta"]').first();
  // 2 → 4 words per output: +2, +100 %; length is a neutral metric.
  await expect(studentDelta.locator('[data-col="diff"]')).toHaveText("+2.00");
  await expect(studentDelta.locator('[data-col="pct"]')).toHaveText("+100 %");
  // Paired: four differences of +2 → CI [+2, +2], exact sign-flip p = 2/16: not significant, so no verdict.
  await expect(studentDelta.locator('[data-col="paired"]')).toContainText("[+2.00, +2.00] · p 0.125");
  await expect(studentDelta).toHaveAttribute("data-verdict", "not_significant");
  await expect(studentDelta.locator('[data-col="verdict"]')).toHaveText("no significant difference");
  // TTR has a direction, but four prompts cannot make a difference significant: uncoloured, said in words.
  await expect(table.locator('tr[data-metric="ttr"] td[data-col="delta"]').first()).toHaveAttribute("data-verdict", "not_significant");
  await expect(page.getByTestId("significance-note")).toContainText("α = 0.05, two-sided, Holm correction over the");
  await expect(page.locator('[data-figure="change-heatmap"] svg text').filter({ hasText: "+100" }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/compare.png", fullPage: true });

  // Without JavaScript: another reference (nothing computed for it yet) shows the progress and reloads itself until
  // the paired statistics, computed off the web process, are in.
  const compared = new URL(page.url()).searchParams.get("runs")!.split(",");
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(`${baseURL}/compare?runs=${compared.join(",")}&ref=${compared[1]}`);
  await expect(plain.getByTestId("paired-progress")).toContainText("Computing paired statistics");
  const plainDelta = plain.getByRole("table", { name: "Comparison" }).locator('tr[data-metric="length_words"] td[data-col="delta"]').first();
  // Base against the student: four differences of −2, exact sign-flip p = 2/16.
  await expect(plainDelta.locator('[data-col="paired"]')).toContainText("p 0.125", { timeout: 60_000 });
  await expect(plainDelta).toHaveAttribute("data-verdict", "not_significant");
  await expect(plain.getByTestId("paired-progress")).toHaveCount(0);
  await noJs.close();

  // Side-by-side samples: outputs as text; the <script> never runs.
  const samples = page.getByRole("table", { name: "Side-by-side samples" });
  await expect(samples.getByTestId("sample-row")).toHaveCount(4);
  await expect(samples.getByTestId("sample-output").filter({ hasText: "<script>" })).toHaveText(XSS);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.getByRole("form", { name: "Sort samples" }).getByLabel("Difference of").selectOption({ index: 1 });
  await expect(page.getByRole("form", { name: "Sort samples" }).getByLabel("Difference of").locator("option:checked")).toHaveText(/^Cmp-Teacher.* − Cmp-Base/);
  await page.getByRole("form", { name: "Sort samples" }).getByLabel("Sort by the difference").selectOption("desc");
  await page.getByRole("form", { name: "Sort samples" }).getByRole("button", { name: "Apply" }).click();
  await expect(samples.locator('td[data-col="sample-diff"]').first()).toHaveText("+6.00");
  await samples.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/compare-samples.png", fullPage: true });

  // Figure exports: SVG (parses, axis labels as text), PDF (one page), PNG.
  const heatmap = page.locator('[data-figure="change-heatmap"]');
  const svgFile = await saved(await Promise.all([page.waitForEvent("download"), heatmap.getByRole("button", { name: "SVG" }).click()]).then(([d]) => d));
  const svgText = svgFile.toString("utf8");
  const root = parseXml(svgText);
  const texts = [...walk(root)].filter((e) => e.name === "text").map(textOf);
  // The heatmap names its reference; metrics are rows (catalogue short labels), runs are columns.
  expect(texts).toContain("% change against Cmp-Base (base)");
  expect(texts).toContain("Words");
  expect(texts).toContain("Cmp-Student (student)");
  expect(svgText).not.toMatch(/<script|var\(--|class=|style=|dominant-baseline/);
  for (const t of [...walk(root)].filter((e) => e.name === "text")) expect(t.attrs["font-family"]).toMatch(/^'DejaVu Sans'/);
  expect(svgFile.length).toBeLessThan(200_000);
  const pdf = await saved(await Promise.all([page.waitForEvent("download"), heatmap.getByRole("button", { name: "PDF" }).click()]).then(([d]) => d));
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdf.toString("latin1").match(/\/Type \/Page\b/g)).toHaveLength(1);
  fontsEmbedded(pdf, "heatmap.pdf");
  const png = await saved(await Promise.all([page.waitForEvent("download"), heatmap.getByRole("button", { name: "PNG 3×" }).click()]).then(([d]) => d));
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  // 3× a 6.75-inch (double-column) figure at 96 px/in.
  expect(png.readUInt32BE(16)).toBe(3 * 648);

  // Single-column width changes the exported size.
  await page.getByLabel("Width").selectOption({ label: "single column (3.25 in)" });
  const narrow = await saved(await Promise.all([page.waitForEvent("download"), heatmap.getByRole("button", { name: "SVG" }).click()]).then(([d]) => d));
  expect(parseXml(narrow.toString("utf8")).attrs.width).toBe("3.25in");

  // The metrics of the figures, and their order, are chosen and kept in the URL.
  await page.getByTestId("metric-chooser").locator("summary").click();
  await page.getByRole("button", { name: "Move Type–token ratio up" }).click();
  await expect(page).toHaveURL(/[?&]metrics=/);
  const chosen = new URL(page.url()).searchParams.get("metrics")!.split(",");
  expect(chosen.indexOf("ttr")).toBeGreaterThan(-1);
  expect(chosen.indexOf("ttr")).toBeLessThan(chosen.indexOf("mean_word_length"));
  await page
    .getByTestId("metric-chooser")
    .getByRole("checkbox", { name: /Length \(words\)/ })
    .uncheck();
  await expect(heatmap.locator("svg text").filter({ hasText: /^Words$/ })).toHaveCount(0);
  // The link reproduces the figures.
  await page.goto(page.url());
  await expect(page.locator('[data-figure="change-heatmap"] svg text').filter({ hasText: /^TTR$/ })).toBeVisible();
  await expect(page.locator('[data-figure="change-heatmap"] svg text').filter({ hasText: /^Words$/ })).toHaveCount(0);
  // (The figures stream in after the table: open the chooser once the page has hydrated it.)
  const reset = page.getByRole("button", { name: "All metrics, default order" });
  await expect(async () => {
    if (!(await reset.isVisible())) await page.getByTestId("metric-chooser").locator("summary").click();
    await expect(reset).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await reset.click();
  await expect(page).not.toHaveURL(/[?&]metrics=/);

  // Table exports: LaTeX (booktabs), CSV (formula-safe), JSON.
  const tex = (
    await saved(await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Table as LaTeX" }).click()]).then(([d]) => d))
  ).toString("utf8");
  expect(tex).toContain("\\toprule");
  expect(tex).toContain("Length (words)");
  expect(tex).toContain("Cmp-Base & Cmp-Student & Cmp-Teacher");
  compilesIntoAPaper(tex, pdf);
  const csv = (
    await saved(await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Table as CSV" }).click()]).then(([d]) => d))
  ).toString("utf8");
  expect(csv.split("\r\n")[0]).toContain("metric_id,metric,unit,better");
  expect(csv).toMatch(/\nlength_words,Length \(words\),words,neutral,2,/);
  const json = JSON.parse(
    (await saved(await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Table as JSON" }).click()]).then(([d]) => d))).toString(
      "utf8",
    ),
  );
  expect(json.rows.find((r: { metric: string }) => r.metric === "length_words").deltas[0].pct).toBe(100);

  // Side-by-side samples as CSV: the prompt that starts with "=" is neutralised.
  const samplesCsv = (
    await saved(await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Samples as CSV" }).click()]).then(([d]) => d))
  ).toString("utf8");
  expect(samplesCsv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  expect(samplesCsv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  expect(samplesCsv).toContain(XSS);

  // Export all: one ZIP with every figure (SVG, PDF, PNG), the tables and the manifest.
  const zipFile = await saved(
    await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.getByRole("button", { name: "Export all (ZIP)" }).click()]).then(([d]) => d),
  );
  const names = readZipDirectory(new Uint8Array(zipFile)).map((e) => e.name);
  expect(names).toContain("manifest.json");
  expect(names).toContain("tables/comparison.tex");
  expect(names).toContain("figures/change-heatmap.pdf");
  expect(names).toContain("figures/change-heatmap@3x.png");
  expect(names.filter((n) => n.endsWith(".svg")).length).toBeGreaterThanOrEqual(3);
  const zipPath = path.join(dir, "all.zip");
  fs.writeFileSync(zipPath, zipFile);
  try {
    expect(execFileSync("unzip", ["-t", zipPath]).toString()).toContain("No errors detected");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const manifest = JSON.parse(execFileSync("unzip", ["-p", zipPath, "manifest.json"]).toString());
  expect(manifest.runs).toHaveLength(3);
  expect(manifest.runs[0].suite).toBeTruthy();
  expect(manifest.codeVersion).toBeTruthy();
});

test("the chooser works from the keyboard and the URL reproduces the view", async ({ page }) => {
  await page.goto("/compare");
  await expect(page.getByRole("heading", { name: "Choose runs" })).toBeVisible();
  const boxes = page.getByRole("checkbox");
  await expect(boxes).toHaveCount(3);
  await boxes.first().focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await expect(boxes.nth(1)).toBeChecked();
  // The focused control shows a focus ring.
  expect(await boxes.nth(1).evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByRole("table", { name: "Comparison" })).toBeVisible();
  const link = page.url();
  expect(new URL(link).searchParams.get("runs")!.split(",")).toHaveLength(2);
  // The same URL in a fresh page gives the same table.
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByRole("table", { name: "Comparison" }).locator("thead th").nth(1)).toHaveText(
    await page.getByRole("table", { name: "Comparison" }).locator("thead th").nth(1).innerText(),
  );
  await other.close();
});

test("one run checked: the chooser says to pick another and keeps it checked", async ({ page }) => {
  await page.goto("/compare");
  const first = page.getByRole("checkbox").first();
  const runId = await first.getAttribute("value");
  await first.check();
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?runs=${runId}&ref=${runId}`));
  await expect(page.getByTestId("pick-another")).toHaveText(/A comparison needs two runs: .+ is checked below, pick at least one other run/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(page.locator(`input[name="run"][value="${runId}"]`)).toBeChecked();
  await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(1);
  // Checking a second one compares the two.
  await page.getByRole("checkbox", { checked: false }).first().check();
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByRole("table", { name: "Comparison" })).toBeVisible();
});

/**
 * The "done when": the table as LaTeX and the heatmap as PDF compile into a paper (pdflatex with booktabs and
 * graphicx; `.ci/run` installs them). Without pdflatex the check is recorded as skipped in the report, never silently.
 */
function compilesIntoAPaper(tex: string, figurePdf: Buffer) {
  const which = spawnSync("sh", ["-c", "command -v pdflatex && kpsewhich booktabs.sty graphicx.sty"], { encoding: "utf8" });
  if (which.status !== 0 || which.stdout.trim().split("\n").length < 3) {
    const why = "pdflatex with booktabs and graphicx is not installed: the LaTeX table and PDF figure were checked structurally only";
    test.info().annotations.push({ type: "skipped check", description: why });
    console.warn(`[compare.spec] ${why}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-paper-"));
  fs.writeFileSync(path.join(dir, "comparison.tex"), tex);
  fs.writeFileSync(path.join(dir, "heatmap.pdf"), figurePdf);
  fs.writeFileSync(
    path.join(dir, "paper.tex"),
    [
      "\\documentclass{article}",
      "\\usepackage[T1]{fontenc}",
      "\\usepackage[utf8]{inputenc}",
      "\\usepackage{booktabs}",
      "\\usepackage{graphicx}",
      "\\begin{document}",
      "\\input{comparison.tex}",
      "\\begin{figure}[t]\\centering\\includegraphics[width=\\linewidth]{heatmap.pdf}\\caption{Change heatmap.}\\end{figure}",
      "\\end{document}",
      "",
    ].join("\n"),
  );
  const run = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(
    run.status,
    run.stdout
      .split("\n")
      .filter((l) => l.startsWith("!") || l.startsWith("l."))
      .join("\n") || run.stdout.slice(-2000),
  ).toBe(0);
  const paper = fs.readFileSync(path.join(dir, "paper.pdf"));
  expect(paper.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  // No undefined control sequence or math-mode slip was only warned about either.
  expect(run.stdout).not.toMatch(/Undefined control sequence|Missing \$ inserted/);
  fs.copyFileSync(path.join(dir, "paper.pdf"), path.join("test-results", "screens", "paper-compiled.pdf"));
  // The figure's fonts stay embedded in the paper (a camera-ready check rejects any that is not).
  fontsEmbedded(paper, "paper.pdf");
}

/** `pdffonts`: every font embedded (poppler-utils; .ci/run installs it). Without pdffonts, the check is recorded as skipped. */
function fontsEmbedded(pdf: Buffer, name: string) {
  if (spawnSync("sh", ["-c", "command -v pdffonts"]).status !== 0) {
    test.info().annotations.push({ type: "skipped check", description: `pdffonts is not installed: the fonts of ${name} were not checked` });
    return;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lineage-fonts-")), name);
  fs.writeFileSync(file, pdf);
  const lines = execFileSync("pdffonts", [file]).toString().trim().split("\n").slice(2);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.split(/\s+/).slice(-5, -4), `${name}: ${line}`).toEqual(["yes"]);
  if (name === "heatmap.pdf") expect(lines.every((l) => /\+DejaVuSans/.test(l))).toBe(true);
}

const TWELVE = Array.from({ length: 12 }, (_, i) => `Prompt number ${i + 1}`);
function writeTwelve(name: string, output: (i: number) => string): string {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, TWELVE.map((prompt, i) => JSON.stringify({ id: `t${i + 1}`, prompt, output: output(i) })).join("\n"));
  return file;
}

async function recordDerivation(page: Page, student: string, base: string, teachers: string[]) {
  await page.goto("/models");
  await page.getByRole("link", { name: student, exact: true }).first().click();
  await page.getByRole("link", { name: "Record how it was made" }).click();
  await page.getByLabel("Base model").selectOption({ label: base });
  for (const t of teachers) await page.getByRole("group", { name: "Teacher(s)" }).getByLabel(t, { exact: true }).check();
  await page.getByLabel(/Passive inheritance/).check();
  await page.getByRole("button", { name: "Record derivation" }).click();
  await expect(page.getByRole("heading", { name: student })).toBeVisible();
}

test("lineage compare: roles from the compared derivation, a student without runs shown, verdicts only where significant after Holm", async ({ page }) => {
  test.setTimeout(180_000);
  for (const name of ["Lin-M", "Lin-A", "Lin-B", "Lin-S"]) await createModel(page, name);
  // D1: Lin-S ← base Lin-M, teachers Lin-A and Lin-B; Lin-S has no run. D2: Lin-B ← base Lin-A, teacher Lin-M.
  await recordDerivation(page, "Lin-S", "Lin-M", ["Lin-A", "Lin-B"]);
  await recordDerivation(page, "Lin-B", "Lin-A", ["Lin-M"]);
  // Twelve prompts: the base repeats one word (TTR 0.5), the teachers use distinct words (TTR 1): twelve equal
  // differences give the exact sign-flip p = 2/4096, significant even after Holm over the table. Lin-B repeats one
  // word in three (TTR 2/3), so Lin-A alone has the best TTR.
  await importRun(
    page,
    "Lin-M",
    writeTwelve("lin-m", () => "a a"),
  );
  await importRun(
    page,
    "Lin-A",
    writeTwelve("lin-a", (i) => `w${i} x${i} y${i} z${i}`),
  );
  await importRun(
    page,
    "Lin-B",
    writeTwelve("lin-b", (i) => `u${i} u${i} v${i}`),
  );

  await page.goto("/models");
  await page.getByRole("link", { name: "Lin-S", exact: true }).first().click();
  await page.getByRole("link", { name: "Lin-M → Lin-S ← Lin-A, Lin-B" }).click();
  await expect(page).toHaveURL(/\/compare\?runs=[^&]+,[^&]+,[^&]+&ref=[^&]+&lineage=/);
  const table = page.getByRole("table", { name: "Comparison" });
  const header = table.locator("thead th");
  await expect(header.nth(1)).toContainText("Lin-M");
  await expect(header.nth(1)).toContainText("base");
  await expect(header.nth(2)).toContainText("Lin-A");
  await expect(header.nth(2)).toContainText("teacher");
  // Lin-B is a student in D2, but a teacher in the derivation compared.
  await expect(header.nth(3)).toContainText("Lin-B");
  await expect(header.nth(3)).toContainText("teacher");
  await expect(header.nth(3)).not.toContainText("student");
  // Lin-S has no run: a column that says so and where to profile it (it has no endpoint yet).
  const absent = table.locator('thead th[data-col="absent"]');
  await expect(absent).toHaveCount(1);
  await expect(absent).toContainText("Lin-S");
  await expect(absent).toContainText("student");
  await expect(absent).toContainText("no completed run");
  await expect(absent.getByRole("link", { name: "Add its endpoint to profile it" })).toHaveAttribute("href", /\/models\/[^/]+\/edit$/);

  const ttr = table.locator('tr[data-metric="ttr"] td[data-col="delta"]');
  await expect(ttr.first()).toHaveAttribute("data-verdict", "better");
  await expect(ttr.first().locator('[data-col="verdict"]')).toHaveText("better");
  await expect(ttr.first().locator('[data-col="paired"]')).toContainText("p < 0.001 (adj.");
  await expect(table.locator('tr[data-metric="ttr"] td[data-col="value"]').nth(1)).toHaveClass(/best/);
  await page.screenshot({ path: "test-results/screens/compare-lineage.png", fullPage: true });

  // A stricter level from the form (a GET form: the URL keeps it): Holm's adjusted p no longer passes.
  const form = page.getByRole("form", { name: "Significance" });
  await form.getByLabel("Significance level α").fill("0.001");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/alpha=0\.001/);
  await expect(page).toHaveURL(/lineage=/);
  await expect(ttr.first()).toHaveAttribute("data-verdict", "not_significant");
  await expect(page.getByTestId("significance-note")).toContainText("α = 0.001");
  const tex = (
    await saved(await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Table as LaTeX" }).click()]).then(([d]) => d))
  ).toString("utf8");
  expect(tex).toContain("$\\alpha$ = 0.001, two-sided, Holm correction");
  expect(tex).toContain("Not in the table: Lin-S (student): no completed run.");
  expect(tex).not.toContain("\\textbf");
  const csv = (
    await saved(await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Table as CSV" }).click()]).then(([d]) => d))
  ).toString("utf8");
  expect(csv.split("\r\n").find((l) => l.startsWith("ttr,"))).toMatch(/,not_significant,.*,0\.001,holm,\d+$/);
  // Invalid settings are refused with the reason, and the defaults used.
  await page.goto(page.url().replace("alpha=0.001", "alpha=2"));
  await expect(page.getByRole("alert").filter({ hasText: "alpha must be" })).toBeVisible();
});
