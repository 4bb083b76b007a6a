import type { Database } from "@/lib/db/client";
import { runProgress, type RunProgress } from "./runs";

export const TERMINAL_STATUSES = new Set(["completed", "failed", "cancelled", "paused"]);

/** Polls a run until it reaches a terminal status (paused counts: nothing more happens by itself). */
export async function waitForRun(
  db: Database,
  runId: string,
  onProgress: (p: RunProgress) => void,
  pollMs = 1000,
  /** The worker's error for this run, when its failure could not be stored (e.g. a full disk): stop waiting. */
  failure: () => string | null = () => null,
  /** Resolves early when the run's job ended in this process: the last poll then comes at once, not up to a second later. */
  ended?: Promise<void>,
): Promise<RunProgress> {
  let early = ended;
  for (;;) {
    const p = await runProgress(db, runId);
    if (!p) throw new Error(`run ${runId} no longer exists`);
    onProgress(p);
    if (TERMINAL_STATUSES.has(p.status)) return p;
    const error = failure();
    if (error) return { ...p, status: "failed", error };
    let timer: NodeJS.Timeout | undefined;
    const sleep = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), pollMs)));
    // Woken once: should the status still lag behind, the polls go on at their pace.
    if (await Promise.race([sleep, ...(early ? [early.then(() => true)] : [])])) early = undefined;
    clearTimeout(timer);
  }
}

export function formatProgress(p: RunProgress): string {
  const parts = p.benchmarks.map((b) => `${b.benchmark} ${b.done}/${b.total}${b.failed ? ` (${b.failed} failed)` : ""}`);
  const rate = p.throughput ? ` · ${p.throughput.toFixed(1)} items/s` : "";
  const eta = p.etaSeconds !== null ? ` · ETA ${Math.ceil(p.etaSeconds)} s` : "";
  const errors = Object.entries(p.errorsByKind)
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ");
  return `[${p.status}] ${parts.join(" · ")}${rate}${eta}${errors ? ` · errors ${errors}` : ""}`;
}
