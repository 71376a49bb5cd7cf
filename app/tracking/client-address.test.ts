import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustedProxies } from "./client-address";

const none = parseTrustedProxies(undefined);
const lb = parseTrustedProxies("10.0.0.0/8, ::1");

describe("clientAddress", () => {
  it("is the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress({ peer: "198.51.100.9", forwardedFor: "203.0.113.1", trusted: none, throughShopify: false })).toBe("198.51.100.9");
  });

  it("reads X-Forwarded-For from the right, past trusted proxies only", () => {
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "203.0.113.1, 198.51.100.9, 10.0.0.3", trusted: lb, throughShopify: false })).toBe("198.51.100.9");
    expect(clientAddress({ peer: "::ffff:10.0.0.2", forwardedFor: "203.0.113.1", trusted: lb, throughShopify: false })).toBe("203.0.113.1");
  });

  it("takes, through Shopify's app proxy, the address Shopify reports, not one the client wrote before it", () => {
    // Shopify (192.0.2.50) reached our load balancer; the buyer (198.51.100.9) had written 203.0.113.1.
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "203.0.113.1, 198.51.100.9, 192.0.2.50", trusted: lb, throughShopify: true })).toBe("198.51.100.9");
    // Shopify connecting directly.
    expect(clientAddress({ peer: "192.0.2.50", forwardedFor: "198.51.100.9", trusted: none, throughShopify: true })).toBe("198.51.100.9");
    expect(clientAddress({ peer: "192.0.2.50", forwardedFor: null, trusted: none, throughShopify: true })).toBe("192.0.2.50");
  });

  it("strips ports and brackets", () => {
    expect(clientAddress({ peer: "[::1]:5000", forwardedFor: "198.51.100.9:1234", trusted: lb, throughShopify: false })).toBe("198.51.100.9");
  });
});

describe("parseTrustedProxies", () => {
  it("refuses what is not an address or range", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/CIDR/);
    expect(() => parseTrustedProxies("loadbalancer")).toThrow(/not an IP/);
  });
});
