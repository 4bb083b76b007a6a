import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { datasetProgress } from "@/lib/inheritance/datasets";

// Live progress of a dataset for its page (polled by react-query).
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const progress = await datasetProgress(await getDatabase(), id);
  if (!progress) return NextResponse.json({ error: "no such dataset" }, { status: 404 });
  return NextResponse.json(progress, { headers: { "Cache-Control": "no-store" } });
}
