import Link from "next/link";
import { FilterSelect } from "@/components/filter-select";
import { Isolate } from "@/components/isolate";
import { enforce } from "@/lib/access/roles";
import { auditActions, auditFilterSchema, listAudit, type AuditFilter } from "@/lib/audit/log";
import { getDatabase } from "@/lib/db/client";
import { formatDateTime } from "@/lib/export/format";

export const metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;

const PAGES: Record<string, string> = { model: "/models/", run: "/runs/", dataset: "/datasets/" };

function href(f: AuditFilter, page: number): string {
  const p = new URLSearchParams();
  for (const k of ["actor", "action", "from", "to"] as const) if (f[k]) p.set(k, f[k]!);
  p.set("page", String(page));
  return `/audit?${p.toString()}`;
}

// Who created, changed, ran, exported, shared or deleted what (lib/audit/log.ts): admins only.
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await enforce("admin");
  const sp = await searchParams;
  const filter = auditFilterSchema.parse(Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const db = await getDatabase();
  const [page, actions] = await Promise.all([listAudit(db, filter), auditActions(db)]);
  const subjects = [...new Set(actions.map((a) => a.split(".")[0]))];
  return (
    <>
      <h1>Audit log</h1>
      <form method="get" action="/audit" className="actions" aria-label="Filter the audit log">
        <label>
          Actor <input type="search" name="actor" defaultValue={filter.actor ?? ""} />
        </label>
        <FilterSelect label="Action" name="action" value={filter.action} options={[...subjects.map((s) => [s, `${s}.*`] as const), ...actions]} />
        <label>
          From <input type="date" name="from" defaultValue={filter.from ?? ""} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={filter.to ?? ""} />
        </label>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      <p className="muted small">
        {page.total} event{page.total === 1 ? "" : "s"}, newest first. Times in UTC.
      </p>
      {page.rows.length === 0 ? (
        <p className="muted">No events{filter.actor || filter.action || filter.from || filter.to ? " match these filters" : " yet"}.</p>
      ) : (
        <table className="data" aria-label="Audit events">
          <thead>
            <tr>
              <th>Time</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Subject</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td className="mono small">{formatDateTime(e.at, { seconds: true })}</td>
                <td>
                  <Isolate>{e.actorName}</Isolate> <span className="muted small">({e.via})</span>
                </td>
                <td className="mono">{e.action}</td>
                <td>
                  {e.subjectType}{" "}
                  {e.subjectId ? (
                    PAGES[e.subjectType] ? (
                      <Link className="mono small" href={`${PAGES[e.subjectType]}${encodeURIComponent(e.subjectId)}`}>
                        {e.subjectId}
                      </Link>
                    ) : (
                      <span className="mono small">{e.subjectId}</span>
                    )
                  ) : null}
                </td>
                <td className="mono small">
                  <Isolate>{e.detail === null ? "" : JSON.stringify(e.detail)}</Isolate>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="actions" aria-label="Audit pages" style={{ marginTop: "0.5rem" }}>
        {page.page > 1 ? <Link href={href(filter, page.page - 1)}>← Newer</Link> : null}
        <span className="muted">
          page {page.page} of {page.pages}
        </span>
        {page.page < page.pages ? <Link href={href(filter, page.page + 1)}>Older →</Link> : null}
      </nav>
    </>
  );
}
