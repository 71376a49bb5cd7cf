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
    const limiter = rateLimiter({ limit: 3, windowMs: 60_000 }, "test", memoryStore());
    const firstThree = [];
    for (const i of [1, 2, 3]) firstThree.push((await at(1_000 + i, () => limiter.hit("a"))).allowed);
    expect(firstThree).toEqual([true, true, true]);
    expect(await at(11_000, () => limiter.hit("a"))).toEqual({ allowed: false, retryAfterMs: 50_001 });
    expect((await at(11_000, () => limiter.hit("b"))).allowed).toBe(true);
    // A new window starts once the old one has run out.
    expect((await at(61_001, () => limiter.hit("a"))).allowed).toBe(true);
  });

});

describe("trackingRateLimits", () => {
  const rules = { perIp: { limit: 3, windowMs: 60_000 }, perOrder: { limit: 2, windowMs: 60_000 } };
  const shop = "a.myshopify.com";

  it("limits attempts per order number, in any case, per shop", async () => {
    const limits = trackingRateLimits(memoryStore(), rules);
    expect((await at(0, () => limits.atOrder({ shop, orderNumber: "eu-1001" }))).allowed).toBe(true);
    expect((await at(1, () => limits.atOrder({ shop, orderNumber: "EU-1001" }))).allowed).toBe(true);
    expect((await at(2, () => limits.atOrder({ shop, orderNumber: "eu-1001" }))).allowed).toBe(false);
    expect((await at(3, () => limits.atOrder({ shop, orderNumber: "1002" }))).allowed).toBe(true);
    // Another shop's order is another order.
    expect((await at(4, () => limits.atOrder({ shop: "b.myshopify.com", orderNumber: "eu-1001" }))).allowed).toBe(true);
  });

  it("limits attempts per address, apart from the per-order count", async () => {
    const limits = trackingRateLimits(memoryStore(), rules);
    const results = [];
    for (const i of [0, 1, 2, 3]) results.push(await at(i, () => limits.fromAddress({ shop, ip: "9.9.9.9" })));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3].retryAfterMs).toBeGreaterThan(0);
    expect((await at(5, () => limits.fromAddress({ shop, ip: "9.9.9.8" }))).allowed).toBe(true);
    expect((await at(5, () => limits.atOrder({ shop, orderNumber: "9.9.9.9" }))).allowed).toBe(true);
  });
});
