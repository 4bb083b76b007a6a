import { figureName, figurePdfResponse } from "@/lib/figures/pdf-request";
import { apiRoute } from "@/lib/http";
import { linkAccess, type LinkVisitor } from "@/lib/share/access";

// A reviewer link's figure PDFs (lib/figures/pdf-request.ts), while the link works.
export const runtime = "nodejs";
type Ctx = { params: Promise<{ token: string }> };

export const POST = apiRoute<Ctx, LinkVisitor>(async (req) => figurePdfResponse(req), {
  access: linkAccess,
  audit: (req, _ctx, visitor) => ({
    action: "export.figure",
    subjectType: "share",
    subjectId: visitor.link.id,
    detail: { figure: figureName(req), format: "pdf" },
  }),
});
