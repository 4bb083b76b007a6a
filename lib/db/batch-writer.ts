// Results are written as they arrive, in batches: a batch is written when it is full or a short time after its
// first result, one write at a time and in order. A failed write is remembered and thrown by the next add or
// flush, so the caller stops instead of losing results silently.
export class BatchWriter<T> {
  private buffer: T[] = [];
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
    this.buffer.push(...results);
    if (this.buffer.length >= this.maxBatch) void this.flush().catch(() => undefined);
    else if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.maxDelayMs);
  }

  /** Writes everything buffered; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0 || this.failure) return;
      try {
        await this.write(batch);
      } catch (err) {
        this.failure = err as Error;
      }
    });
    return this.flushing.then(() => {
      if (this.failure) throw this.failure;
    });
  }
}
