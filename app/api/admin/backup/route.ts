import { NextResponse } from "next/server";
import { z } from "zod";
import { backupOpenDatabase, redeemLocalToken, TOKEN_HEADER } from "@/lib/db/backup";
import { getDatabase } from "@/lib/db/client";
import { lineageHome } from "@/lib/db/config";
import { apiRoute, parseOrRefuse } from "@/lib/http";

// `lineage db backup` while this dashboard has the embedded database open (lib/db/backup.ts): the caller proves it
// can write into LINEAGE_HOME with a one-time token, then a consistent copy is written to the folder it names.
export const POST = apiRoute(
  async (req) => {
    redeemLocalToken(lineageHome(), req.headers.get(TOKEN_HEADER));
    const { dest } = parseOrRefuse(z.object({ dest: z.string().min(1).max(4096) }), await req.json().catch(() => null));
    const target = await backupOpenDatabase(await getDatabase(), dest);
    return NextResponse.json({ ok: true, target }, { headers: { "Cache-Control": "no-store" } });
  },
  { requires: "admin" },
);
