// Without JavaScript, nobody fetches the compare table's paired statistics: the server computes them in the
// background (lib/compare/table.ts pairedProgress) and this note, only shown without scripts, says how far it is
// and reloads the page until they are all in. With JavaScript the table fills in by itself and this shows nothing.
import Link from "next/link";
import type { PairedProgress } from "@/lib/compare/table";

const RELOAD_SECONDS = 3;

export function PairedProgressNote({ progress, href }: { progress: PairedProgress; href: string }) {
  if (progress.done >= progress.total) return null;
  return (
    <>
      <noscript>
        {progress.error ? (
          <p className="alert error" role="alert" data-testid="paired-progress">
            Paired statistics failed: {progress.error}. <Link href={href}>Try again</Link>
          </p>
        ) : (
          <p className="alert info" role="status" data-testid="paired-progress">
            Computing paired statistics: {progress.done} of {progress.total} metrics done. This page reloads itself every {RELOAD_SECONDS} s until the verdicts
            are in, or <Link href={href}>reload it</Link>.
          </p>
        )}
      </noscript>
      {progress.error ? null : (
        // A constant tag as raw HTML: React would hoist a <meta> element out of the <noscript> into the head, where it
        // would reload the page with JavaScript too.
        // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant string, nothing from a user or a model
        <noscript dangerouslySetInnerHTML={{ __html: `<meta http-equiv="refresh" content="${RELOAD_SECONDS}">` }} />
      )}
    </>
  );
}
