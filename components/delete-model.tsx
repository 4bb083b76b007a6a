"use client";
import { useActionState } from "react";
import { deleteModelAction, type FormState } from "@/app/models/actions";

export function DeleteModel({ modelId, name }: { modelId: string; name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteModelAction, null);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Delete ${name}, its runs and its lineage records? This cannot be undone.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={modelId} />
      <button type="submit" className="danger" disabled={pending}>
        {pending ? "Deleting…" : "Delete model"}
      </button>
      {state && !state.ok && state.formError ? (
        <div className="alert error" role="alert">
          {state.formError}
        </div>
      ) : null}
    </form>
  );
}
