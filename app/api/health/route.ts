import { NextResponse } from "next/server";
import { healthReport } from "@/lib/db/health";

// Reports the database mode, whether it is healthy and the migration state; 503 when the database cannot be used.
export async function GET() {
  const { status, body } = await healthReport();
  return NextResponse.json(body, { status });
}
