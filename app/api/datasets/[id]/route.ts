import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { datasetProgress } from "@/lib/inheritance/datasets";

// Live progress of a dataset for its page (polled by react-query).
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(
  async (_req, { params }) => {
    const { id } = await params;
    const progress = await datasetProgress(await getDatabase(), id);
    if (!progress) throw notFound("no such dataset");
    return NextResponse.json(progress, { headers: { "Cache-Control": "no-store" } });
  },
  { requires: "viewer" },
);
