"use client";
import { useActionState } from "react";
import { saveRunAnnotationsAction, type FormState } from "@/app/runs/actions";
import { Field, FormAlert, submittedForm } from "./field";

/** The run's tags and short comment, editable (works without JavaScript: a plain form post). */
export function RunAnnotationsForm({ runId, tags, comment }: { runId: string; tags: string[]; comment: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(saveRunAnnotationsAction, null);
  const { errors, values, one } = submittedForm(state);
  const refused = state !== null && !state.ok;
  // React resets a form after its action: a refused submit remounts it with what was submitted, a saved one with
  // the saved values.
  const saved = state?.ok ? (state.data as { tags: string[]; comment: string }) : null;
  const tagText = refused ? one("tags") : (saved?.tags ?? tags).join(", ");
  const commentText = refused ? one("comment") : (saved?.comment ?? comment);
  return (
    <form action={action} className="stack" aria-label="Tags and comment" noValidate key={JSON.stringify([values, saved])}>
      <input type="hidden" name="id" value={runId} />
      <FormAlert state={state} />
      <Field name="tags" label="Tags" hint="Comma-separated, e.g. baseline, ablation." error={errors.tags}>
        <input id="f-tags" name="tags" defaultValue={tagText} />
      </Field>
      <Field name="comment" label="Comment" hint="A short note for whoever reads this run." error={errors.comment}>
        <textarea id="f-comment" name="comment" rows={2} defaultValue={commentText} />
      </Field>
      <div className="actions">
        <button type="submit" className="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save tags and comment"}
        </button>
        {state?.ok ? (
          <span className="muted" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
