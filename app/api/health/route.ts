import { NextResponse } from "next/server";
import { currentMigrationState, describeMigrationProblem, getDatabase } from "@/lib/db/client";

// Reports the database mode and migration state; 503 when the database cannot be used.
export async function GET() {
  try {
    const db = await getDatabase();
    const migrations = await currentMigrationState();
    const problem = describeMigrationProblem(migrations);
    return NextResponse.json(
      {
        status: problem ? "degraded" : "ok",
        database: { mode: db.mode, location: db.location },
        migrations: { state: problem ? "out-of-date" : "up-to-date", ...migrations, problem },
      },
      { status: problem ? 503 : 200 },
    );
  } catch (err) {
    return NextResponse.json({ status: "error", error: (err as Error).message }, { status: 503 });
  }
}
