// Signatures the app puts in links it mails (unsubscribe, tracking page): an HMAC-SHA256 under the
// app's secret, prefixed by a purpose so a signature made for one use never passes for another.
import { createHmac, timingSafeEqual } from "node:crypto";

const FULL_BYTES = 32;

/** The base64url HMAC-SHA256 of `purpose + message`, cut to `bytes` (a shorter link in a plain-text mail). */
export function sign(secret: string, purpose: string, message: string, bytes = FULL_BYTES): string {
  return createHmac("sha256", secret).update(purpose + message, "utf8").digest().subarray(0, bytes).toString("base64url");
}

/**
 * Whether `signature` is sign(...) for this message, compared in constant time. Only the canonical
 * spelling passes: base64url decoding is lenient, so a sibling spelling of the same bytes is refused.
 */
export function verify(secret: string, purpose: string, message: string, signature: string, bytes = FULL_BYTES): boolean {
  const expected = Buffer.from(sign(secret, purpose, message, bytes), "utf8");
  const given = Buffer.from(signature, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
