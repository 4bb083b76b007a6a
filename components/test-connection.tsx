"use client";
import { useActionState } from "react";
import { testConnectionAction, type ConnectionReport } from "@/app/models/actions";

export function TestConnection({ modelId }: { modelId: string }) {
  const [report, action, pending] = useActionState<ConnectionReport | null, FormData>(testConnectionAction, null);
  return (
    <form action={action} aria-label="Test connection">
      <input type="hidden" name="id" value={modelId} />
      <button type="submit" className="secondary" disabled={pending}>
        {pending ? "Testing…" : "Test connection"}
      </button>
      <div aria-live="polite">
        {report ? (
          <div className={`alert ${report.ok ? "ok" : "error"}`} data-testid="connection-report">
            {report.message}
          </div>
        ) : null}
      </div>
    </form>
  );
}
