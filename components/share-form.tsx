"use client";
// The compare page's Share form: a reviewer link to this comparison (its runs, reference and significance settings),
// read-only and expiring. The link is shown once, after it is made: only a hash of its token is stored.
import { useActionState } from "react";
import { createShareLinkAction, type ShareFormState } from "@/app/share/actions";
import type { LineageContext } from "@/lib/compare/params";
import type { Significance } from "@/lib/compare/verdicts";
import { formatDateTime } from "@/lib/export/format";
import { SHARE_EXPIRY_DAYS } from "@/lib/share/choices";
import { Field, FormAlert, submittedForm } from "./field";

export function ShareForm({
  runIds,
  refId,
  significance,
  lineage,
}: {
  runIds: string[];
  refId: string;
  significance: Significance;
  lineage: LineageContext | null;
}) {
  const [state, action, pending] = useActionState<ShareFormState, FormData>(createShareLinkAction, null);
  const { errors, one } = submittedForm(state);
  const made = state?.ok ? state.data : null;
  return (
    <section className="panel" aria-labelledby="share-h">
      <h2 id="share-h" style={{ marginTop: 0 }}>
        Share with a reviewer
      </h2>
      <p className="muted small">
        A read-only link to this comparison — its runs, table, figures, samples and their downloads, nothing else of the dashboard — that works without an
        account until it expires or is revoked on <a href="/share">Shared links</a>.
      </p>
      <form action={action} className="actions" aria-label="Share" noValidate>
        <input type="hidden" name="runs" value={runIds.join(",")} />
        <input type="hidden" name="ref" value={refId} />
        <input type="hidden" name="alpha" value={significance.alpha} />
        <input type="hidden" name="correction" value={significance.correction} />
        {lineage ? (
          "derivationId" in lineage ? (
            <input type="hidden" name="lineage" value={lineage.derivationId} />
          ) : (
            <input type="hidden" name="base" value={lineage.baseModelId} />
          )
        ) : null}
        <FormAlert state={state} fieldSummary={false} />
        <Field name="days" label="Expires after" error={errors.days}>
          <select id="f-days" name="days" defaultValue={one("days", "7")}>
            {SHARE_EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? "1 day" : `${d} days`}
              </option>
            ))}
          </select>
        </Field>
        <Field name="label" label="Label (optional)" hint="Shown on the shared page, e.g. the paper or the reviewer." error={errors.label}>
          <input id="f-label" name="label" maxLength={120} defaultValue={one("label")} />
        </Field>
        <button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create link"}
        </button>
      </form>
      {made ? (
        <div className="alert info" role="status" data-testid="share-link">
          <p style={{ marginTop: 0 }}>Link created; it works until {formatDateTime(made.expiresAt)} UTC. Copy it now: it cannot be shown again.</p>
          <input readOnly aria-label="Reviewer link" value={made.url} style={{ width: "100%" }} onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
    </section>
  );
}
