// Fixed-window attempt counter for the storefront tracking lookup, in memory.
//
// Caveat: each process counts alone. With WEB_CONCURRENCY > 1 or several app instances behind a load
// balancer, a client can make up to (limit × processes) attempts per window, and a restart forgets
// every count. That still bounds guessing to a handful of tries per order; a shared store (a table or
// Redis) would make the limit exact across instances.

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Milliseconds until the window that refused this attempt ends (0 when allowed). */
  retryAfterMs: number;
}

interface Window {
  start: number;
  count: number;
}

export class FixedWindowRateLimiter {
  private windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    private readonly rule: RateLimitRule,
    // Bounded so that a flood of distinct keys (spoofed addresses, random order numbers) cannot grow memory without end.
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one attempt for `key` at `now` and says whether it is within the limit. */
  hit(key: string, now: number): RateLimitDecision {
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.rule.windowMs) {
      this.windows.delete(key);
      // Oldest-first eviction (a Map keeps insertion order and a new window re-inserts its key).
      while (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next().value;
        if (oldest === undefined) break;
        this.windows.delete(oldest);
      }
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.rule.limit) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: window.start + this.rule.windowMs - now };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.rule.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.rule.windowMs) this.windows.delete(key);
    }
  }
}

export interface TrackingRateLimits {
  /** Counts one lookup from `ip` for `orderNumber` of `shop`; refused when either limit is spent. */
  attempt(input: { shop: string; ip: string; orderNumber: string }, now: number): RateLimitDecision;
}

/**
 * Per client address and per order number (as typed, whether or not such an order exists, so a refusal
 * says nothing about existence). Both are counted on every attempt.
 */
export function trackingRateLimits(
  rules: { perIp: RateLimitRule; perOrder: RateLimitRule } = {
    perIp: { limit: 20, windowMs: 15 * 60_000 },
    perOrder: { limit: 8, windowMs: 15 * 60_000 },
  },
): TrackingRateLimits {
  const byIp = new FixedWindowRateLimiter(rules.perIp);
  const byOrder = new FixedWindowRateLimiter(rules.perOrder);
  return {
    attempt({ shop, ip, orderNumber }, now) {
      const ipDecision = byIp.hit(`${shop}\n${ip}`, now);
      const orderDecision = byOrder.hit(`${shop}\n${orderNumber.toLowerCase()}`, now);
      if (ipDecision.allowed && orderDecision.allowed) return { allowed: true, retryAfterMs: 0 };
      return { allowed: false, retryAfterMs: Math.max(ipDecision.retryAfterMs, orderDecision.retryAfterMs) };
    },
  };
}
