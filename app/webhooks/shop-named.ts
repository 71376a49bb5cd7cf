// A compliance or app/uninstalled payload names the shop it is about. A delivery whose payload names
// another shop than the one it is delivered for is refused: acting on it would redact or uninstall the
// wrong shop.
import { MalformedPayloadError } from "./topics";

/** The shop domains a payload names (none when it names none). */
function shopsNamed(topic: string, payload: unknown): string[] {
  const fields = (payload ?? {}) as Record<string, unknown>;
  const named = (value: unknown) => (typeof value === "string" && value !== "" ? [value] : []);
  switch (topic) {
    case "customers/data_request":
    case "customers/redact":
    case "shop/redact":
      return named(fields.shop_domain);
    case "app/uninstalled":
      // The Shop object: `domain` is the primary domain, often the merchant's own, so it only counts
      // when it is a myshopify.com domain.
      return [...named(fields.myshopify_domain), ...named(fields.domain).filter((domain) => domain.toLowerCase().endsWith(".myshopify.com"))];
    default:
      return [];
  }
}

export class ShopMismatchError extends MalformedPayloadError {}

/** Throws ShopMismatchError when the payload names a shop other than `shop`. */
export function checkShopNamed(topic: string, shop: string, payload: unknown): void {
  const other = shopsNamed(topic, payload).find((named) => named.toLowerCase() !== shop.toLowerCase());
  if (other !== undefined) {
    throw new ShopMismatchError(`${topic} payload names another shop (${other.slice(0, 255)}) than the one it is delivered for (${shop})`);
  }
}
