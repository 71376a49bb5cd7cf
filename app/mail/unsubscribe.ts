// Unsubscribe links. The token names the notification the mail was, by its stored id, with an
// HMAC-SHA256 over shop and id: it holds no personal data, the address to suppress is read from the
// notification row, and only one spelling verifies. Links mailed before this carried the address in
// base64 (legacy tokens, `<payload>.<mac>`): they are honoured still, since the mails holding them are
// already in buyers' inboxes and an unsubscribe link must keep working; none is made any more.
import type { Db } from "~/db.server";
import { sign, verify } from "~/security/signed-token";
import { normalizeEmail } from "./address";

const PURPOSE = "parcelwise:unsubscribe:v2:";
const LEGACY_PURPOSE = "parcelwise:unsubscribe:v1:";
const TOKEN_BYTES = 16;
// Notification ids are cuids: lower-case letters and digits.
const NOTIFICATION_ID = /^[a-z0-9]{8,40}$/;

const signed = (shop: string, notificationId: string) => `${shop}\n${notificationId}`;

export function unsubscribeToken(secret: string, notification: { shop: string; id: string }): string {
  return `${notification.id}.${sign(secret, PURPOSE, signed(notification.shop, notification.id), TOKEN_BYTES)}`;
}

export function unsubscribeUrl(appUrl: string, secret: string, notification: { shop: string; id: string }): string {
  return `${appUrl.replace(/\/+$/, "")}/unsubscribe/${unsubscribeToken(secret, notification)}`;
}

/** Who a link unsubscribes: null for a forged or mangled token; `email` null when the buyer's data was since erased. */
export async function resolveUnsubscribeToken(db: Db, secret: string, token: string): Promise<{ shop: string; email: string | null } | null> {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [id, signature] = parts;
  if (!NOTIFICATION_ID.test(id)) return verifyLegacyUnsubscribeToken(secret, token);
  const notification = await db.notification.findUnique({ where: { id }, select: { shop: true, recipient: true } });
  if (!notification || !verify(secret, PURPOSE, signed(notification.shop, id), signature, TOKEN_BYTES)) return null;
  return { shop: notification.shop, email: notification.recipient.includes("@") ? normalizeEmail(notification.recipient) : null };
}

/** A link mailed before tokens were opaque: shop and address in base64url JSON, then the MAC. */
export function verifyLegacyUnsubscribeToken(secret: string, token: string): { shop: string; email: string } | null {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [payload, signature] = parts;
  if (!verify(secret, LEGACY_PURPOSE, payload, signature)) return null;
  try {
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { s?: unknown; e?: unknown };
    if (typeof decoded.s !== "string" || typeof decoded.e !== "string" || !decoded.s || !decoded.e) return null;
    return { shop: decoded.s, email: normalizeEmail(decoded.e) };
  } catch {
    return null;
  }
}

/** Mail headers for one-click unsubscribe (RFC 8058), which Gmail and Yahoo require of bulk senders. */
export function listUnsubscribeHeaders(url: string): { "List-Unsubscribe": string; "List-Unsubscribe-Post": string } {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
