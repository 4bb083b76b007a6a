import { figureName, figurePdfResponse } from "@/lib/figures/pdf-request";
import { apiRoute } from "@/lib/http";

// A figure as PDF (lib/figures/pdf-request.ts): the browser posts the scene it drew.
export const runtime = "nodejs";

export const POST = apiRoute(async (req) => figurePdfResponse(req), {
  requires: "viewer",
  audit: (req) => ({ action: "export.figure", subjectType: "figure", subjectId: figureName(req), detail: { format: "pdf" } }),
});
