// What passes the sign-in gate without a session (proxy.ts): the command line's /api/admin/ routes authenticate with
// the one-time token written into LINEAGE_HOME instead, so a dashboard with accounts still answers `lineage runs list`
// and `lineage db backup`; everything else of the API and every page needs a session or an API token.
import { describe, expect, it } from "vitest";
import { isPublicPath } from "@/lib/access/public-paths";

describe("isPublicPath", () => {
  it("lets the sign-in pages, health, reviewer links and the local command line's routes through", () => {
    for (const p of ["/sign-in", "/setup", "/api/health", "/api/auth/callback/oidc", "/share/abc", "/api/admin/runs", "/api/admin/backup"])
      expect(isPublicPath(p), p).toBe(true);
  });
  it("keeps everything else behind sign-in", () => {
    for (const p of ["/", "/runs", "/admin", "/api/admin", "/api/runs/x", "/api/administer", "/users", "/api/datasets/d/export"])
      expect(isPublicPath(p), p).toBe(false);
  });
});
