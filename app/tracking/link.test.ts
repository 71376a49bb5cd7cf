import { describe, expect, it } from "vitest";
import { checkTrackingLinkToken, trackingLinkIssuedAt, trackingLinkToken, trackingPageUrl } from "./link";
import { sign } from "~/security/signed-token";
import { DAY_MS } from "~/time";

const SECRET = "app-secret";
const SHOP = "parcelwise-test.myshopify.com";
const NOW = new Date("2026-12-01T12:00:00Z");
const PAID = new Date("2026-11-20T12:00:00Z");

const check = (token: string, over: Partial<Parameters<typeof checkTrackingLinkToken>[0]> = {}) =>
  checkTrackingLinkToken({ secret: SECRET, shop: SHOP, orderShopifyId: "5001", token, now: NOW, maxAgeDays: 180, orderSince: PAID, ...over });

describe("tracking link tokens", () => {
  it("carry when they were made and an HMAC, and verify for the shop and order they were made for", () => {
    const token = trackingLinkToken(SECRET, SHOP, "5001", NOW);
    expect(token).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(trackingLinkIssuedAt(token)).toEqual(NOW);
    expect(check(token)).toBe("valid");
    expect(check(token, { shop: SHOP.toUpperCase() })).toBe("valid");
  });

  it("refuse another order, shop or secret, a changed time and a tampered MAC", () => {
    const token = trackingLinkToken(SECRET, SHOP, "5001", NOW);
    const [issued, mac] = token.split(".");
    expect(check(token, { orderShopifyId: "5002" })).toBe("invalid");
    expect(check(token, { shop: "other.myshopify.com" })).toBe("invalid");
    expect(check(token, { secret: "other-secret" })).toBe("invalid");
    expect(check(`${(parseInt(issued, 36) + 1).toString(36)}.${mac}`)).toBe("invalid");
    expect(check(`${issued}.${(mac[0] === "A" ? "B" : "A") + mac.slice(1)}`)).toBe("invalid");
    for (const bad of ["", "not a token!", `${token}.x`, `0${token}`, token.toUpperCase(), `${issued}.`]) expect(check(bad)).toBe("invalid");
  });

  it("refuse a sibling spelling of the MAC that decodes to the same bytes", () => {
    const token = trackingLinkToken(SECRET, SHOP, "5001", NOW);
    // 16 bytes are 22 base64url characters; the last one carries 4 padding bits.
    const sibling = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(token.length - 1) + 1);
    expect(Buffer.from(sibling.split(".")[1], "base64url")).toEqual(Buffer.from(token.split(".")[1], "base64url"));
    expect(check(sibling)).toBe("invalid");
  });

  it("expire after the maximum age, and refuse one made in the future", () => {
    const old = trackingLinkToken(SECRET, SHOP, "5001", new Date(NOW.getTime() - 181 * DAY_MS));
    expect(check(old)).toBe("expired");
    expect(check(old, { maxAgeDays: 365 })).toBe("valid");
    expect(check(trackingLinkToken(SECRET, SHOP, "5001", new Date(NOW.getTime() - 179 * DAY_MS)))).toBe("valid");
    expect(check(trackingLinkToken(SECRET, SHOP, "5001", new Date(NOW.getTime() + 2 * DAY_MS)))).toBe("invalid");
  });

  it("honour a link mailed before links expired while its order is younger than the maximum age", () => {
    const legacy = sign(SECRET, "parcelwise:tracking-link:v1\n", `${SHOP}\n5001`, 16);
    expect(legacy).toBe("AGcogYwu9GbiX37G5SnNyA");
    expect(trackingLinkIssuedAt(legacy)).toBeNull();
    expect(check(legacy)).toBe("valid");
    expect(check(legacy, { orderSince: new Date(NOW.getTime() - 200 * DAY_MS) })).toBe("expired");
    expect(check(legacy, { orderShopifyId: "5002" })).toBe("invalid");
    expect(check(legacy.slice(0, -1) + String.fromCharCode(legacy.charCodeAt(21) + 1))).toBe("invalid");
  });
});

describe("trackingPageUrl", () => {
  it("points at the app proxy's tracking page with the order number and its token", () => {
    const url = new URL(trackingPageUrl({ shopDomain: SHOP, orderName: "#1001", orderShopifyId: "5001", secret: SECRET, issuedAt: NOW }));
    expect(url.origin).toBe(`https://${SHOP}`);
    expect(url.pathname).toBe("/apps/parcelwise/track");
    expect(url.searchParams.get("order")).toBe("1001");
    expect(check(url.searchParams.get("t")!)).toBe("valid");
    expect(url.searchParams.has("locale")).toBe(false);
  });

  it("carries the buyer's locale when given", () => {
    const url = new URL(trackingPageUrl({ shopDomain: SHOP, orderName: "#EU-1001", orderShopifyId: "5001", secret: SECRET, issuedAt: NOW, locale: "pt-BR" }));
    expect(url.searchParams.get("order")).toBe("EU-1001");
    expect(url.searchParams.get("locale")).toBe("pt-BR");
  });
});
