// What the run page derives from a completed run's items (counts, errors, aggregates, score keys) does not change
// until the run is executed again: retrying its failed items puts it back in the queue, and its next completion
// stamps a new finishedAt. It is kept here, in memory, keyed by the run's id and that stamp, so that a page read
// under load costs the database the run's row and one page of items. Failed, cancelled or paused runs are not kept:
// answers in flight when they stopped may still be written.
const MAX_RUNS = 200;

type Entry = Map<string, Promise<unknown>>;
// On globalThis: one cache per process, whichever bundle (page, API route) reads it.
const g = globalThis as unknown as { __lineageRunCache?: Map<string, Entry> };
const runs = (g.__lineageRunCache ??= new Map<string, Entry>());

/** The key of a run whose item-derived figures are immutable, or null when they may still change. */
export function completedStamp(run: { id: string; status: string; finishedAt: Date | string | null }): string | null {
  return run.status === "completed" && run.finishedAt ? `${run.id}@${new Date(run.finishedAt).toISOString()}` : null;
}

/** compute() once per (stamp, part) while the run stays in the cache (the last MAX_RUNS used); always when stamp is null. */
export function memoCompleted<T>(stamp: string | null, part: string, compute: () => Promise<T>): Promise<T> {
  if (!stamp) return compute();
  let entry = runs.get(stamp);
  if (entry)
    runs.delete(stamp); // re-inserted below: most recently used last
  else entry = new Map();
  runs.set(stamp, entry);
  if (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value as string);
  let value = entry.get(part) as Promise<T> | undefined;
  if (!value) {
    // The promise itself is kept, so that concurrent requests for the same run share one query.
    const e = entry;
    value = compute();
    e.set(part, value);
    value.catch(() => e.delete(part));
  }
  return value;
}

/** How many runs are kept (for tests). */
export function cachedRunCount(): number {
  return runs.size;
}
