import { cache } from "react";
import { getDatabase } from "@/lib/db/client";
import { resolveShareToken } from "@/lib/share/links";

/** The link of the page's token, looked up once per request (the layout and the page both ask). */
export const lookupLink = cache(async (token: string) => resolveShareToken(await getDatabase(), token));
