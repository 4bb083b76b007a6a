// Work that must not wait behind the dashboard's page reads: a run's or dataset's execution (its answer writes, the
// pending items it reads next, its lease). The embedded database serves statements one at a time on its thread;
// there, statements issued inside `ahead` go before any waiting statement issued outside it, so answers received are
// stored within the crash-loss bound (MAX_UNSTORED_MS) however many pages are being rendered. PostgreSQL serves
// connections in parallel and ignores it.
import { AsyncLocalStorage } from "node:async_hooks";

// On globalThis: Next bundles the worker's start (instrumentation) and the pages apart, with one database per process.
const g = globalThis as unknown as { __lineageAhead?: AsyncLocalStorage<true> };
const store = (g.__lineageAhead ??= new AsyncLocalStorage<true>());

/** Runs fn (and everything it starts: timers, promises) with its database statements ahead of the others. */
export function ahead<T>(fn: () => T): T {
  return store.run(true, fn);
}

/** Whether the current code runs inside `ahead`. */
export function isAhead(): boolean {
  return store.getStore() === true;
}
