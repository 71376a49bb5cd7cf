// The review links of a feedback request: /r/<notification id>.<link>.<MAC>, where the link is a star
// (1..5) or "r" for the plain review button. Like the unsubscribe token, it names the stored message and
// nothing else (no address, no name), with an HMAC-SHA256 over shop, id and link, so that a rating cannot be
// changed in the URL and only one spelling verifies. Pure.
import { sign, verify } from "~/security/signed-token";

const PURPOSE = "parcelwise:feedback-link:v1:";
const TOKEN_BYTES = 16;
// Notification ids are cuids: lower-case letters and digits.
const TOKEN = /^([a-z0-9]{8,40})\.([1-5]|r)\.([A-Za-z0-9_-]{1,64})$/;

export const RATINGS = [1, 2, 3, 4, 5] as const;

/** The link's key in FeedbackClick and the token: "1".."5", or "review" for the plain button. */
export const linkKey = (rating: number | null): string => (rating === null ? "review" : String(rating));

const signed = (shop: string, notificationId: string, rating: number | null) => `${shop}\n${notificationId}\n${linkKey(rating)}`;

export function feedbackLinkToken(secret: string, notification: { shop: string; id: string }, rating: number | null): string {
  return `${notification.id}.${rating ?? "r"}.${sign(secret, PURPOSE, signed(notification.shop, notification.id, rating), TOKEN_BYTES)}`;
}

export function feedbackLinkUrl(appUrl: string, secret: string, notification: { shop: string; id: string }, rating: number | null): string {
  return `${appUrl.replace(/\/+$/, "")}/r/${feedbackLinkToken(secret, notification, rating)}`;
}

export interface ParsedFeedbackToken {
  notificationId: string;
  rating: number | null;
  signature: string;
}

/** The token's parts when it is shaped like one (not yet verified: that needs the message's shop). */
export function parseFeedbackLinkToken(token: string): ParsedFeedbackToken | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  return { notificationId: match[1], rating: match[2] === "r" ? null : Number(match[2]), signature: match[3] };
}

export function verifyFeedbackLinkToken(secret: string, shop: string, parsed: ParsedFeedbackToken): boolean {
  return verify(secret, PURPOSE, signed(shop, parsed.notificationId, parsed.rating), parsed.signature, TOKEN_BYTES);
}
