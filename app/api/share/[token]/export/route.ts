import { attachment } from "@/lib/compare/export";
import { getDatabase } from "@/lib/db/client";
import { apiRoute } from "@/lib/http";
import { linkAccess, sharedExport, type LinkVisitor } from "@/lib/share/access";

// A reviewer link's table, manifest and samples downloads: its own runs only (lib/share/access.ts). No sign-in:
// the token is the credential, checked on every request (404 unknown, 410 expired or revoked).
type Ctx = { params: Promise<{ token: string }> };

export const GET = apiRoute<Ctx, LinkVisitor>(
  async (req, _ctx, visitor) => attachment(await sharedExport(await getDatabase(), visitor.link, Object.fromEntries(new URL(req.url).searchParams))),
  {
    access: linkAccess,
    audit: (req, _ctx, visitor) => ({
      action: "export.compare",
      subjectType: "share",
      subjectId: visitor.link.id,
      detail: { runs: visitor.link.runIds.join(","), format: new URL(req.url).searchParams.get("format") },
    }),
  },
);
