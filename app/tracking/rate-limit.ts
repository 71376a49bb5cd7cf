// Attempt limits for the storefront tracking lookup: fixed windows per key, counted by
// rate-limiter-flexible in a store every process and instance shares (the app's database, or Redis:
// app/tracking/rate-limit-store.server.ts), so neither a second process nor a restart starts them over,
// and no flood of other keys evicts a count before its window ends.
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

/** Counts in this process's memory: for the unit tests of the rules, never for serving. */
export function memoryStore(): RateLimitStore {
  return (options) => new RateLimiterMemory(options);
}

export interface RateLimiter {
  /** Counts one attempt for `key` now and says whether it is within the limit. */
  hit(key: string): Promise<RateLimitDecision>;
}

/** `name` keeps this rule's counts apart from others' in a store they share. */
export function rateLimiter(rule: RateLimitRule, name: string, store: RateLimitStore): RateLimiter {
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
  /** Counts one lookup from `ip` to `shop`; refused when the address has spent its attempts. */
  fromAddress(input: { shop: string; ip: string }): Promise<RateLimitDecision>;
  /** Counts one attempt at `orderNumber` (normalised) of `shop` that a valid signed link did not open. */
  atOrder(input: { shop: string; orderNumber: string }): Promise<RateLimitDecision>;
}

export const TRACKING_RATE_LIMITS = {
  perIp: { limit: 20, windowMs: 15 * MINUTE_MS },
  perOrder: { limit: 8, windowMs: 15 * MINUTE_MS },
};

/**
 * Per client address (every lookup) and per order number (the number normalised, whether or not such an
 * order exists, so a refusal says nothing about existence).
 */
export function trackingRateLimits(store: RateLimitStore, rules = TRACKING_RATE_LIMITS): TrackingRateLimits {
  const byIp = rateLimiter(rules.perIp, "tracking-ip", store);
  const byOrder = rateLimiter(rules.perOrder, "tracking-order", store);
  return {
    fromAddress: ({ shop, ip }) => byIp.hit(`${shop}\n${ip}`),
    atOrder: ({ shop, orderNumber }) => byOrder.hit(`${shop}\n${orderNumber.toLowerCase()}`),
  };
}
