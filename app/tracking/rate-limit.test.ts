import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryStore, rateLimiter, trackingRateLimits } from "./rate-limit";

// The limiter counts on the clock, as a shared store would; the tests set it.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const at = <T>(time: number, attempt: () => T): T => {
  vi.setSystemTime(time);
  return attempt();
};

describe("rateLimiter", () => {
  it("allows `limit` hits per window and says when the window ends", async () => {
    const limiter = rateLimiter({ limit: 3, windowMs: 60_000 }, "test");
    const firstThree = [];
    for (const i of [1, 2, 3]) firstThree.push((await at(1_000 + i, () => limiter.hit("a"))).allowed);
    expect(firstThree).toEqual([true, true, true]);
    expect(await at(11_000, () => limiter.hit("a"))).toEqual({ allowed: false, retryAfterMs: 50_001 });
    expect((await at(11_000, () => limiter.hit("b"))).allowed).toBe(true);
    // A new window starts once the old one has run out.
    expect((await at(61_001, () => limiter.hit("a"))).allowed).toBe(true);
  });

  it("forgets the oldest keys beyond its capacity", async () => {
    const limiter = rateLimiter({ limit: 1, windowMs: 60_000 }, "test", memoryStore(2));
    await at(0, () => limiter.hit("a"));
    await at(1, () => limiter.hit("b"));
    await at(2, () => limiter.hit("c"));
    // "a" was evicted, so it starts over (memory stays bounded under a flood of distinct keys).
    expect((await at(3, () => limiter.hit("a"))).allowed).toBe(true);
    expect((await at(4, () => limiter.hit("c"))).allowed).toBe(false);
  });
});

describe("trackingRateLimits", () => {
  const rules = { perIp: { limit: 3, windowMs: 60_000 }, perOrder: { limit: 2, windowMs: 60_000 } };
  const shop = "a.myshopify.com";

  it("limits attempts per order number from any address", async () => {
    const limits = trackingRateLimits(rules);
    expect((await at(0, () => limits.attempt({ shop, ip: "1.1.1.1", orderNumber: "1001" }))).allowed).toBe(true);
    expect((await at(1, () => limits.attempt({ shop, ip: "2.2.2.2", orderNumber: "1001" }))).allowed).toBe(true);
    expect((await at(2, () => limits.attempt({ shop, ip: "3.3.3.3", orderNumber: "1001" }))).allowed).toBe(false);
    expect((await at(3, () => limits.attempt({ shop, ip: "3.3.3.3", orderNumber: "1002" }))).allowed).toBe(true);
    // Another shop's order 1001 is another order.
    expect((await at(4, () => limits.attempt({ shop: "b.myshopify.com", ip: "4.4.4.4", orderNumber: "1001" }))).allowed).toBe(true);
  });

  it("limits attempts per address across order numbers", async () => {
    const limits = trackingRateLimits(rules);
    const results = [];
    for (const [i, n] of ["1", "2", "3", "4"].entries()) results.push(await at(i, () => limits.attempt({ shop, ip: "9.9.9.9", orderNumber: n })));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3].retryAfterMs).toBeGreaterThan(0);
  });
});
