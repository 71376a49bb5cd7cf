// Self-contained unsubscribe links: the token carries the shop and the buyer's address and an
// HMAC-SHA256 over them, so the link works without any stored state and cannot be altered.
import { sign, verify } from "~/security/signed-token";
import { normalizeEmail } from "./address";

const PURPOSE = "parcelwise:unsubscribe:v1:";

export function unsubscribeToken(secret: string, shop: string, email: string): string {
  const payload = Buffer.from(JSON.stringify({ s: shop, e: normalizeEmail(email) }), "utf8").toString("base64url");
  return `${payload}.${sign(secret, PURPOSE, payload)}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): { shop: string; email: string } | null {
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [payload, signature] = parts;
  if (!verify(secret, PURPOSE, payload, signature)) return null;
  try {
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { s?: unknown; e?: unknown };
    if (typeof decoded.s !== "string" || typeof decoded.e !== "string" || !decoded.s || !decoded.e) return null;
    return { shop: decoded.s, email: normalizeEmail(decoded.e) };
  } catch {
    return null;
  }
}

export function unsubscribeUrl(appUrl: string, secret: string, shop: string, email: string): string {
  return `${appUrl.replace(/\/+$/, "")}/unsubscribe/${unsubscribeToken(secret, shop, email)}`;
}

/** Mail headers for one-click unsubscribe (RFC 8058), which Gmail and Yahoo require of bulk senders. */
export function listUnsubscribeHeaders(url: string): { "List-Unsubscribe": string; "List-Unsubscribe-Post": string } {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
