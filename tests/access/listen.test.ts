// `npm start` listens on loopback by default, and refuses a non-loopback HOST without the explicit opt-in, before
// building anything, with a message that says why and how.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isLoopbackHost, resolveListenHost } from "../../scripts/listen.mjs";

const root = path.resolve(import.meta.dirname, "../..");

describe("the listen address", () => {
  it("is 127.0.0.1 unless HOST says otherwise", () => {
    expect(resolveListenHost({})).toEqual({ ok: true, host: "127.0.0.1", loopback: true, open: false });
    expect(resolveListenHost({ HOST: "" })).toEqual({ ok: true, host: "127.0.0.1", loopback: true, open: false });
    expect(resolveListenHost({ HOST: "::1" })).toEqual({ ok: true, host: "::1", loopback: true, open: false });
    expect(resolveListenHost({ HOST: "localhost" })).toMatchObject({ ok: true, loopback: true });
  });

  it("tells loopback addresses from the others", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.0.2.2", "example.org", "fd00::2", "128.0.0.1"]) expect(isLoopbackHost(h), h).toBe(false);
  });

  it("refuses a non-loopback HOST unless sign-in can be configured (LINEAGE_URL) or the opt-in is set, saying how", () => {
    const r = resolveListenHost({ HOST: "0.0.0.0", PORT: "4000" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/authentication is not configured/);
    expect(r.message).toMatch(/anyone who can reach\s+0\.0\.0\.0 port 4000 would get full control/);
    expect(r.message).toMatch(/lineage users add --admin/);
    expect(r.message).toMatch(/LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK=1/);
    expect(resolveListenHost({ HOST: "0.0.0.0", LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK: "1" })).toEqual({
      ok: true,
      host: "0.0.0.0",
      loopback: false,
      open: true,
    });
    expect(resolveListenHost({ HOST: "0.0.0.0", LINEAGE_URL: "http://lineage.example.org:4000" })).toEqual({
      ok: true,
      host: "0.0.0.0",
      loopback: false,
      open: false,
    });
  });

  it("refuses a LINEAGE_URL that is not an http(s) address", () => {
    expect(resolveListenHost({ LINEAGE_URL: "lineage.example.org" })).toMatchObject({ ok: false, message: expect.stringMatching(/LINEAGE_URL must be/) });
    expect(resolveListenHost({ LINEAGE_URL: "https://lineage.example.org" })).toMatchObject({ ok: true });
  });

  it("npm start exits with that message, before building, on HOST=0.0.0.0", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: "0.0.0.0", PORT: "3197" };
    delete env.LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK;
    delete env.LINEAGE_URL;
    const r = spawnSync(process.execPath, [path.join(root, "scripts/start.mjs")], { cwd: root, env, encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to listen on HOST=0\.0\.0\.0: authentication is not configured/);
    expect(r.stdout).not.toMatch(/building/);
  });
});
