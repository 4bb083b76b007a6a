// The compare thread: the paired statistics' resampling (3–5 s for a full BBQ or HellaSwag pass) runs on a worker
// thread of its own, so that the web process goes on answering every other request of the dashboard meanwhile.
// The database is queried by the caller; the thread gets plain columns and values and sends back PairedStats.
// One thread for the process, started on first use; tasks queue on it in order. It does not keep a process alive
// while idle (tests and scripts end as before).
//
// Under Next, Turbopack bundles the thread's entry (./thread-entry.ts) from the `new Worker(new URL(…))` below.
// Run from the TypeScript sources (vitest, tsx scripts), the entry is loaded through tsx, as the caller was.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { sourceWorker } from "@/lib/worker-thread";
import type { ItemColumns } from "./paired-compute";
import type { PairedStats } from "./stats";

export type CompareTask =
  /** pairedItemStatisticsOf: every metric of a benchmark (slice), per run */
  | { kind: "items"; items: ItemColumns; refId: string; runIds: string[]; benchmark: string; slice: string | null }
  /** pairedStats of per-sample values: values[0] the reference's, values[j + 1] those of runIds[j] */
  | { kind: "samples"; values: (number | null)[][]; runIds: string[]; seeds: string[] };

export type CompareResult<T extends CompareTask> = T extends { kind: "items" } ? Record<string, Record<string, PairedStats>> : Record<string, PairedStats>;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

let thread: { worker: Worker; pending: Map<number, Pending> } | null = null;
let nextId = 1;

function startWorker(): Worker {
  // NEXT_RUNTIME is set by Next's server: there this module is bundled and so is the entry.
  if (process.env.NEXT_RUNTIME) return new Worker(new URL("./thread-entry.ts", import.meta.url));
  return sourceWorker(path.join(path.dirname(fileURLToPath(import.meta.url)), "thread-entry.ts"));
}

function getThread(): NonNullable<typeof thread> {
  if (thread) return thread;
  const worker = startWorker();
  const pending = new Map<number, Pending>();
  const current = { worker, pending };
  const fail = (err: Error) => {
    if (thread === current) thread = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on("message", (m: { id: number; value?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.value);
  });
  worker.on("error", (err) => fail(new Error(`the compare thread failed: ${err.message}`)));
  worker.on("exit", (code) => fail(new Error(`the compare thread stopped (exit code ${code})`)));
  worker.unref();
  thread = current;
  return current;
}

/** Runs `task` on the compare thread. */
export function onCompareThread<T extends CompareTask>(task: T): Promise<CompareResult<T>> {
  const { worker, pending } = getThread();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    // Held while a task is in flight: a script awaiting the result must not end under it.
    worker.ref();
    worker.postMessage({ id, task });
  });
}
