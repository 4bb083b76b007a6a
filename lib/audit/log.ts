// The audit log: who created, changed, ran, exported, shared or deleted what (issue 14). Rows are written by the
// action wrappers (lib/actions.ts), the API route wrapper (lib/http.ts) and the CLI — never by the handlers — and
// read by the admin's /audit page and `lineage audit`.
import { z } from "zod";
import type { Database } from "@/lib/db/client";

/** Who did it: a lib/access/roles.ts Actor, a reviewer link ("link") or the command line ("cli"). */
export interface AuditActor {
  userId: string | null;
  name: string;
  via: string;
}

/** What was done to what. `detail` is short and never holds secrets (keys named like one are dropped anyway). */
export interface AuditEntry {
  /** `<subject>.<verb>`, e.g. model.create, run.start, export.compare, share.revoke */
  action: string;
  subjectType: string;
  subjectId?: string | null;
  detail?: Record<string, unknown> | null;
}

export const CLI_ACTOR: AuditActor = { userId: null, name: "cli", via: "cli" };

const SECRET_KEY = /key|secret|password|passwd|token|auth|cookie|credential/i;
const MAX_STRING = 300;

/** The detail as stored: no field named like a secret (at any depth), strings cut, at most 40 fields per object. */
export function scrubDetail(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= 3) return null;
  if (Array.isArray(value)) return value.slice(0, 40).map((v) => scrubDetail(v, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 40)) if (!SECRET_KEY.test(k) && !(v instanceof File)) out[k] = scrubDetail(v, depth + 1);
    return out;
  }
  return null;
}

export async function recordAudit(db: Database, actor: AuditActor, entry: AuditEntry, at = new Date()): Promise<void> {
  const detail = entry.detail ? scrubDetail(entry.detail) : null;
  await db.prisma.auditEvent.create({
    data: {
      at,
      actorName: actor.name.slice(0, 200),
      actorId: actor.userId,
      via: actor.via,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId ?? null,
      detail: detail === null ? undefined : (detail as object),
    },
  });
}

/**
 * Records, but an audit row that cannot be written never undoes or fails what was already done: it is logged
 * (action and subject only) for the operator instead.
 */
export async function tryRecordAudit(db: () => Promise<Database>, actor: AuditActor, entry: AuditEntry): Promise<void> {
  try {
    await recordAudit(await db(), actor, entry);
  } catch (err) {
    console.error(`audit log: could not record ${entry.action} ${entry.subjectType} ${entry.subjectId ?? ""}: ${(err as Error).message}`);
  }
}

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(200).optional().catch(undefined),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,60}$/)
    .optional()
    .catch(undefined),
  /** YYYY-MM-DD (UTC), inclusive */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export interface AuditRow {
  id: string;
  at: Date;
  actorName: string;
  actorId: string | null;
  via: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail: unknown;
}

export const AUDIT_PAGE_SIZE = 50;

function whereOf(f: AuditFilter) {
  const at: { gte?: Date; lt?: Date } = {};
  if (f.from) at.gte = new Date(`${f.from}T00:00:00Z`);
  // `to` is inclusive: up to the end of that day.
  if (f.to) at.lt = new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000);
  return {
    ...(f.actor ? { actorName: { contains: f.actor, mode: "insensitive" as const } } : {}),
    // An action filter of "model" matches model.create, model.update…; "model.update" only that one.
    ...(f.action ? (f.action.includes(".") ? { action: f.action } : { action: { startsWith: `${f.action}.` } }) : {}),
    ...(f.from || f.to ? { at } : {}),
  };
}

/** One page of events, newest first, with the total for the pager. */
export async function listAudit(
  db: Database,
  filter: AuditFilter,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<{ rows: AuditRow[]; total: number; page: number; pages: number }> {
  const where = whereOf(filter);
  const total = await db.prisma.auditEvent.count({ where });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filter.page, pages);
  const rows = await db.prisma.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize });
  return { rows: rows.map((r) => ({ ...r, id: r.id.toString() })), total, page, pages };
}

/** The actions recorded so far, for the filter's choices. */
export async function auditActions(db: Database): Promise<string[]> {
  const rows = await db.prisma.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}

/** Where a form's action went on success: the result it returned, or the page it redirected to. */
export interface AuditOutcome<T = unknown> {
  data?: T;
  location?: string;
}

/**
 * What an action wrapper records after a successful handler: an action name (its subject type is the part before
 * the dot, its subject the input's `id`, else the result's `id`, else the last part of the page it redirected to),
 * or the parts spelt out.
 */
export type ActionAudit<I, T = unknown> =
  | string
  | {
      action: string | ((input: I) => string);
      subject?: string;
      id?: (input: I, done: AuditOutcome<T>) => string | null | undefined;
      detail?: (input: I, done: AuditOutcome<T>) => Record<string, unknown> | null;
    };

function idOf(v: unknown): string | null {
  return v && typeof v === "object" && "id" in v && typeof v.id === "string" ? v.id : null;
}

export function auditEntryOf<I, T>(spec: ActionAudit<I, T>, input: I, done: AuditOutcome<T>): AuditEntry {
  const s = typeof spec === "string" ? { action: spec } : spec;
  const action = typeof s.action === "function" ? s.action(input) : s.action;
  const segments = (done.location ?? "").split(/[?#]/)[0].split("/").filter(Boolean);
  const fromLocation = segments.length >= 2 ? decodeURIComponent(segments[segments.length - 1]) : null;
  const subjectId = s.id ? s.id(input, done) : (idOf(input) ?? idOf(done.data) ?? fromLocation);
  return { action, subjectType: s.subject ?? action.split(".")[0], subjectId: subjectId ?? null, detail: s.detail ? s.detail(input, done) : null };
}
