import { describe, expect, it } from "vitest";
import { FixedWindowRateLimiter, trackingRateLimits } from "./rate-limit";

describe("FixedWindowRateLimiter", () => {
  it("allows `limit` hits per window and says when the window ends", () => {
    const limiter = new FixedWindowRateLimiter({ limit: 3, windowMs: 60_000 });
    expect([1, 2, 3].map((i) => limiter.hit("a", 1_000 + i).allowed)).toEqual([true, true, true]);
    expect(limiter.hit("a", 11_000)).toEqual({ allowed: false, retryAfterMs: 50_001 });
    expect(limiter.hit("b", 11_000).allowed).toBe(true);
    // A new window starts once the old one has run out.
    expect(limiter.hit("a", 61_001).allowed).toBe(true);
  });

  it("forgets the oldest keys beyond its capacity", () => {
    const limiter = new FixedWindowRateLimiter({ limit: 1, windowMs: 60_000 }, 2);
    limiter.hit("a", 0);
    limiter.hit("b", 1);
    limiter.hit("c", 2);
    // "a" was evicted, so it starts over (memory stays bounded under a flood of distinct keys).
    expect(limiter.hit("a", 3).allowed).toBe(true);
    expect(limiter.hit("c", 4).allowed).toBe(false);
  });
});

describe("trackingRateLimits", () => {
  const rules = { perIp: { limit: 3, windowMs: 60_000 }, perOrder: { limit: 2, windowMs: 60_000 } };
  const shop = "a.myshopify.com";

  it("limits attempts per order number from any address", () => {
    const limits = trackingRateLimits(rules);
    expect(limits.attempt({ shop, ip: "1.1.1.1", orderNumber: "1001" }, 0).allowed).toBe(true);
    expect(limits.attempt({ shop, ip: "2.2.2.2", orderNumber: "1001" }, 1).allowed).toBe(true);
    expect(limits.attempt({ shop, ip: "3.3.3.3", orderNumber: "1001" }, 2).allowed).toBe(false);
    expect(limits.attempt({ shop, ip: "3.3.3.3", orderNumber: "1002" }, 3).allowed).toBe(true);
    // Another shop's order 1001 is another order.
    expect(limits.attempt({ shop: "b.myshopify.com", ip: "4.4.4.4", orderNumber: "1001" }, 4).allowed).toBe(true);
  });

  it("limits attempts per address across order numbers", () => {
    const limits = trackingRateLimits(rules);
    const results = ["1", "2", "3", "4"].map((n, i) => limits.attempt({ shop, ip: "9.9.9.9", orderNumber: n }, i));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3].retryAfterMs).toBeGreaterThan(0);
  });
});
