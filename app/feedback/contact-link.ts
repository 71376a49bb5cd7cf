// Signed links to the "contact us first" form on the shop's domain (/apps/parcelwise/contact through
// the app proxy). The token names the feedback request the buyer got, by its stored notification id,
// with the time it was made, the star rating the buyer came with (0: none) and an HMAC over shop and all
// of those: no personal data, and only one spelling verifies. The order and the buyer are read from the
// notification row, so a forged or edited link reaches nothing.
import { APP_PROXY_PREFIX, APP_PROXY_SUBPATH } from "~/tracking/link";
import { sign, verify } from "~/security/signed-token";
import { DAY_MS } from "~/time";

/** The form under the proxy: /apps/parcelwise/contact on the shop's domain, /proxy/contact here. */
export const CONTACT_PAGE_PATH = "contact";
/** How long a contact link opens its form: a buyer may write weeks after the feedback request. */
export const CONTACT_LINK_MAX_AGE_DAYS = 180;

const PURPOSE = "parcelwise:contact-link:v1\n";
const TOKEN_BYTES = 16;
// Notification ids are cuids: lower-case letters and digits.
const NOTIFICATION_ID = /^[a-z0-9]{8,40}$/;
// Unix seconds in base36: no sign, no leading zero, no upper case.
const ISSUED = /^[1-9a-z][0-9a-z]{0,9}$/;
const RATING = /^[0-5]$/;

export interface ContactLink {
  notificationId: string;
  /** 1–5 when the buyer came from a star, else null. */
  rating: number | null;
  issuedAt: Date;
}

export type ContactLinkCheck = { ok: true; link: ContactLink } | { ok: false; reason: "invalid" | "expired" };

const signed = (shop: string, id: string, issued: string, rating: string) => `${shop.toLowerCase()}\n${id}\n${issued}\n${rating}`;

export function contactLinkToken(secret: string, input: { shop: string; notificationId: string; issuedAt: Date; rating?: number | null }): string {
  const issued = Math.floor(input.issuedAt.getTime() / 1000).toString(36);
  const rating = input.rating && Number.isInteger(input.rating) && input.rating >= 1 && input.rating <= 5 ? String(input.rating) : "0";
  return `${input.notificationId}.${issued}.${rating}.${sign(secret, PURPOSE, signed(input.shop, input.notificationId, issued, rating), TOKEN_BYTES)}`;
}

/** Whether `token` was made by this app for this shop, and is still open at `now`. */
export function checkContactLinkToken(input: { secret: string; shop: string; token: string; now: Date; maxAgeDays?: number }): ContactLinkCheck {
  const parts = input.token.split(".");
  if (parts.length !== 4) return { ok: false, reason: "invalid" };
  const [id, issued, rating, signature] = parts as [string, string, string, string];
  if (!NOTIFICATION_ID.test(id) || !ISSUED.test(issued) || !RATING.test(rating)) return { ok: false, reason: "invalid" };
  if (!verify(input.secret, PURPOSE, signed(input.shop, id, issued, rating), signature, TOKEN_BYTES)) return { ok: false, reason: "invalid" };
  const issuedAt = new Date(parseInt(issued, 36) * 1000);
  // A token from the future (beyond clock skew) was not made by this app's clock.
  if (issuedAt.getTime() > input.now.getTime() + DAY_MS) return { ok: false, reason: "invalid" };
  if (input.now.getTime() - issuedAt.getTime() > (input.maxAgeDays ?? CONTACT_LINK_MAX_AGE_DAYS) * DAY_MS) return { ok: false, reason: "expired" };
  return { ok: true, link: { notificationId: id, rating: rating === "0" ? null : Number(rating), issuedAt } };
}

/** https://<shopDomain>/apps/parcelwise/contact?t=<token>: the `feedback.contact_url` of a feedback request. */
export function contactPageUrl(input: { shopDomain: string; notificationId: string; secret: string; issuedAt: Date; rating?: number | null }): string {
  const url = new URL(`https://${input.shopDomain}/${APP_PROXY_PREFIX}/${APP_PROXY_SUBPATH}/${CONTACT_PAGE_PATH}`);
  url.searchParams.set("t", contactLinkToken(input.secret, { shop: input.shopDomain, ...input }));
  return url.toString();
}
