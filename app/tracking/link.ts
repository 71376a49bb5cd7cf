// Signed links to the storefront tracking page. The shipping confirmation and the delay notice carry
// one, so a buyer who follows it sees the order without typing an email; the token proves the link
// came from the app for that shop and order, when, and nothing else. It holds no personal data: the time
// it was made (unix seconds, base36) and an HMAC over shop, order id and that time, in one spelling only.
// A link opens the order for TRACKING_LINK_MAX_AGE_DAYS (default 180) after it was made.
import { orderNumberOf } from "~/orders/order-number";
import { sign, verify } from "~/security/signed-token";
import { DAY_MS } from "~/time";

/** The app proxy as declared in shopify.app.toml ([app_proxy] prefix/subpath → /proxy/*). */
export const APP_PROXY_PREFIX = "apps";
export const APP_PROXY_SUBPATH = "parcelwise";
/** The tracking page under the proxy: /apps/parcelwise/track on the shop's domain, /proxy/track here. */
export const TRACKING_PAGE_PATH = "track";

const PURPOSE = "parcelwise:tracking-link:v2\n";
// Links mailed before links expired: an HMAC over shop and order alone (22 characters, no dot).
const LEGACY_PURPOSE = "parcelwise:tracking-link:v1\n";
// 128 bits of an HMAC-SHA256: unguessable, and short enough for a URL in a plain-text mail.
const TOKEN_BYTES = 16;
export const DEFAULT_TRACKING_LINK_MAX_AGE_DAYS = 180;

const signed = (shop: string, orderShopifyId: string) => `${shop.toLowerCase()}\n${orderShopifyId}`;
// Unix seconds in base36 as written by trackingLinkToken: no sign, no leading zero, no upper case.
const ISSUED = /^[1-9a-z][0-9a-z]{0,9}$/;

export function trackingLinkToken(secret: string, shop: string, orderShopifyId: string, issuedAt: Date): string {
  const issued = Math.floor(issuedAt.getTime() / 1000).toString(36);
  return `${issued}.${sign(secret, PURPOSE, `${signed(shop, orderShopifyId)}\n${issued}`, TOKEN_BYTES)}`;
}

/** When a token says it was made (read before any signature check: it only tells whether to bother); null for a legacy or malformed one. */
export function trackingLinkIssuedAt(token: string): Date | null {
  const [issued, signature, extra] = token.split(".");
  if (extra !== undefined || signature === undefined || !ISSUED.test(issued)) return null;
  return new Date(parseInt(issued, 36) * 1000);
}

export type TrackingLinkCheck = "valid" | "expired" | "invalid";

const pastAge = (since: Date, now: Date, maxAgeDays: number) => now.getTime() - since.getTime() > maxAgeDays * DAY_MS;

/** Whether a token says it was made longer than `maxAgeDays` ago (no signature check: enough to show the expired notice at once). */
export function trackingLinkLooksExpired(token: string, now: Date, maxAgeDays: number): boolean {
  const issuedAt = trackingLinkIssuedAt(token);
  return issuedAt !== null && pastAge(issuedAt, now, maxAgeDays);
}

/**
 * Whether `token` is a link made for this shop and order that is still open at `now`. A legacy token
 * (mailed before links expired) counts as made when the order was paid or recorded: it ages like a new one.
 */
export function checkTrackingLinkToken(input: {
  secret: string;
  shop: string;
  orderShopifyId: string;
  token: string;
  now: Date;
  maxAgeDays: number;
  /** For a legacy token: when the order was paid, else when it was recorded. */
  orderSince: Date;
}): TrackingLinkCheck {
  const { secret, shop, orderShopifyId, token, now, maxAgeDays } = input;
  const issuedAt = trackingLinkIssuedAt(token);
  if (issuedAt) {
    const issued = token.split(".")[0];
    if (!verify(secret, PURPOSE, `${signed(shop, orderShopifyId)}\n${issued}`, token.slice(issued.length + 1), TOKEN_BYTES)) return "invalid";
    // A token from the future (beyond clock skew) was not made by this app's clock.
    if (issuedAt.getTime() > now.getTime() + DAY_MS) return "invalid";
    return pastAge(issuedAt, now, maxAgeDays) ? "expired" : "valid";
  }
  if (!verify(secret, LEGACY_PURPOSE, signed(shop, orderShopifyId), token, TOKEN_BYTES)) return "invalid";
  return pastAge(input.orderSince, now, maxAgeDays) ? "expired" : "valid";
}

/**
 * The storefront tracking page for one order, signed for it:
 * https://<shopDomain>/apps/parcelwise/track?order=1001&t=<token>[&locale=de].
 * `secret` is the app's SHOPIFY_API_SECRET (rotating it retires links already mailed); `issuedAt` starts
 * the link's TRACKING_LINK_MAX_AGE_DAYS.
 */
export function trackingPageUrl(input: {
  shopDomain: string;
  orderName: string;
  orderShopifyId: string;
  secret: string;
  issuedAt: Date;
  /** The buyer's locale, so the page opens in the language of the mail. */
  locale?: string | null;
}): string {
  const url = new URL(`https://${input.shopDomain}/${APP_PROXY_PREFIX}/${APP_PROXY_SUBPATH}/${TRACKING_PAGE_PATH}`);
  url.searchParams.set("order", orderNumberOf(input.orderName));
  url.searchParams.set("t", trackingLinkToken(input.secret, input.shopDomain, input.orderShopifyId, input.issuedAt));
  if (input.locale) url.searchParams.set("locale", input.locale);
  return url.toString();
}
