import { NextResponse } from "next/server";
import { z } from "zod";
import { CLI_ACTOR } from "@/lib/audit/log";
import { backupOpenDatabase, redeemLocalToken, TOKEN_HEADER } from "@/lib/db/backup";
import { getDatabase } from "@/lib/db/client";
import { lineageHome } from "@/lib/db/config";
import { apiRoute, parseOrRefuse } from "@/lib/http";

// `lineage db backup` while this dashboard has the embedded database open (lib/db/backup.ts). The caller is the
// local command line, recognised by the one-time token it wrote into LINEAGE_HOME (an admin's act: whoever can write
// there owns the database anyway), not by a session; then a consistent copy is written to the folder it names.
export const POST = apiRoute(
  async (req) => {
    const { dest } = parseOrRefuse(z.object({ dest: z.string().min(1).max(4096) }), await req.json().catch(() => null));
    const target = await backupOpenDatabase(await getDatabase(), dest);
    return NextResponse.json({ ok: true, target }, { headers: { "Cache-Control": "no-store" } });
  },
  {
    access: async (req) => {
      redeemLocalToken(lineageHome(), req.headers.get(TOKEN_HEADER));
      return CLI_ACTOR;
    },
    audit: (_req, _ctx) => ({ action: "database.backup", subjectType: "database" }),
  },
);
