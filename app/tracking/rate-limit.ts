// Attempt limits for the storefront tracking lookup: fixed windows per key, counted by
// rate-limiter-flexible.
//
// Caveat: the memory store counts in this process alone. With WEB_CONCURRENCY > 1 or several app
// instances behind a load balancer, a client can make up to (limit × processes) attempts per window,
// and a restart forgets every count. That still bounds guessing to a handful of tries per order; the
// library's RateLimiterRedis or RateLimiterPostgres, given as the store, would make the limit exact
// across instances.
import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import { MINUTE_MS } from "~/time";

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Milliseconds until the window that refused this attempt ends (0 when allowed). */
  retryAfterMs: number;
}

/** Makes the counter for one rule, from rate-limiter-flexible's options; any of its limiters fits. */
export type RateLimitStore = (options: IRateLimiterOptions) => Pick<RateLimiterAbstract, "consume">;

/** Forgets its oldest windows beyond `maxKeys`, so a flood of distinct keys (spoofed addresses, random order numbers) cannot grow memory without end. */
class BoundedMemoryLimiter extends RateLimiterMemory {
  // Keys in the order their windows started (a Set keeps insertion order).
  private readonly started = new Set<string>();

  constructor(
    options: IRateLimiterOptions,
    private readonly maxKeys: number,
  ) {
    super(options);
  }

  override async consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    try {
      return this.track(String(key), await super.consume(key, points, options));
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) this.track(String(key), refusal);
      throw refusal;
    }
  }

  private track(key: string, result: RateLimiterRes): RateLimiterRes {
    if (!result.isFirstInDuration) return result;
    this.started.delete(key);
    this.started.add(key);
    for (const oldest of this.started) {
      if (this.started.size <= this.maxKeys) break;
      this.started.delete(oldest);
      void this.delete(oldest);
    }
    return result;
  }
}

/** Counts in this process's memory, at most `maxKeys` keys per rule. */
export function memoryStore(maxKeys = 50_000): RateLimitStore {
  return (options) => new BoundedMemoryLimiter(options, maxKeys);
}

export interface RateLimiter {
  /** Counts one attempt for `key` now and says whether it is within the limit. */
  hit(key: string): Promise<RateLimitDecision>;
}

/** `name` keeps this rule's counts apart from others' in a store they share. */
export function rateLimiter(rule: RateLimitRule, name: string, store: RateLimitStore = memoryStore()): RateLimiter {
  const counter = store({ points: rule.limit, duration: rule.windowMs / 1000, keyPrefix: name });
  return {
    async hit(key) {
      try {
        await counter.consume(key);
        return { allowed: true, retryAfterMs: 0 };
      } catch (refusal) {
        // A store's own failure (a database down) is an error, not a refusal.
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, retryAfterMs: refusal.msBeforeNext };
      }
    },
  };
}

export interface TrackingRateLimits {
  /** Counts one lookup from `ip` for `orderNumber` of `shop`; refused when either limit is spent. */
  attempt(input: { shop: string; ip: string; orderNumber: string }): Promise<RateLimitDecision>;
}

const TRACKING_RATE_LIMITS = {
  perIp: { limit: 20, windowMs: 15 * MINUTE_MS },
  perOrder: { limit: 8, windowMs: 15 * MINUTE_MS },
};

/**
 * Per client address and per order number (as typed, whether or not such an order exists, so a refusal
 * says nothing about existence). Both are counted on every attempt.
 */
export function trackingRateLimits(rules = TRACKING_RATE_LIMITS, store: RateLimitStore = memoryStore()): TrackingRateLimits {
  const byIp = rateLimiter(rules.perIp, "tracking-ip", store);
  const byOrder = rateLimiter(rules.perOrder, "tracking-order", store);
  return {
    async attempt({ shop, ip, orderNumber }) {
      const [ipDecision, orderDecision] = await Promise.all([byIp.hit(`${shop}\n${ip}`), byOrder.hit(`${shop}\n${orderNumber.toLowerCase()}`)]);
      if (ipDecision.allowed && orderDecision.allowed) return { allowed: true, retryAfterMs: 0 };
      return { allowed: false, retryAfterMs: Math.max(ipDecision.retryAfterMs, orderDecision.retryAfterMs) };
    },
  };
}
