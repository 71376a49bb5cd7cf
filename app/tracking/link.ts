// Signed links to the storefront tracking page. The shipping confirmation and the delay notice carry
// one, so a buyer who follows it sees the order without typing an email; the token proves the link
// came from the app for that shop and order, and nothing else.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The app proxy as declared in shopify.app.toml ([app_proxy] prefix/subpath → /proxy/*). */
export const APP_PROXY_PREFIX = "apps";
export const APP_PROXY_SUBPATH = "parcelwise";
/** The tracking page under the proxy: /apps/parcelwise/track on the shop's domain, /proxy/track here. */
export const TRACKING_PAGE_PATH = "track";

// 128 bits of an HMAC-SHA256: unguessable, and short enough for a URL in a plain-text mail.
const TOKEN_BYTES = 16;

function mac(secret: string, shop: string, orderShopifyId: string): Buffer {
  // The purpose prefix keeps these MACs from ever matching another use of the same secret.
  return createHmac("sha256", secret)
    .update(`parcelwise:tracking-link:v1\n${shop.toLowerCase()}\n${orderShopifyId}`, "utf8")
    .digest()
    .subarray(0, TOKEN_BYTES);
}

export function trackingLinkToken(secret: string, shop: string, orderShopifyId: string): string {
  return mac(secret, shop, orderShopifyId).toString("base64url");
}

export function verifyTrackingLinkToken(secret: string, shop: string, orderShopifyId: string, token: string): boolean {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return false;
  const given = Buffer.from(token, "base64url");
  const expected = mac(secret, shop, orderShopifyId);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** "#1001" → "1001": what a buyer types and what the link carries. */
export function orderNumberOf(orderName: string): string {
  return orderName.trim().replace(/^#/, "");
}

/**
 * The storefront tracking page for one order, signed for it:
 * https://<shopDomain>/apps/parcelwise/track?order=1001&t=<token>[&locale=de].
 * `secret` is the app's SHOPIFY_API_SECRET (rotating it retires links already mailed).
 */
export function trackingPageUrl(input: {
  shopDomain: string;
  orderName: string;
  orderShopifyId: string;
  secret: string;
  /** The buyer's locale, so the page opens in the language of the mail. */
  locale?: string | null;
}): string {
  const url = new URL(`https://${input.shopDomain}/${APP_PROXY_PREFIX}/${APP_PROXY_SUBPATH}/${TRACKING_PAGE_PATH}`);
  url.searchParams.set("order", orderNumberOf(input.orderName));
  url.searchParams.set("t", trackingLinkToken(input.secret, input.shopDomain, input.orderShopifyId));
  if (input.locale) url.searchParams.set("locale", input.locale);
  return url.toString();
}
