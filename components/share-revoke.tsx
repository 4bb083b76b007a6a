"use client";
import { useActionState } from "react";
import { revokeShareLinkAction } from "@/app/share/actions";
import type { Notice } from "@/lib/forms";

/** A reviewer link's Revoke button (a plain form post: works without JavaScript). */
export function ShareRevoke({ linkId, label }: { linkId: string; label: string }) {
  const [notice, action, pending] = useActionState<Notice, FormData>(revokeShareLinkAction, null);
  return (
    <form action={action} aria-label={`Revoke ${label}`}>
      <input type="hidden" name="id" value={linkId} />
      <button type="submit" className="danger" disabled={pending}>
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {notice ? (
        <span className={notice.ok ? "muted small" : "alert error"} role={notice.ok ? "status" : "alert"}>
          {" "}
          {notice.message}
        </span>
      ) : null}
    </form>
  );
}
