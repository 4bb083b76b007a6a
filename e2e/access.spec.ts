// Who the dashboard answers. It listens on loopback only (npm start's default), and answers only requests addressed
// to itself: a DNS-rebinding page (its Host and Origin both attacker.example, resolved to 127.0.0.1) gets 403 for
// pages, routes and server actions alike, and a cross-site server action a quiet 403 instead of Next's 500.
import { expect, test, type Browser, type Request } from "@playwright/test";
import net from "node:net";
import os from "node:os";

test.describe.configure({ mode: "serial" });

const ATTACKER_NAME = "Rebinding-Victim";

/** The no-JS submit of the New model form (a server action), captured instead of sent, to be replayed with other headers. */
async function capturedSubmit(browser: Browser, baseURL: string, fill: { name: string; baseUrl: string }): Promise<Request> {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  let captured: Request | null = null;
  await page.route("**/models/new", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    captured = route.request();
    await route.abort();
  });
  await page.goto("/models/new");
  await page.getByLabel("Name", { exact: true }).fill(fill.name);
  await page.getByLabel("Base URL").fill(fill.baseUrl);
  await page.getByLabel("Served model id").fill("tiny-llama");
  await page.locator('form[aria-label="New model"]').getByRole("button", { name: "Create model" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  await context.close();
  return captured!;
}

function replayHeaders(req: Request, host: string, origin: string): Record<string, string> {
  return { "content-type": req.headers()["content-type"], host, origin };
}

test("a page or route requested under another host name gets 403; under its own, it works", async ({ request, baseURL }) => {
  const port = new URL(baseURL!).port;
  for (const path of ["/models", "/api/health", "/runs"]) {
    const refused = await request.get(path, { headers: { host: `attacker.example:${port}` } });
    expect(refused.status(), path).toBe(403);
    expect(await refused.text()).toMatch(/^Forbidden: this dashboard answers only requests addressed to its own address/);
  }
  expect((await request.get("/api/health", { headers: { host: `127.0.0.1:${port}`, "x-forwarded-host": `attacker.example:${port}` } })).status()).toBe(403);
  expect((await request.get("/models")).status()).toBe(200);
  expect((await request.get("/models", { headers: { host: `localhost:${port}` } })).status()).toBe(200);
});

test("a server action posted by a rebinding page (Host and Origin both attacker.example) gets 403 and changes nothing", async ({
  browser,
  request,
  baseURL,
}) => {
  const port = new URL(baseURL!).port;
  const submit = await capturedSubmit(browser, baseURL!, { name: ATTACKER_NAME, baseUrl: "http://127.0.0.1:9/v1" });
  const rebound = await request.post("/models/new", {
    headers: replayHeaders(submit, `attacker.example:${port}`, `http://attacker.example:${port}`),
    data: submit.postDataBuffer()!,
    maxRedirects: 0,
  });
  expect(rebound.status()).toBe(403);
  expect(await rebound.text()).toMatch(/^Forbidden/);

  // Cross-site with our own Host (a form on another site): refused quietly with 403, not Next's 500.
  const crossSite = await request.post("/models/new", {
    headers: replayHeaders(submit, `127.0.0.1:${port}`, "http://attacker.example"),
    data: submit.postDataBuffer()!,
    maxRedirects: 0,
  });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toBe("Forbidden: cross-site request refused.\n");

  expect(await (await request.get("/models")).text()).not.toContain(ATTACKER_NAME);
});

test("the same replayed submit with the dashboard's own Host and Origin reaches the action", async ({ browser, request, baseURL }) => {
  // An invalid submit, so that the control saves nothing in the shared test database: the field error proves the
  // action ran, so the 403s above come from the Host and Origin checks, not from a broken replay.
  const port = new URL(baseURL!).port;
  const submit = await capturedSubmit(browser, baseURL!, { name: "Replay-Control", baseUrl: "javascript:alert(1)" });
  const res = await request.post("/models/new", {
    headers: replayHeaders(submit, `127.0.0.1:${port}`, `http://127.0.0.1:${port}`),
    data: submit.postDataBuffer()!,
    maxRedirects: 0,
  });
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain("Enter an http:// or https:// URL");
});

test("npm start listens on loopback only: the machine's other addresses refuse the connection", async ({ baseURL }) => {
  const port = Number(new URL(baseURL!).port);
  const external = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === "IPv4")
    .map((a) => a!.address);
  test
    .info()
    .annotations.push({ type: "addresses", description: external.join(", ") || "this machine has no non-loopback IPv4 address: nothing to connect to" });
  for (const address of external) {
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: address, port, timeout: 3_000 });
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("timeout", () => {
        socket.destroy();
        resolve("timeout");
      });
      socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    });
    expect(outcome, `${address}:${port}`).toBe("ECONNREFUSED");
  }
});

test("health says the database is embedded and healthy, not where it is", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.database).toEqual({ mode: "embedded", healthy: true });
  const text = JSON.stringify(body);
  expect(text).not.toContain(process.env.E2E_LINEAGE_HOME!);
  expect(text).not.toMatch(/"\/(tmp|home|work)\//);
});
