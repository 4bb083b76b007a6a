import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { apiRoute } from "@/lib/http";
import { linkAccess, sharedPaired, type LinkVisitor } from "@/lib/share/access";

// A reviewer link's paired statistics (its runs against its reference), for its table and figures.
type Ctx = { params: Promise<{ token: string }> };

export const GET = apiRoute<Ctx, LinkVisitor>(
  async (req, _ctx, visitor) =>
    NextResponse.json(await sharedPaired(await getDatabase(), visitor.link, Object.fromEntries(new URL(req.url).searchParams)), {
      headers: { "Cache-Control": "no-store" },
    }),
  { access: linkAccess },
);
