/** A buyer's address as the app keys it (suppressions, unsubscribe links, lookups): " Buyer@X.com " → "buyer@x.com". */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
