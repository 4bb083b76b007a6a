// Fault injection for the test server: which request gets which failure.
// Rules are checked in order; the first that fires decides. Counters are per rule and per scope key, so a
// test can say exactly "the first 2 requests for each prompt fail with a 500".

import { rng } from "./language-model";

export type FaultKind = "429" | "500" | "503" | "slow" | "drop" | "malformed";

export interface FaultRule {
  kind: FaultKind;
  /** Fire with this probability (seeded random stream, so a run is repeatable). */
  probability?: number;
  /** Fire on every Nth matching request (N, 2N, …) within the scope. */
  everyNth?: number;
  /** Fire on the first N matching requests within the scope (deterministic schedule). */
  firstN?: number;
  /** Scope of the counters of everyNth / firstN: all requests, per route, per model, or per prompt/input. */
  per?: "global" | "route" | "model" | "prompt";
  /** Only requests to these routes (e.g. "/v1/chat/completions"); all fault-able routes when absent. */
  routes?: string[];
  /** Only requests for these model ids. */
  models?: string[];
  /** 429: the Retry-After header in seconds (default 1); `retryAfterMs` adds a retry-after-ms header. */
  retryAfterSeconds?: number;
  retryAfterMs?: number;
  /** 429: send Retry-After as an HTTP date instead of seconds. */
  retryAfterAsDate?: boolean;
  /** slow: extra delay before the (normal) response, ms (default 2000). */
  delayMs?: number;
  /** drop: destroy the socket before the headers, or after half of the body (default). */
  dropWhen?: "before-headers" | "mid-body";
}

export interface FaultConfig {
  rules: FaultRule[];
  /** Seed of the probability stream. */
  seed?: number;
}

export interface FaultContext {
  route: string;
  model: string | null;
  /** A key of the request's content (prompt, messages, input), for per-prompt schedules. */
  promptKey: string;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private counters = new Map<string, number>();
  private random: () => number = rng(1);

  constructor(config?: FaultConfig) {
    this.set(config ?? { rules: [] });
  }

  /** Replaces the rules and resets every counter. */
  set(config: FaultConfig): void {
    validate(config);
    this.rules = config.rules.map((r) => ({ ...r }));
    this.counters.clear();
    this.random = rng(config.seed ?? 1);
  }

  get config(): FaultConfig {
    return { rules: this.rules.map((r) => ({ ...r })) };
  }

  decide(ctx: FaultContext): FaultRule | null {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      if (rule.routes && !rule.routes.includes(ctx.route)) continue;
      if (rule.models && (ctx.model === null || !rule.models.includes(ctx.model))) continue;
      const scope = rule.per ?? "global";
      const scopeKey = scope === "global" ? "" : scope === "route" ? ctx.route : scope === "model" ? String(ctx.model) : ctx.promptKey;
      const counterKey = `${i}\u0000${scopeKey}`;
      const count = (this.counters.get(counterKey) ?? 0) + 1;
      this.counters.set(counterKey, count);
      let fire = false;
      if (rule.firstN !== undefined && count <= rule.firstN) fire = true;
      if (rule.everyNth !== undefined && rule.everyNth > 0 && count % rule.everyNth === 0) fire = true;
      if (rule.probability !== undefined && this.random() < rule.probability) fire = true;
      if (fire) return rule;
    }
    return null;
  }
}

const KINDS: FaultKind[] = ["429", "500", "503", "slow", "drop", "malformed"];

function validate(config: FaultConfig): void {
  if (!config || !Array.isArray(config.rules)) throw new Error("faults: expected {rules: [...]}");
  for (const r of config.rules) {
    if (!KINDS.includes(r.kind)) throw new Error(`faults: unknown kind ${JSON.stringify(r.kind)} (one of ${KINDS.join(", ")})`);
    if (r.probability === undefined && r.everyNth === undefined && r.firstN === undefined) {
      throw new Error("faults: a rule needs probability, everyNth or firstN");
    }
  }
}
