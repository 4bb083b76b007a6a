import { NextResponse } from "next/server";
import { CLI_ACTOR } from "@/lib/audit/log";
import { redeemLocalToken, TOKEN_HEADER } from "@/lib/db/backup";
import { getDatabase } from "@/lib/db/client";
import { lineageHome } from "@/lib/db/config";
import { apiRoute } from "@/lib/http";
import { listRunRows } from "@/lib/runs/runs";

// `lineage runs list` while this dashboard has the embedded database open (lib/cli/runs-list.ts): the caller is the
// local command line, recognised by the one-time token it wrote into LINEAGE_HOME, as for the backup.
export const GET = apiRoute(async () => NextResponse.json({ runs: await listRunRows(await getDatabase()) }, { headers: { "Cache-Control": "no-store" } }), {
  access: async (req) => {
    redeemLocalToken(lineageHome(), req.headers.get(TOKEN_HEADER));
    return CLI_ACTOR;
  },
});
