// Order numbers as buyers know them: Shopify names an order "#1001" (or "#EU-1001" with a prefix); a
// buyer types "1001", "#1001" or " 1001 ", and links and templates carry "1001".

/** Longest order number a buyer may type; anything longer cannot be one. */
const MAX_LENGTH = 64;

/** "#1001" → "1001": what a buyer types and what a link carries. */
export function orderNumberOf(orderName: string): string {
  return orderName.trim().replace(/^#/, "");
}

/** What a buyer typed as the order number ("#1001", " 1001 ", "# 1001", "##1001") → "1001"; null when it cannot be one. */
export function normalizeOrderNumber(typed: string): string | null {
  // Every leading "#" and space: "##1001" is order 1001, and is counted as 1001 by the attempt limits.
  const number = typed.replace(/^[\s#]+/, "").trim();
  return number.length > 0 && number.length <= MAX_LENGTH ? number : null;
}

/** The order names a typed number may stand for, with and without "#", as typed and upper-cased ("eu-1001" → "#EU-1001"). */
export function orderNamesFor(number: string): string[] {
  return [...new Set([number, number.toUpperCase()])].flatMap((n) => [`#${n}`, n]);
}
