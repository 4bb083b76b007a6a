// Reviewer links: a read-only view of one comparison for someone without an account (issue 14).
//
// The link's URL carries a random 256-bit token; the database keeps only its SHA-256. Every request looks the row
// up anyway (a link can be revoked, and it expires), so a signature would add nothing a database lookup does not
// already check, while a stored hash means a copy of the database (a backup, a dump) opens no link, and the links do
// not depend on LINEAGE_SECRET_KEY (rotating that key, or a process with a different one, would otherwise break
// every link or, worse, let whoever holds the key mint links without a row).
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { hashToken, newSecretToken } from "@/lib/access/secret-token";
import { badInput } from "@/lib/errors";
import type { Significance } from "@/lib/compare/verdicts";
import type { LineageContext } from "@/lib/compare/params";

import { MAX_LABEL } from "./choices";

export { MAX_LABEL, SHARE_EXPIRY_DAYS } from "./choices";

/** The token in a link's URL: 32 random bytes, base64url (43 characters). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** What the link fixes besides its runs: the reference, the significance settings, the lineage it was laid out from. */
export const shareOptionsSchema = z.object({
  refId: id,
  alpha: z.number().positive().max(0.5),
  correction: z.enum(["holm", "bh", "none"]),
  lineage: z.union([z.object({ derivationId: id }), z.object({ baseModelId: id })]).nullable(),
});
export type ShareOptions = z.infer<typeof shareOptionsSchema>;

export interface ShareLinkRow {
  id: string;
  label: string;
  runIds: string[];
  options: ShareOptions;
  createdByName: string;
  createdById: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedByName: string | null;
}

/** Who makes or revokes a link (lib/access/roles.ts Actor). */
export interface ShareActor {
  userId: string | null;
  name: string;
}

function rowOf(r: Omit<ShareLinkRow, "options"> & { options: unknown }): ShareLinkRow {
  return { ...r, options: shareOptionsSchema.parse(r.options) };
}

export interface CreateShareInput {
  runIds: string[];
  refId: string;
  significance: Significance;
  lineage: LineageContext | null;
  label: string;
  /** When the link stops working. */
  expiresAt: Date;
}

/**
 * Stores a link for these runs (which must exist and be at least two) and returns it with its token: the only time
 * the token exists outside the visitor's URL.
 */
export async function createShareLink(db: Database, input: CreateShareInput, by: ShareActor): Promise<{ link: ShareLinkRow; token: string }> {
  const runIds = [...new Set(input.runIds)];
  if (runIds.length < 2) throw badInput("A shared comparison needs at least two runs.");
  const found = await db.prisma.run.findMany({ where: { id: { in: runIds } }, select: { id: true } });
  const missing = runIds.filter((r) => !found.some((f) => f.id === r));
  if (missing.length) throw badInput(`Unknown run${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
  const refId = runIds.includes(input.refId) ? input.refId : runIds[0];
  // The reference first, as the comparison lays it out.
  const ordered = [refId, ...runIds.filter((r) => r !== refId)];
  const options: ShareOptions = { refId, alpha: input.significance.alpha, correction: input.significance.correction, lineage: input.lineage };
  const token = newSecretToken();
  const row = await db.prisma.shareLink.create({
    data: {
      tokenHash: hashToken(token),
      label: input.label.trim().slice(0, MAX_LABEL),
      runIds: ordered,
      options,
      createdByName: by.name,
      createdById: by.userId,
      expiresAt: input.expiresAt,
    },
  });
  return { link: rowOf(row), token };
}

export type ShareLookup = { state: "active"; link: ShareLinkRow } | { state: "expired" | "revoked"; link: ShareLinkRow } | { state: "unknown" };

/** The link a token opens, and whether it still works (`now` for tests). A malformed token is unknown. */
export async function resolveShareToken(db: Database, token: string, now = new Date()): Promise<ShareLookup> {
  if (!TOKEN_PATTERN.test(token)) return { state: "unknown" };
  const row = await db.prisma.shareLink.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row) return { state: "unknown" };
  const link = rowOf(row);
  if (link.revokedAt) return { state: "revoked", link };
  if (link.expiresAt.getTime() <= now.getTime()) return { state: "expired", link };
  return { state: "active", link };
}

/** Links that still work, newest first, with the names of their runs (a deleted run is named by its id). */
export async function listActiveShareLinks(db: Database, now = new Date()): Promise<(ShareLinkRow & { runNames: string[] })[]> {
  const rows = (await db.prisma.shareLink.findMany({ where: { revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" }, take: 500 })).map(
    rowOf,
  );
  const runs = await db.prisma.run.findMany({
    where: { id: { in: [...new Set(rows.flatMap((r) => r.runIds))] } },
    select: { id: true, name: true, model: { select: { name: true } } },
  });
  const nameOf = new Map(runs.map((r) => [r.id, r.name && r.name !== r.model.name ? `${r.model.name} (${r.name})` : r.model.name]));
  return rows.map((r) => ({ ...r, runNames: r.runIds.map((id) => nameOf.get(id) ?? `deleted run ${id}`) }));
}

export async function getShareLink(db: Database, linkId: string): Promise<ShareLinkRow | null> {
  const row = await db.prisma.shareLink.findUnique({ where: { id: linkId } });
  return row ? rowOf(row) : null;
}

/** Whether this actor may revoke the link: its maker, or an admin. */
export function mayRevoke(link: Pick<ShareLinkRow, "createdById" | "createdByName">, actor: ShareActor & { role: string }): boolean {
  if (actor.role === "admin") return true;
  return link.createdById !== null ? link.createdById === actor.userId : link.createdByName === actor.name;
}

/** Revokes a link (idempotent: a revoked link keeps its first revocation). False when there is no such link. */
export async function revokeShareLink(db: Database, linkId: string, by: ShareActor, now = new Date()): Promise<boolean> {
  const { count } = await db.prisma.shareLink.updateMany({ where: { id: linkId, revokedAt: null }, data: { revokedAt: now, revokedByName: by.name } });
  if (count) return true;
  return (await db.prisma.shareLink.count({ where: { id: linkId } })) > 0;
}

/** The page a token opens. */
export function sharePath(token: string): string {
  return `/share/${token}`;
}

/** The origin links are given out at: LINEAGE_URL when set, else the address the request came to. */
export function shareOrigin(host: string | null, proto: string | null, env: Record<string, string | undefined> = process.env): string {
  const configured = env.LINEAGE_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return `${proto === "https" ? "https" : "http"}://${host ?? "127.0.0.1"}`;
}

/** When a link chosen to last `days` from `now` stops working. */
export function expiryOf(days: number, now = new Date()): Date {
  return new Date(now.getTime() + days * 86_400_000);
}
