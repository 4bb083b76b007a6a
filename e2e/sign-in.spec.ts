// A dashboard with accounts (the second web server of playwright.config.ts; its users are added with
// `lineage users add` by tests/server/auth-dashboard.mjs): a stranger is sent to sign in, password sign-in works
// without JavaScript, too many attempts are refused and said so, single sign-on through a local OpenID Connect issuer
// (tests/server/oidc/main.mjs) makes a viewer, each role sees and may do what it should, and an API token works on
// the routes until revoked.
import { type Browser, expect, type Page, test } from "@playwright/test";

test.describe.configure({ mode: "serial" });

const authURL = process.env.E2E_AUTH_URL!;
test.use({ baseURL: authURL });

const PASSWORDS: Record<string, string> = {
  "admin@example.org": "admin-password-1",
  "editor@example.org": "editor-password-1",
  "viewer@example.org": "viewer-password-1",
};

async function signIn(page: Page, email: string, password = PASSWORDS[email]) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function asUser(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: authURL, javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page.locator(".who")).toContainText(email);
  return page;
}

test("a stranger is sent to sign in from any page; routes answer 401; the health check stays open", async ({ request }) => {
  for (const path of ["/", "/models", "/runs", "/users", "/tokens"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(303);
    expect(res.headers().location, path).toMatch(/\/sign-in/);
  }
  expect((await request.get("/api/runs/x", { maxRedirects: 0 })).status()).toBe(401);
  expect((await request.get("/api/export/compare?runs=a,b&format=csv", { maxRedirects: 0 })).status()).toBe(401);
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.text()).not.toContain("/tmp");
});

test("password sign-in without JavaScript goes where the visitor was headed; sign-out ends the session", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: authURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fruns/);
  await page.getByLabel("Email").fill("editor@example.org");
  await page.getByLabel("Password").fill("wrong-password-0");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("main").getByRole("alert")).toContainText("Wrong email or password");
  await page.getByLabel("Password").fill(PASSWORDS["editor@example.org"]);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.locator(".who")).toContainText("editor@example.org · editor");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/models");
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test("too many sign-in attempts for an account are refused, and the page says so", async ({ page }) => {
  const said: string[] = [];
  for (let i = 0; i < 7; i++) {
    await signIn(page, "limited@example.org", `not-the-password-${i}`);
    const alert = page.locator("main").getByRole("alert");
    await expect(alert).toBeVisible();
    said.push(await alert.innerText());
  }
  // Five attempts a minute per account (lib/access/auth.ts SIGN_IN_MAX), then refused.
  expect(
    said.slice(0, 5).every((s) => /Wrong email or password/.test(s)),
    said.join(" | "),
  ).toBe(true);
  expect(
    said.slice(5).every((s) => /Too many sign-in attempts for this account/.test(s)),
    said.join(" | "),
  ).toBe(true);
  // Even the right password is refused until the window passes.
  await signIn(page, "limited@example.org", "limited-password-1");
  await expect(page.locator("main").getByRole("alert")).toContainText("Too many sign-in attempts");
});

