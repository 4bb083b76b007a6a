import { getDatabase } from "@/lib/db/client";
import { apiRoute } from "@/lib/http";
import { familyTree } from "@/lib/models/family-tree-data";
import { familyTreeSvg } from "@/lib/models/family-tree";

// The family tree as a standalone SVG file (the same layout as the page).
export const GET = apiRoute(async (req) => {
  const url = new URL(req.url);
  const metric = url.searchParams.get("metric");
  const layout = await familyTree(await getDatabase(), metric && metric.length <= 100 ? metric : null);
  return new Response(familyTreeSvg(layout), {
    headers: { "content-type": "image/svg+xml; charset=utf-8", "content-disposition": 'attachment; filename="lineage-family-tree.svg"', "cache-control": "no-store" },
  });
}, { requires: "viewer" });
