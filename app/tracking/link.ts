// Signed links to the storefront tracking page. The shipping confirmation and the delay notice carry
// one, so a buyer who follows it sees the order without typing an email; the token proves the link
// came from the app for that shop and order, and nothing else.
import { orderNumberOf } from "~/orders/order-number";
import { sign, verify } from "~/security/signed-token";

/** The app proxy as declared in shopify.app.toml ([app_proxy] prefix/subpath → /proxy/*). */
export const APP_PROXY_PREFIX = "apps";
export const APP_PROXY_SUBPATH = "parcelwise";
/** The tracking page under the proxy: /apps/parcelwise/track on the shop's domain, /proxy/track here. */
export const TRACKING_PAGE_PATH = "track";

const PURPOSE = "parcelwise:tracking-link:v1\n";
// 128 bits of an HMAC-SHA256: unguessable, and short enough for a URL in a plain-text mail.
const TOKEN_BYTES = 16;

const signed = (shop: string, orderShopifyId: string) => `${shop.toLowerCase()}\n${orderShopifyId}`;

export function trackingLinkToken(secret: string, shop: string, orderShopifyId: string): string {
  return sign(secret, PURPOSE, signed(shop, orderShopifyId), TOKEN_BYTES);
}

export function verifyTrackingLinkToken(secret: string, shop: string, orderShopifyId: string, token: string): boolean {
  return verify(secret, PURPOSE, signed(shop, orderShopifyId), token, TOKEN_BYTES);
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
