import Link from "next/link";
import { Isolate } from "@/components/isolate";
import { ShareRevoke } from "@/components/share-revoke";
import { enforce } from "@/lib/access/roles";
import { getDatabase } from "@/lib/db/client";
import { formatDateTime } from "@/lib/export/format";
import { listActiveShareLinks, mayRevoke } from "@/lib/share/links";

export const metadata = { title: "Shared links" };

const when = (d: Date) => `${formatDateTime(d)} UTC`;

// The reviewer links that still work: who made them, for which runs, until when; their maker or an admin revokes.
export default async function SharedLinksPage() {
  const actor = await enforce("viewer");
  const links = await listActiveShareLinks(await getDatabase());
  return (
    <>
      <h1>Shared links</h1>
      <p className="muted">
        Reviewer links open one comparison read-only, without an account, until they expire or are revoked. Make one with <em>Share with a reviewer</em> on a{" "}
        <Link href="/compare">comparison</Link>. A link&apos;s address is shown only when it is made: the dashboard keeps a hash of it, not the address.
      </p>
      {links.length === 0 ? (
        <p className="muted">No active links.</p>
      ) : (
        <table className="data" aria-label="Active links">
          <thead>
            <tr>
              <th>Label</th>
              <th>Runs</th>
              <th>Made by</th>
              <th>Made</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {links.map((l) => (
              <tr key={l.id} data-link={l.id}>
                <td>{l.label ? <Isolate>{l.label}</Isolate> : <span className="muted">no label</span>}</td>
                <td>
                  {l.runIds.map((id, i) => (
                    <span key={id}>
                      {i ? ", " : ""}
                      <Isolate>{l.runNames[i]}</Isolate>
                    </span>
                  ))}{" "}
                  <Link className="small" href={`/compare?runs=${l.runIds.map(encodeURIComponent).join(",")}&ref=${encodeURIComponent(l.options.refId)}`}>
                    compare
                  </Link>
                </td>
                <td>
                  <Isolate>{l.createdByName}</Isolate>
                </td>
                <td>{when(l.createdAt)}</td>
                <td>{when(l.expiresAt)}</td>
                <td>{mayRevoke(l, actor) ? <ShareRevoke linkId={l.id} label={l.label || "link"} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
