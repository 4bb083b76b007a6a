// Every form works without JavaScript (progressive enhancement): an invalid submit comes back with its errors
// and the server keeps answering. Before the fix, one invalid no-JS submit of a form whose server action was
// bound in a client component (`action.bind(null, id)`) spun the server at 100 % CPU for good.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startTestServer } from "./support";

test.describe.configure({ mode: "serial" });

let server: Awaited<ReturnType<typeof startTestServer>>;
test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(() => server?.stop());

async function noJsPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

/** Submits a form by its button and checks the page came back (not hung) and the server still answers. */
async function submit(page: Page, form: string, button: string) {
  await page.locator(`form[aria-label="${form}"]`).getByRole("button", { name: button }).click({ timeout: 15_000 });
  await page.waitForLoadState("load", { timeout: 15_000 });
}

async function healthy(page: Page) {
  const res = await page.request.get("/api/health", { timeout: 5_000 });
  expect(res.status()).toBe(200);
}

async function createModel(page: Page, name: string, served = "tiny-llama") {
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Base URL").fill(`${server.url}/v1`);
  await page.getByLabel("Served model id").fill(served);
  await submit(page, "New model", "Create model");
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return page.url().split("/models/")[1];
}

test("model forms: invalid new and edit submits come back with field errors; valid ones save; delete works", async ({ browser }) => {
  const page = await noJsPage(browser);
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill("NoJS-Broken");
  await page.getByLabel("Base URL").fill("javascript:alert(1)");
  await page.getByLabel("Served model id").fill("x");
  await submit(page, "New model", "Create model");
  await expect(page.locator('[data-field-error="baseUrl"]')).toHaveText(/http:\/\/ or https:\/\//);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("NoJS-Broken");
  await healthy(page);

  const id = await createModel(page, "NoJS-Teacher");
  await createModel(page, "NoJS-Student", "tiny-gemma");
  await page.goto(`/models/${id}/edit`);
  await page.getByLabel("Name", { exact: true }).fill("");
  await submit(page, "Edit model", "Save changes");
  await expect(page.locator('[data-field-error="name"]')).toBeVisible();
  await healthy(page);

  // The one-button forms of a model page.
  await page.goto(`/models/${id}`);
  await submit(page, "Test connection", "Test connection");
  await expect(page.getByTestId("connection-report")).toHaveText(/serves tiny-llama/);
  await submit(page, "Probe capabilities", "Probe capabilities");
  await expect(page.getByTestId("cap-echoLogprobs")).toHaveText(/supported/);

  const doomed = await createModel(page, "NoJS-Doomed");
  await page.goto(`/models/${doomed}`);
  await page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "Delete model" }) })
    .getByRole("button", { name: "Delete model" })
    .click();
  await page.waitForURL(/\/models$/);
  await expect(page.getByRole("link", { name: "NoJS-Doomed" })).toHaveCount(0);
  await healthy(page);
});

test("lineage, run, import, dataset and scorer forms come back with their errors without JavaScript", async ({ browser }) => {
  const page = await noJsPage(browser);

  await page.goto("/lineage/new");
  await submit(page, "Record a derivation", "Record derivation");
  await expect(page.locator("[data-field-error]").first()).toBeVisible();
  await healthy(page);

  await page.goto("/runs/new");
  await page.getByLabel("Temperature").fill("9");
  await submit(page, "New run", "Start run");
  await expect(page.locator('[data-field-error="temperature"]')).toBeVisible();
  await healthy(page);

  await page.goto("/runs/import");
  await submit(page, "Import generations", "Import");
  await expect(page.locator('form[aria-label="Import generations"] [role="alert"]').first()).toBeVisible();
  await healthy(page);
  await page.goto("/runs/import");
  await submit(page, "Import toolkit results", "Add toolkit results");
  await expect(page.locator('form[aria-label="Import toolkit results"] [role="alert"]').first()).toBeVisible();
  await healthy(page);

  await page.goto("/datasets/new");
  await submit(page, "New dataset", "Build dataset");
  await expect(page.locator("[data-field-error]").first()).toBeVisible();
  await healthy(page);

  await page.goto("/scorers");
  await submit(page, "New scorer", "Save scorer");
  await expect(page.locator('[data-field-error="name"]')).toBeVisible();
  await healthy(page);
});
