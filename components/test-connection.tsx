"use client";
import { useState, useTransition } from "react";
import { testConnectionAction, type ConnectionReport } from "@/app/models/actions";

export function TestConnection({ modelId }: { modelId: string }) {
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() => start(async () => setReport(await testConnectionAction(modelId)))}
      >
        {pending ? "Testing…" : "Test connection"}
      </button>
      <div aria-live="polite">
        {report ? (
          <div className={`alert ${report.ok ? "ok" : "error"}`} data-testid="connection-report">
            {report.message}
          </div>
        ) : null}
      </div>
    </div>
  );
}
