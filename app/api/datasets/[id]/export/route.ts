import { NextResponse } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { badInput, notFound } from "@/lib/errors";
import { apiRoute, parseOrRefuse, streamedText } from "@/lib/http";
import { findDataset } from "@/lib/inheritance/datasets";
import { candidateLines, datasetCard, isExportFormat, selectionLines } from "@/lib/inheritance/export";
import { selectionReport } from "@/lib/inheritance/report";
import { findSelection } from "@/lib/inheritance/selection";

const exportQuery = z.object({
  id: z.string().min(1).max(64),
  format: z.string().min(1).max(40),
  selection: z.string().min(1).max(64).optional(),
});

// Downloads: ?format=chat|alpaca|prompt-completion (the selected set), ?format=candidates (all, with scores) or
// ?format=card (Markdown); ?selection=<id>, default the selection the dataset was built for.
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(
  async (req, { params }) => {
    const url = new URL(req.url);
    const query = { id: (await params).id, format: url.searchParams.get("format") ?? "chat", selection: url.searchParams.get("selection") ?? undefined };
    const { id, format, selection } = parseOrRefuse(exportQuery, query, () => "bad request: id, format or selection");
    const db = await getDatabase();
    if (!(await findDataset(db, id))) throw notFound("no such dataset");
    const sel = await findSelection(db, id, selection);
    if (!sel) throw notFound("no such selection");
    const stem = `dataset-${id.slice(0, 8)}-${sel.rule === "best" ? `${sel.direction}-${sel.target}` : "random"}`;
    const send = (body: string | ReadableStream<Uint8Array>, type: string, file: string) =>
      new NextResponse(body, {
        headers: { "Content-Type": `${type}; charset=utf-8`, "Content-Disposition": `attachment; filename="${file}"`, "Cache-Control": "no-store" },
      });
    if (format === "card") return send(await datasetCard(db, id, await selectionReport(db, sel.id, { wins: 0 })), "text/markdown", `${stem}-card.md`);
    // The JSON Lines stream page by page (lib/inheritance/export.ts): a dataset of a million candidates included.
    if (format === "candidates") return send(streamedText(candidateLines(db, id, sel.id)), "application/jsonl", `${stem}-candidates.jsonl`);
    if (!isExportFormat(format)) throw badInput(`unknown format "${format}"`);
    return send(streamedText(selectionLines(db, sel.id, format)), "application/jsonl", `${stem}-${format}.jsonl`);
  },
  {
    requires: "viewer",
    audit: (req) => {
      const url = new URL(req.url);
      return {
        action: "export.dataset",
        subjectType: "dataset",
        subjectId: url.pathname.split("/")[3] ?? null,
        detail: { format: url.searchParams.get("format") ?? "chat", selection: url.searchParams.get("selection") },
      };
    },
  },
);
