"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { formAction, reportAction, type FormState } from "@/lib/actions";
import { lineageContextOf, runListSchema, significanceSchema } from "@/lib/compare/params";
import { getDatabase } from "@/lib/db/client";
import { LineageError } from "@/lib/errors";
import { formText, recordId } from "@/lib/forms";
import { createShareLink, expiryOf, getShareLink, MAX_LABEL, mayRevoke, revokeShareLink, SHARE_EXPIRY_DAYS, shareOrigin, sharePath } from "@/lib/share/links";

/** A link names its maker: an action anyone may run has no caller (never so for these, which need an editor). */
const signedOut = () => new LineageError("no caller", { kind: "forbidden", userMessage: "Sign in to share or revoke links." });

export type ShareFormState = FormState<{ id: string; url: string; expiresAt: string }>;

const shareSchema = z
  .object({
    runs: runListSchema,
    ref: recordId.optional(),
    lineage: recordId.optional(),
    base: recordId.optional(),
    days: z.coerce
      .number()
      .int()
      .refine((d) => (SHARE_EXPIRY_DAYS as readonly number[]).includes(d), `Choose ${SHARE_EXPIRY_DAYS.join(", ")} days.`),
    label: formText(MAX_LABEL, `At most ${MAX_LABEL} characters.`),
  })
  .extend(significanceSchema.shape);

/** Makes a reviewer link for the comparison of the form's hidden fields; the link is shown once, in the result. */
export const createShareLinkAction = formAction(
  shareSchema,
  async (v, { actor }) => {
    if (!actor) throw signedOut();
    const db = await getDatabase();
    const { link, token } = await createShareLink(
      db,
      {
        runIds: v.runs,
        refId: v.ref ?? v.runs[0],
        significance: { alpha: v.alpha, correction: v.correction },
        lineage: lineageContextOf(v),
        label: v.label,
        expiresAt: expiryOf(v.days),
      },
      actor,
    );
    const h = await headers();
    const url = `${shareOrigin(h.get("host"), h.get("x-forwarded-proto"))}${sharePath(token)}`;
    revalidatePath("/share");
    return { ok: true, data: { id: link.id, url, expiresAt: link.expiresAt.toISOString() }, message: "Link created." };
  },
  {
    requires: "editor",
    invalid: "This comparison cannot be shared: reload the page.",
    audit: { action: "share.create", detail: (v) => ({ runs: v.runs, days: v.days, label: v.label }) },
  },
);

/** Revokes a link: its maker, or an admin. */
export const revokeShareLinkAction = reportAction(
  z.object({ id: recordId }),
  async ({ id }, _form, actor) => {
    if (!actor) throw signedOut();
    const db = await getDatabase();
    const link = await getShareLink(db, id);
    if (!link) return { ok: false, message: "No such link." };
    if (!mayRevoke(link, actor))
      throw new LineageError("only its maker or an admin may revoke a link", {
        kind: "forbidden",
        userMessage: "Only the link's maker or an admin may revoke it.",
      });
    await revokeShareLink(db, id, actor);
    revalidatePath("/share");
    return { ok: true, message: "Link revoked." };
  },
  { requires: "editor", invalid: "No such link.", audit: "share.revoke" },
);
