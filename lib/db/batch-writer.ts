// Results are written as they arrive, in batches: a batch is written when it is full or a short time after its
// first result, one write at a time and in order. A failed write is remembered and thrown by the next add or
// flush, so the caller stops instead of losing results silently.
/** Answers received but not yet stored may wait this long before the executors stop issuing requests: with the
 * requests in flight, the most a crash can cost in paid answers. */
export const MAX_UNSTORED_MS = 1000;

export class BatchWriter<T> {
  private buffer: T[] = [];
  /** When the first result in the buffer arrived; and, oldest first, when each batch being written began. */
  private bufferSince: number | null = null;
  private writingSince: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly maxBatch: number,
    private readonly maxDelayMs: number,
  ) {}

  add(...results: T[]): void {
    if (this.failure) throw this.failure;
    if (results.length && this.bufferSince === null) this.bufferSince = Date.now();
    this.buffer.push(...results);
    if (this.buffer.length >= this.maxBatch) void this.flush().catch(() => undefined);
    else if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.maxDelayMs);
  }

  /** Milliseconds the oldest result not yet stored has waited (0 when everything is stored). */
  unstoredAgeMs(now = Date.now()): number {
    const oldest = Math.min(this.writingSince[0] ?? Infinity, this.bufferSince ?? Infinity);
    return oldest === Infinity ? 0 : now - oldest;
  }

  /**
   * Waits while a result older than `maxAgeMs` is not stored. A caller that issues no new request meanwhile bounds
   * what a crash can lose to its requests in flight plus `maxAgeMs` of answers, however slow the database is to
   * write (e.g. while it serves pages).
   */
  async waitUntilStored(maxAgeMs: number): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.unstoredAgeMs() > maxAgeMs) {
      if (this.failure) throw this.failure;
      await this.flush().catch(() => undefined);
      if (this.failure) throw this.failure;
    }
  }

  /** Writes everything buffered; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length) this.writingSince.push(this.bufferSince ?? Date.now());
    this.bufferSince = null;
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        if (!this.failure) await this.write(batch);
      } catch (err) {
        this.failure = err as Error;
      } finally {
        this.writingSince.shift();
      }
    });
    return this.flushing.then(() => {
      if (this.failure) throw this.failure;
    });
  }
}
