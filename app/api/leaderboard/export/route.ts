import { getDatabase } from "@/lib/db/client";
import { apiRoute } from "@/lib/http";
import { leaderboard, leaderboardCsv, leaderboardLatex, leaderboardParams } from "@/lib/leaderboard";

// The leaderboard as CSV or LaTeX, for the same view (category, lineage, sort) as the page.
export const GET = apiRoute(
  async (req) => {
    const url = new URL(req.url);
    const format = url.searchParams.get("format") === "latex" ? "latex" : "csv";
    const board = await leaderboard(await getDatabase(), leaderboardParams.parse(Object.fromEntries(url.searchParams)));
    const body = format === "latex" ? leaderboardLatex(board) : leaderboardCsv(board);
    return new Response(body, {
      headers: {
        "content-type": format === "latex" ? "application/x-latex; charset=utf-8" : "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="lineage-leaderboard-${board.params.category}.${format === "latex" ? "tex" : "csv"}"`,
        "cache-control": "no-store",
      },
    });
  },
  {
    requires: "viewer",
    audit: (req) => {
      const p = new URL(req.url).searchParams;
      return {
        action: "export.leaderboard",
        subjectType: "leaderboard",
        subjectId: null,
        detail: { format: p.get("format") === "latex" ? "latex" : "csv", category: p.get("category") },
      };
    },
  },
);
