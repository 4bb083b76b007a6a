"use client";
import { useActionState } from "react";
import { deleteDatasetAction } from "@/app/datasets/actions";
import type { Notice } from "@/lib/forms";

export function DatasetDelete({ datasetId, name }: { datasetId: string; name: string }) {
  const [notice, action, pending] = useActionState<Notice, FormData>(deleteDatasetAction, null);
  return (
    <form action={action} className="actions" aria-label="Delete dataset">
      <input type="hidden" name="id" value={datasetId} />
      <button
        type="submit"
        className="danger"
        disabled={pending}
        onClick={(e) => {
          if (!window.confirm(`Delete ${name}, its candidates and selections? Derivations keep their record. This cannot be undone.`)) e.preventDefault();
        }}
      >
        {pending ? "Deleting…" : "Delete dataset"}
      </button>
      {notice && !notice.ok ? (
        <span className="alert error" role="alert">
          {notice.message}
        </span>
      ) : null}
    </form>
  );
}
