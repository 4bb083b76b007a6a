import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { runMetrics, runProgress } from "@/lib/runs/runs";

// Live progress of a run for the run page (polled by react-query).
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const db = await getDatabase();
  const progress = await runProgress(db, id);
  if (!progress) return NextResponse.json({ error: "no such run" }, { status: 404 });
  return NextResponse.json({ ...progress, metrics: await runMetrics(db, id) }, { headers: { "Cache-Control": "no-store" } });
}
