// A FIFO concurrency limiter per endpoint, shared by every caller in the process, so the endpoint's
// `concurrency` holds however many runs talk to it. Waiting is on promises (no polling); the cost per task is
// one closure and, when saturated, one queue node.

import { endpointKey, type Endpoint } from "./endpoint";

interface Waiter {
  start: () => void;
  next: Waiter | null;
}

export class ConcurrencyLimiter {
  private limit: number;
  private running = 0;
  private head: Waiter | null = null;
  private tail: Waiter | null = null;
  private queued = 0;
  private pausedUntil = 0;
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(limit: number) {
    this.limit = ConcurrencyLimiter.check(limit);
  }

  private static check(limit: number): number {
    if (!Number.isFinite(limit) || limit < 1) throw new RangeError(`concurrency must be ≥ 1 (got ${limit})`);
    return Math.floor(limit);
  }

  get active(): number {
    return this.running;
  }
  get pending(): number {
    return this.queued;
  }
  get maxConcurrency(): number {
    return this.limit;
  }

  setLimit(limit: number): void {
    this.limit = ConcurrencyLimiter.check(limit);
    this.drain();
  }

  /**
   * Hold queued tasks (running ones continue) until `until` (epoch ms): after a 429 with Retry-After, the other
   * requests to the same endpoint wait too instead of collecting 429s of their own.
   */
  pauseUntil(until: number): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(
      () => {
        this.resumeTimer = null;
        this.drain();
      },
      Math.max(0, until - Date.now()),
    );
    this.resumeTimer.unref?.();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.limit && this.head === null && Date.now() >= this.pausedUntil) {
      this.running++;
    } else {
      await new Promise<void>((resolve) => {
        const w: Waiter = { start: resolve, next: null };
        if (this.tail) this.tail.next = w;
        else this.head = w;
        this.tail = w;
        this.queued++;
      });
    }
    try {
      return await fn();
    } finally {
      this.running--;
      this.drain();
    }
  }

  private drain(): void {
    if (this.pausedUntil > Date.now()) return;
    while (this.head && this.running < this.limit) {
      const w = this.head;
      this.head = w.next;
      if (!this.head) this.tail = null;
      this.queued--;
      this.running++;
      w.start();
    }
  }
}

const limiters = new Map<string, ConcurrencyLimiter>();

/** The process-wide limiter of an endpoint (base URL + model id); its limit follows `endpoint.concurrency`. */
export function limiterFor(endpoint: Pick<Endpoint, "baseUrl" | "modelId" | "concurrency">): ConcurrencyLimiter {
  const key = endpointKey(endpoint);
  let l = limiters.get(key);
  if (!l) {
    l = new ConcurrencyLimiter(endpoint.concurrency);
    limiters.set(key, l);
  } else if (l.maxConcurrency !== Math.floor(endpoint.concurrency)) {
    l.setLimit(endpoint.concurrency);
  }
  return l;
}
