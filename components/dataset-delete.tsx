"use client";
import { useState, useTransition } from "react";
import { deleteDatasetAction } from "@/app/datasets/actions";

export function DatasetDelete({ datasetId, name }: { datasetId: string; name: string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="actions">
      <button
        type="button"
        className="danger"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Delete ${name}, its candidates and selections? Derivations keep their record. This cannot be undone.`)) return;
          start(async () => {
            const r = await deleteDatasetAction(datasetId);
            if (r && !r.ok) setMessage(r.message);
          });
        }}
      >
        {pending ? "Deleting…" : "Delete dataset"}
      </button>
      {message ? (
        <span className="alert error" role="alert">
          {message}
        </span>
      ) : null}
    </div>
  );
}
