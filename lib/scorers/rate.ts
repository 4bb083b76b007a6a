// Process-wide request pacing per scorer service: requests leave at most `qps` per second, evenly spaced, so a run
// with many items in flight stays under Perspective's quota instead of collecting 429s.

const nextSlot = new Map<string, number>();

export async function waitForSlot(key: string, qps: number, signal?: AbortSignal): Promise<void> {
  if (!(qps > 0) || !Number.isFinite(qps)) return;
  // 10 % slack: even spacing at exactly the limit still puts qps + 1 requests into some 1-second window once
  // network jitter bunches them up.
  const spacing = (1000 / qps) * 1.1;
  const now = Date.now();
  const at = Math.max(now, nextSlot.get(key) ?? 0);
  nextSlot.set(key, at + spacing);
  const wait = at - now;
  if (wait <= 0) return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, wait);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Pushes the next slot back after a 429 (the service's own window is stricter than our spacing). */
export function backOff(key: string, ms: number): void {
  nextSlot.set(key, Math.max(nextSlot.get(key) ?? 0, Date.now() + ms));
}
