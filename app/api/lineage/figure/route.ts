import { getDatabase } from "@/lib/db/client";
import { sceneToPdf } from "@/lib/figures/pdf";
import { sceneToSvg } from "@/lib/figures/svg";
import { apiRoute } from "@/lib/http";
import { familyTreeScene } from "@/lib/models/family-tree";
import { familyTree } from "@/lib/models/family-tree-data";

// The family tree as a figure file, SVG or PDF with embedded fonts (the same layout as the page).
export const GET = apiRoute(
  async (req) => {
    const url = new URL(req.url);
    const metric = url.searchParams.get("metric");
    const pdf = url.searchParams.get("format") === "pdf";
    const scene = familyTreeScene(await familyTree(await getDatabase(), metric && metric.length <= 100 ? metric : null));
    const body = pdf ? await sceneToPdf(scene) : sceneToSvg(scene);
    return new Response(body as BodyInit, {
      headers: {
        "content-type": pdf ? "application/pdf" : "image/svg+xml; charset=utf-8",
        "content-disposition": `attachment; filename="lineage-family-tree.${pdf ? "pdf" : "svg"}"`,
        "cache-control": "no-store",
      },
    });
  },
  {
    requires: "viewer",
    audit: (req) => ({
      action: "export.family_tree",
      subjectType: "figure",
      subjectId: "family-tree",
      detail: { format: new URL(req.url).searchParams.get("format") === "pdf" ? "pdf" : "svg" },
    }),
  },
);
