import type { Metadata } from "next";
import type { ReactNode } from "react";
import { formatDateTime } from "@/lib/export/format";
import { lookupLink } from "./lookup";

// A reviewer link's pages: not indexed, and the token in the address is not sent on as a referrer.
export const metadata: Metadata = { title: "Shared comparison", robots: { index: false, follow: false }, referrer: "no-referrer" };

/**
 * Says why a link no longer opens above its page's not-found answer (the page answers 404 for an unknown, expired
 * or revoked link; the API routes answer 410 for the last two).
 */
export default async function ShareLayout({ children, params }: { children: ReactNode; params: Promise<{ token: string }> }) {
  const found = await lookupLink((await params).token);
  const reason =
    found.state === "expired"
      ? `This reviewer link expired on ${formatDateTime(found.link.expiresAt)} UTC.`
      : found.state === "revoked"
        ? "This reviewer link was revoked by the person who shared it."
        : null;
  return (
    <>
      {reason ? (
        <p className="alert error" role="alert" data-testid="share-gone">
          {reason}
        </p>
      ) : null}
      {children}
    </>
  );
}
