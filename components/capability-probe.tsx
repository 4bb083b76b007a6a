"use client";
// What the model's endpoint can do, as last probed, and a button to probe again. Benchmarks whose capability is
// missing are run as "not supported by this endpoint" with the reason shown here.
import { useActionState } from "react";
import { probeCapabilitiesAction, type ProbeReport } from "@/app/models/probe-actions";
import { formatDateTime } from "@/lib/export/format";

interface Cap {
  supported: boolean;
  reason?: string;
}

const ROWS: [key: "chat" | "completions" | "echoLogprobs" | "embeddings" | "n", label: string, needs: string][] = [
  ["chat", "Chat completions", "textual (chat mode), toxicity (chat mode)"],
  ["completions", "Completions", "textual, toxicity"],
  ["echoLogprobs", "Log-likelihood (echo + logprobs)", "StereoSet, CrowS-Pairs, BBQ, HellaSwag, OpenBookQA"],
  ["embeddings", "Embeddings", "SEAT"],
  ["n", "Several samples per request (n)", "toxicity (otherwise one request per sample)"],
];

function isCap(v: unknown): v is Cap {
  return !!v && typeof v === "object" && typeof (v as Cap).supported === "boolean";
}

export function CapabilityProbe({ modelId, probe, probedAt }: { modelId: string; probe: unknown; probedAt: string | null }) {
  const [report, action, pending] = useActionState<ProbeReport | null, FormData>(probeCapabilitiesAction, null);
  const current = report?.ok ? report : { probe, probedAt };
  const error = report && !report.ok ? report.message : null;
  const p = current.probe as Record<string, unknown> | null;
  return (
    <section aria-label="Capabilities" data-testid="capability-probe">
      <h2>Capabilities</h2>
      {p ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Capability</th>
              <th scope="col">Status</th>
              <th scope="col">Needed by</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([key, label, needs]) => {
              const cap = p[key];
              return (
                <tr key={key} data-testid={`cap-${key}`}>
                  <td>{label}</td>
                  <td>{isCap(cap) ? (cap.supported ? "supported" : `not supported${cap.reason ? ` — ${cap.reason}` : ""}`) : "not probed"}</td>
                  <td className="muted">{needs}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted">Not probed yet. A run probes the endpoint before its first log-likelihood or embedding benchmark.</p>
      )}
      {current.probedAt ? <p className="muted">Probed {formatDateTime(current.probedAt)} UTC.</p> : null}
      <form action={action} aria-label="Probe capabilities">
        <input type="hidden" name="id" value={modelId} />
        <button type="submit" className="secondary" disabled={pending}>
          {pending ? "Probing…" : "Probe capabilities"}
        </button>
      </form>
      <div aria-live="polite">{error ? <div className="alert error">{error}</div> : null}</div>
    </section>
  );
}
