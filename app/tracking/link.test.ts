import { describe, expect, it } from "vitest";
import { trackingLinkToken, trackingPageUrl, verifyTrackingLinkToken } from "./link";

const SECRET = "app-secret";
const SHOP = "parcelwise-test.myshopify.com";

describe("tracking link tokens", () => {
  it("verifies a token for the shop and order it was made for", () => {
    const token = trackingLinkToken(SECRET, SHOP, "5001");
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", token)).toBe(true);
  });

  it("refuses it for another order, another shop, another secret or a tampered token", () => {
    const token = trackingLinkToken(SECRET, SHOP, "5001");
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5002", token)).toBe(false);
    expect(verifyTrackingLinkToken(SECRET, "other.myshopify.com", "5001", token)).toBe(false);
    expect(verifyTrackingLinkToken("other-secret", SHOP, "5001", token)).toBe(false);
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", flipped)).toBe(false);
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", token.slice(0, -2))).toBe(false);
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", "")).toBe(false);
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", "not a token!")).toBe(false);
  });

  it("refuses a sibling spelling of the token that decodes to the same bytes", () => {
    const token = trackingLinkToken(SECRET, SHOP, "5001");
    // 16 bytes are 22 base64url characters; the last one carries 4 padding bits.
    const sibling = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(21) + 1);
    expect(Buffer.from(sibling, "base64url")).toEqual(Buffer.from(token, "base64url"));
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", sibling)).toBe(false);
  });

  it("verifies a token mailed before tokens had one signing module", () => {
    expect(trackingLinkToken(SECRET, SHOP, "5001")).toBe("AGcogYwu9GbiX37G5SnNyA");
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", "AGcogYwu9GbiX37G5SnNyA")).toBe(true);
  });

  it("ignores the case of the shop domain", () => {
    expect(verifyTrackingLinkToken(SECRET, SHOP.toUpperCase(), "5001", trackingLinkToken(SECRET, SHOP, "5001"))).toBe(true);
  });
});

describe("trackingPageUrl", () => {
  it("points at the app proxy's tracking page with the order number and its token", () => {
    const url = new URL(trackingPageUrl({ shopDomain: SHOP, orderName: "#1001", orderShopifyId: "5001", secret: SECRET }));
    expect(url.origin).toBe(`https://${SHOP}`);
    expect(url.pathname).toBe("/apps/parcelwise/track");
    expect(url.searchParams.get("order")).toBe("1001");
    expect(verifyTrackingLinkToken(SECRET, SHOP, "5001", url.searchParams.get("t")!)).toBe(true);
    expect(url.searchParams.has("locale")).toBe(false);
  });

  it("carries the buyer's locale when given", () => {
    const url = new URL(trackingPageUrl({ shopDomain: SHOP, orderName: "#EU-1001", orderShopifyId: "5001", secret: SECRET, locale: "pt-BR" }));
    expect(url.searchParams.get("order")).toBe("EU-1001");
    expect(url.searchParams.get("locale")).toBe("pt-BR");
  });
});
