import { describe, expect, it } from "vitest";
import { checkContactLinkToken, contactLinkToken, contactPageUrl } from "./contact-link";
import { DAY_MS } from "~/time";

const SECRET = "s3cret";
const SHOP = "kumo.myshopify.com";
const ID = "cmabc123def456ghi789";
const now = new Date("2026-12-01T12:00:00Z");

describe("contact links", () => {
  it("opens for the shop and notification it was made for, with its rating", () => {
    const token = contactLinkToken(SECRET, { shop: SHOP, notificationId: ID, issuedAt: now, rating: 1 });
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token, now })).toEqual({ ok: true, link: { notificationId: ID, rating: 1, issuedAt: new Date(Math.floor(now.getTime() / 1000) * 1000) } });
    const plain = contactLinkToken(SECRET, { shop: SHOP, notificationId: ID, issuedAt: now });
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: plain, now })).toMatchObject({ ok: true, link: { rating: null } });
  });

  it("refuses another shop, another secret, an edited rating or id, and a sibling spelling", () => {
    const token = contactLinkToken(SECRET, { shop: SHOP, notificationId: ID, issuedAt: now, rating: 1 });
    const invalid = { ok: false, reason: "invalid" };
    expect(checkContactLinkToken({ secret: SECRET, shop: "other.myshopify.com", token, now })).toEqual(invalid);
    expect(checkContactLinkToken({ secret: "other", shop: SHOP, token, now })).toEqual(invalid);
    const [id, issued, , mac] = token.split(".");
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: [id, issued, "5", mac].join("."), now })).toEqual(invalid);
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: ["cmabc123def456ghi780", issued, "1", mac].join("."), now })).toEqual(invalid);
    // 16 bytes are 22 base64url characters; the last carries 4 padding bits, so flipping one decodes alike.
    const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = token.slice(0, -1) + ALPHABET[ALPHABET.indexOf(token.at(-1)!) ^ 1];
    expect(Buffer.from(sibling.split(".")[3]!, "base64url")).toEqual(Buffer.from(mac!, "base64url"));
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: sibling, now })).toEqual(invalid);
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: "", now })).toEqual(invalid);
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: `${token}.x`, now })).toEqual(invalid);
  });

  it("expires after 180 days, and refuses a link from the future", () => {
    const old = contactLinkToken(SECRET, { shop: SHOP, notificationId: ID, issuedAt: new Date(now.getTime() - 181 * DAY_MS) });
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: old, now })).toEqual({ ok: false, reason: "expired" });
    const recent = contactLinkToken(SECRET, { shop: SHOP, notificationId: ID, issuedAt: new Date(now.getTime() - 179 * DAY_MS) });
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: recent, now }).ok).toBe(true);
    const future = contactLinkToken(SECRET, { shop: SHOP, notificationId: ID, issuedAt: new Date(now.getTime() + 2 * DAY_MS) });
    expect(checkContactLinkToken({ secret: SECRET, shop: SHOP, token: future, now })).toEqual({ ok: false, reason: "invalid" });
  });

  it("is a link on the shop's domain through the app proxy, with no personal data", () => {
    const url = new URL(contactPageUrl({ shopDomain: SHOP, notificationId: ID, secret: SECRET, issuedAt: now, rating: 2 }));
    expect(`${url.origin}${url.pathname}`).toBe(`https://${SHOP}/apps/parcelwise/contact`);
    expect([...url.searchParams.keys()]).toEqual(["t"]);
    expect(url.searchParams.get("t")).toMatch(new RegExp(`^${ID}\\.[0-9a-z]+\\.2\\.[A-Za-z0-9_-]{22}$`));
  });
});
