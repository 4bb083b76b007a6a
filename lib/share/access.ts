// What a reviewer link's visitor may reach: only the link's comparison. Its pages and routes (app/share/[token],
// app/api/share/[token]) call no enforce(): the token is the visitor's only credential, checked here on every
// request, and every read takes its runs and settings from the stored link, never from the request (a `runs=` in
// the URL is ignored).
import { z } from "zod";
import { compareExport, compareExportOptionsSchema, type ExportFile } from "@/lib/compare/export";
import { pairedBatch, pairedMetricsSchema } from "@/lib/compare/paired-batch";
import type { AuditActor } from "@/lib/audit/log";
import { getDatabase, type Database } from "@/lib/db/client";
import { gone, notFound } from "@/lib/errors";
import { parseOrRefuse } from "@/lib/http";
import { resolveShareToken, type ShareLinkRow } from "./links";
import { formatDateTime } from "@/lib/export/format";

/** The caller of a link's route: the link itself (what the audit log names). */
export interface LinkVisitor extends AuditActor {
  via: "link";
  link: ShareLinkRow;
}

export function visitorOf(link: ShareLinkRow): LinkVisitor {
  return { userId: null, name: `reviewer link ${link.label ? `"${link.label}"` : link.id} (by ${link.createdByName})`, via: "link", link };
}

/** The link of a token that still works, or a not_found (no such link) / gone (expired, revoked) error. */
export async function activeLink(db: Database, token: string, now = new Date()): Promise<ShareLinkRow> {
  const found = await resolveShareToken(db, token, now);
  if (found.state === "unknown") throw notFound("No such reviewer link.");
  if (found.state === "expired") throw gone(`This reviewer link expired on ${formatDateTime(found.link.expiresAt)} UTC.`);
  if (found.state === "revoked") throw gone("This reviewer link was revoked.");
  return found.link;
}

/** The link's comparison settings as the compare code takes them. */
export function comparisonOf(link: ShareLinkRow) {
  const { refId, alpha, correction, lineage } = link.options;
  return { runIds: link.runIds, refId, significance: { alpha, correction }, lineage };
}

const exportQuery = compareExportOptionsSchema.pick({ format: true, metric: true, diff: true, dir: true, bench: true });

/** An export of the link's comparison: the query chooses only the format and the samples' metric and order. */
export async function sharedExport(db: Database, link: ShareLinkRow, query: Record<string, string>): Promise<ExportFile> {
  const q = parseOrRefuse(exportQuery, query);
  return compareExport(db, { ...comparisonOf(link), ...q, memberIds: false });
}

const pairedQuery = z.object({ metrics: pairedMetricsSchema });

/** Paired statistics of the link's runs against its reference. */
export async function sharedPaired(db: Database, link: ShareLinkRow, query: Record<string, string>): Promise<Record<string, unknown>> {
  const { metrics } = parseOrRefuse(pairedQuery, query);
  const c = comparisonOf(link);
  return pairedBatch(db, c.runIds, c.refId, metrics);
}

/** apiRoute's `access` for /api/share/<token>/…: the visitor is the link its token opens, if it still works. */
export async function linkAccess(_req: Request, ctx: { params: Promise<{ token: string }> }): Promise<LinkVisitor> {
  return visitorOf(await activeLink(await getDatabase(), (await ctx.params).token));
}
