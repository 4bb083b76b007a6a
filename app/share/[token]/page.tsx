import { notFound } from "next/navigation";
import { ComparisonView } from "@/components/comparison-view";
import { shareEndpoints } from "@/lib/compare/endpoints";
import { buildComparison } from "@/lib/compare/table";
import { getDatabase } from "@/lib/db/client";
import { formatDateTime } from "@/lib/export/format";
import { Isolate } from "@/components/isolate";
import { comparisonOf } from "@/lib/share/access";
import { lookupLink } from "./lookup";

type Search = Record<string, string | string[] | undefined>;

// A reviewer link: the comparison it was made for, read-only, without sign-in (no enforce(): the token is the
// visitor's credential) and without the dashboard's navigation. Runs and settings come from the link, never from
// the address (lib/share/access.ts); the address only chooses the samples' and figures' view.
export default async function SharedComparisonPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Search> }) {
  const { token } = await params;
  const found = await lookupLink(token);
  if (found.state !== "active") notFound();
  const { link } = found;
  const db = await getDatabase();
  const c = comparisonOf(link);
  const cmp = await buildComparison(db, { runIds: c.runIds, refId: c.refId, significance: c.significance });
  return (
    <>
      <h1>{link.label ? <Isolate>{link.label}</Isolate> : "Shared comparison"}</h1>
      <p className="muted" data-testid="share-meta">
        Shared by <Isolate>{link.createdByName}</Isolate> · read-only · this link works until {formatDateTime(link.expiresAt)} UTC
      </p>
      {cmp.runs.length < 2 ? (
        <p className="alert error" role="alert">
          The runs of this comparison have been deleted.
        </p>
      ) : (
        <ComparisonView db={db} cmp={cmp} lineage={c.lineage} significance={c.significance} sp={await searchParams} endpoints={shareEndpoints(token)} />
      )}
    </>
  );
}
