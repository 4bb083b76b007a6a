import { auditFilterSchema, listAudit } from "@/lib/audit/log";
import { badInput } from "@/lib/errors";
import { withDatabase } from "./database";
import type { Action } from "./program";

/** `lineage audit`: the audit log with the /audit page's filters, one event a line (or JSON). */
export const auditAction: Action = async (opts, _args, io) => {
  for (const k of ["from", "to"] as const)
    if (opts[k] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(opts[k]))) throw badInput(`--${k}: a day as YYYY-MM-DD`);
  const filter = auditFilterSchema.parse({ actor: opts.actor, action: opts.action, from: opts.from, to: opts.to, page: opts.page ?? 1 });
  return withDatabase(async (db) => {
    const page = await listAudit(db, filter);
    if (opts.json) io.stdout.write(JSON.stringify({ ...page, rows: page.rows.map((r) => ({ ...r, at: r.at.toISOString() })) }) + "\n");
    else {
      for (const r of page.rows)
        io.stdout.write(
          `${r.at.toISOString()}  ${r.actorName} (${r.via})  ${r.action}  ${r.subjectType}${r.subjectId ? ` ${r.subjectId}` : ""}${r.detail ? `  ${JSON.stringify(r.detail)}` : ""}\n`,
        );
      io.stderr.write(`page ${page.page} of ${page.pages} · ${page.total} event${page.total === 1 ? "" : "s"}\n`);
    }
    return 0;
  });
};