test("single sign-on through the OpenID Connect issuer makes a new user a viewer", async ({ page }) => {
  await page.goto("/sign-in?next=%2Fleaderboard");
  await page.getByRole("button", { name: "Sign in with the test issuer" }).click();
  // oidc-provider's development login and consent pages.
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_OIDC_URL}`));
  await page.locator('input[name="login"]').fill("ola@example.org");
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click(); // consent
  await expect(page).toHaveURL(new RegExp(`^${authURL}/leaderboard`));
  await expect(page.locator(".who")).toContainText("ola@example.org · viewer");
});

test("a viewer reads but has no edit controls and is refused the edit forms and the users page", async ({ browser }) => {
  const page = await asUser(browser, "viewer@example.org");
  await page.goto("/models");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: /New model/ })).toHaveCount(0);
  await page.goto("/models/new");
  await expect(page.locator("main").getByRole("alert")).toContainText("needs the editor role");
  await expect(page.locator('form[aria-label="New model"]')).toHaveCount(0);
  await page.goto("/users");
  await expect(page.locator("main").getByRole("alert")).toContainText("Only admins manage users");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.context().close();
});

test("an editor creates a model; deleting it needs an admin", async ({ browser }) => {
  const page = await asUser(browser, "editor@example.org");
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill("Editors-Model");
  await page.getByLabel("Base URL").fill("http://127.0.0.1:9/v1");
  await page.getByLabel("Served model id").fill("tiny");
  await page.locator('form[aria-label="New model"]').getByRole("button", { name: "Create model" }).click();
  await expect(page).toHaveURL(/\/models\/[A-Za-z0-9_-]+$/);
  await expect(page.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  await page.context().close();

  const admin = await asUser(browser, "admin@example.org");
  await admin.goto("/models");
  await admin.getByRole("link", { name: "Editors-Model" }).click();
  await expect(admin.getByRole("button", { name: /Delete/ })).toBeVisible();
  await admin.context().close();
});

test("an admin adds a user and changes their role; the new user signs in with it", async ({ browser }) => {
  const admin = await asUser(browser, "admin@example.org");
  await admin.goto("/users");
  const form = admin.locator('form[aria-label="Add a user"]');
  await form.getByLabel("Email").fill("new.editor@example.org");
  await form.getByLabel("Password").fill("new-editor-password");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(admin.locator(".alert.ok")).toContainText("Added new.editor@example.org (viewer)");
  const row = admin.getByRole("row", { name: /new\.editor@example\.org/ });
  await row.getByLabel("Role of new.editor@example.org").selectOption("editor");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(row.getByText("is now editor")).toBeVisible();
  await admin.context().close();

  const page = await browser.newPage({ baseURL: authURL });
  await signIn(page, "new.editor@example.org", "new-editor-password");
  await expect(page.locator(".who")).toContainText("new.editor@example.org · editor");
  await page.context().close();
});

test("an API token, shown once, reads the routes with its role until it is revoked", async ({ browser, playwright }) => {
  const page = await asUser(browser, "editor@example.org");
  await page.goto("/tokens");
  await page.getByLabel("Name").fill("nightly-export");
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").innerText()).trim();
  expect(token).toMatch(/^lin_[A-Za-z0-9_-]{40,}$/);

  const api = await playwright.request.newContext({ baseURL: authURL });
  const bearer = { authorization: `Bearer ${token}` };
  expect((await api.get("/api/runs/no-such-run", { headers: bearer })).status()).toBe(404);
  expect((await api.get("/api/leaderboard/export?format=csv", { headers: bearer })).status()).toBe(200);
  expect((await api.get("/api/runs/no-such-run")).status()).toBe(401);

  await page.reload();
  const row = page.getByRole("row", { name: /nightly-export/ });
  await expect(row).not.toContainText("never");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  const refused = await api.get("/api/runs/no-such-run", { headers: bearer });
  expect(refused.status()).toBe(401);
  expect(await refused.text()).toContain("not valid");
  await api.dispose();
  await page.context().close();
});

test("without JavaScript, the users, token and setup forms come back with their errors", async ({ browser }) => {
  const page = await asUser(browser, "admin@example.org", false);
  await page.goto("/users");
  const add = page.locator('form[aria-label="Add a user"]');
  await add.getByLabel("Email").fill("not-an-email");
  await add.getByLabel("Password").fill("short");
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add.locator('[data-field-error="email"]')).toContainText("Enter an email address");
  await page.goto("/tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.locator('[data-field-error="name"]')).toContainText("Name the token");
  // A setup link once an account exists is refused, not a form.
  await page.goto("/setup?token=made-up");
  await expect(page.locator("main").getByRole("alert")).toContainText("used up or expired");
  expect((await page.request.get("/api/health")).status()).toBe(200);
  await page.context().close();
});
