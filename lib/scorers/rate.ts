// Process-wide request pacing per scorer service: requests leave one at a time, at least 1.1/qps seconds after the
// previous one actually left (not after its scheduled time, so a late timer on a busy event loop never lets two
// requests bunch up), keeping a run with many items in flight under Perspective's quota instead of collecting 429s.

import { sleep } from "@/lib/llm/retry";

interface Lane {
  /** Resolves when the previous waiter has taken its turn. */
  tail: Promise<void>;
  lastSent: number;
  /** Not before this time (a 429 pushes it back). */
  notBefore: number;
}

const lanes = new Map<string, Lane>();

export async function waitForSlot(key: string, qps: number, signal?: AbortSignal): Promise<void> {
  if (!(qps > 0) || !Number.isFinite(qps)) return;
  // 10 % slack: even spacing at exactly the limit still puts qps + 1 requests into some 1-second window once
  // network jitter bunches them up.
  const spacing = (1000 / qps) * 1.1;
  let lane = lanes.get(key);
  if (!lane) lanes.set(key, (lane = { tail: Promise.resolve(), lastSent: 0, notBefore: 0 }));
  const l = lane;
  const previous = l.tail;
  let release!: () => void;
  l.tail = new Promise<void>((r) => (release = r));
  try {
    await previous;
    for (;;) {
      const wait = Math.max(l.lastSent + spacing, l.notBefore) - Date.now();
      if (wait <= 0) break;
      await sleep(wait, signal);
    }
    l.lastSent = Date.now();
  } finally {
    release();
  }
}

/** Pushes the next request back after a 429 (the service's own window is stricter than our spacing). */
export function backOff(key: string, ms: number): void {
  const l = lanes.get(key);
  if (l) l.notBefore = Math.max(l.notBefore, Date.now() + ms);
}
