"use client";
import { type MetricDefinition, setCustomMetrics } from "@/lib/metrics/catalogue";

/**
 * Registers the custom attributes' metric definitions (read by the page's server component) in the browser's
 * catalogue, so that the client components of the page (directions, verdicts, figures) know them. Rendered before
 * them; registering is idempotent.
 */
export function CustomMetrics({ defs }: { defs: MetricDefinition[] }) {
  setCustomMetrics(defs);
  return null;
}
