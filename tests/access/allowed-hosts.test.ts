// Which requests the dashboard answers (proxy.ts): the Host must name it — a loopback name on the served port, or
// LINEAGE_URL — which stops DNS rebinding; a state-changing request must come from one of those origins or none.
import { describe, expect, it } from "vitest";
import { accessConfig, isAllowedHost, parseHost, refusalOf } from "@/lib/access/allowed-hosts";

const local = accessConfig({ PORT: "3000" });
const site = accessConfig({ PORT: "3000", LINEAGE_URL: "https://lineage.example.org" });
const get = (host: string | null, extra: Partial<Parameters<typeof refusalOf>[0]> = {}) =>
  refusalOf({ method: "GET", host, forwardedHost: null, origin: null, ...extra }, local);

describe("the Host allow-list", () => {
  it("accepts loopback names on the served port only", () => {
    for (const h of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "LOCALHOST:3000"]) expect(isAllowedHost(h, local), h).toBe(true);
    for (const h of ["localhost:3001", "localhost", "127.0.0.2:3000", "attacker.example:3000", "attacker.example", "0.0.0.0:3000", "192.0.2.2:3000"])
      expect(isAllowedHost(h, local), h).toBe(false);
    // Port 80 is implied when a browser leaves it out.
    expect(isAllowedHost("localhost", accessConfig({ PORT: "80" }))).toBe(true);
  });

  it("refuses host values a URL parser would misread", () => {
    expect(parseHost("evil.example@localhost:3000")).toBeNull();
    expect(isAllowedHost("evil.example@localhost:3000", local)).toBe(false);
    expect(isAllowedHost("localhost:3000/x", local)).toBe(false);
    expect(isAllowedHost("localhost:3000 ", local)).toBe(true);
  });

  it("accepts the configured origin LINEAGE_URL, with or without its default port", () => {
    expect(isAllowedHost("lineage.example.org", site)).toBe(true);
    expect(isAllowedHost("lineage.example.org:443", site)).toBe(true);
    expect(isAllowedHost("lineage.example.org:80", site)).toBe(false);
    expect(isAllowedHost("other.example.org", site)).toBe(false);
    expect(isAllowedHost("localhost:3000", site)).toBe(true);
    const withPort = accessConfig({ PORT: "3000", LINEAGE_URL: "http://10.0.0.5:8080/" });
    expect(isAllowedHost("10.0.0.5:8080", withPort)).toBe(true);
    expect(isAllowedHost("10.0.0.5", withPort)).toBe(false);
  });

  it("refuses a rebinding request (Host and Origin both the attacker's) and a forged X-Forwarded-Host", () => {
    expect(get("localhost:3000")).toBeNull();
    expect(get("attacker.example:3000")).toMatch(/^Forbidden/);
    expect(get(null)).toMatch(/^Forbidden/);
    expect(refusalOf({ method: "POST", host: "attacker.example:3000", forwardedHost: null, origin: "http://attacker.example:3000" }, local)).toMatch(
      /^Forbidden/,
    );
    expect(get("127.0.0.1:3000", { forwardedHost: "attacker.example:3000" })).toMatch(/^Forbidden/);
    expect(get("127.0.0.1:3000", { forwardedHost: "127.0.0.1:3000" })).toBeNull();
  });

  it("refuses a cross-site POST, accepts a same-origin one and one without Origin (scripts)", () => {
    const post = (origin: string | null) => refusalOf({ method: "POST", host: "127.0.0.1:3000", forwardedHost: null, origin }, local);
    expect(post("http://127.0.0.1:3000")).toBeNull();
    expect(post("http://localhost:3000")).toBeNull();
    expect(post(null)).toBeNull();
    expect(post("http://evil.example")).toBe("Forbidden: cross-site request refused.\n");
    expect(post("http://localhost:8080")).toMatch(/cross-site/);
    expect(post("null")).toMatch(/cross-site/);
    // A GET may come from anywhere (links); it changes nothing.
    expect(refusalOf({ method: "GET", host: "127.0.0.1:3000", forwardedHost: null, origin: "http://evil.example" }, local)).toBeNull();
    expect(refusalOf({ method: "POST", host: "lineage.example.org", forwardedHost: null, origin: "https://lineage.example.org" }, site)).toBeNull();
  });
});
