import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { completedStamp } from "@/lib/runs/run-cache";
import { runMetrics, runProgress } from "@/lib/runs/runs";

// Live progress of a run for the run page (polled by react-query).
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(
  async (_req, { params }) => {
    const { id } = await params;
    const db = await getDatabase();
    const progress = await runProgress(db, id);
    if (!progress) throw notFound("no such run");
    const metrics = await runMetrics(db, id, completedStamp(progress));
    return NextResponse.json({ ...progress, metrics }, { headers: { "Cache-Control": "no-store" } });
  },
  { requires: "viewer" },
);
