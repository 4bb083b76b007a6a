import { compareExport, compareExportOptionsSchema, attachment } from "@/lib/compare/export";
import { compareQuerySchema, lineageContextOf } from "@/lib/compare/params";
import { getDatabase } from "@/lib/db/client";
import { apiRoute, parseOrRefuse } from "@/lib/http";

// The comparison as a file (lib/compare/export.ts): table, manifest or side-by-side samples.
const schema = compareQuerySchema.extend(compareExportOptionsSchema.shape);

export const GET = apiRoute(
  async (req) => {
    const q = parseOrRefuse(schema, Object.fromEntries(new URL(req.url).searchParams), (e) =>
      e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
    const { runs, ref, alpha, correction, ...rest } = q;
    return attachment(
      await compareExport(await getDatabase(), { ...rest, runIds: runs, refId: ref, significance: { alpha, correction }, lineage: lineageContextOf(q) }),
    );
  },
  {
    requires: "viewer",
    audit: (req) => {
      const p = new URL(req.url).searchParams;
      return { action: "export.compare", subjectType: "comparison", subjectId: null, detail: { runs: p.get("runs"), format: p.get("format") } };
    },
  },
);
