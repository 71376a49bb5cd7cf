// The feedback request's default destination: the storefront pages of what the buyer bought. Pure: the
// order's stored line items and the shop's cached products (app/feedback/product-cache.server.ts) in,
// `feedback.products` out. A product not on the Online Store is left out (its /products/<handle> page
// would be a 404); a product never read from the Admin API keeps its line title, without a link.
import type { OrderLineItem } from "~/orders/payload";
import { webUrl } from "~/tracking/web-url";
import { DAY_MS } from "~/time";

/** At most this many products in a feedback request. */
export const MAX_FEEDBACK_PRODUCTS = 3;
/** A cached product older than this is read again (it may have been renamed, unpublished or deleted). */
export const PRODUCT_STALE_MS = 7 * DAY_MS;

/** A product as the cache keeps it (ProductCache, with `titles` parsed). */
export interface CachedProduct {
  productId: string;
  /** Null when Shopify no longer has the product. */
  handle: string | null;
  /** Null when the product is not published on the Online Store. */
  onlineStoreUrl: string | null;
  title: string | null;
  imageUrl: string | null;
  /** Translated titles by the locale asked for; null where the shop has no translation for it. */
  titles: Record<string, string | null>;
  fetchedAt: Date;
}

/** One entry of `feedback.products`; a template tests `{% if product.url %}` before linking. */
export interface FeedbackProduct {
  title: string;
  url: string | null;
  image_url: string | null;
}

/** The order's stored line items (Order.lineItems); an unreadable value reads as none. */
export function parseLineItems(json: string | null | undefined): OrderLineItem[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((line): line is OrderLineItem => typeof line === "object" && line !== null && "title" in line) : [];
  } catch {
    return [];
  }
}

/** The distinct products of an order's lines, in the order's own order. */
export function productIdsOf(lines: readonly OrderLineItem[]): string[] {
  return [...new Set(lines.map((line) => line.productId).filter((id): id is string => !!id))];
}

/**
 * The locales whose translated title a buyer could be shown: their own, as Shopify spells the storefront
 * locale they bought in (`customer_locale`: "de", "pt-BR"). None for a buyer in the shop's primary
 * language ("en-US" in an "en" shop; "pt-PT" in a "pt-BR" shop is asked for): the product's own title is in it.
 */
export function translationLocales(buyerLocale: string | null | undefined, primaryLocale: string): string[] {
  const locale = buyerLocale?.trim().replace(/_/g, "-");
  if (!locale) return [];
  const primary = primaryLocale.toLowerCase();
  if (locale.toLowerCase() === primary || locale.split("-")[0]!.toLowerCase() === primary) return [];
  return [locale];
}

/** Whether the cache has to (re)read this product for a buyer in `locales`. */
export function needsFetch(entry: CachedProduct | undefined, locales: readonly string[], now: Date): boolean {
  if (!entry) return true;
  if (now.getTime() - entry.fetchedAt.getTime() > PRODUCT_STALE_MS) return true;
  return entry.handle !== null && locales.some((locale) => !(locale in entry.titles));
}

/** The product's title in the first of `locales` the shop has a translation for, else its own title. */
export function translatedTitle(entry: CachedProduct, locales: readonly string[]): string | null {
  for (const locale of locales) {
    const title = entry.titles[locale]?.trim();
    if (title) return title;
  }
  return entry.title;
}

export interface ProductLinksInput {
  /** The order's line items (stored JSON or parsed). */
  lineItems: readonly OrderLineItem[] | string | null | undefined;
  /** The shop's cached products by product id. */
  products: ReadonlyMap<string, CachedProduct>;
  /** The buyer's locale, and the shop's primary locale (whose titles need no translation). */
  locale: string | null | undefined;
  primaryLocale: string;
}

/**
 * `feedback.products`: up to three of the order's products, each with its storefront page, image and
 * title in the buyer's language where the shop has translated it. A product the Admin API has not
 * answered for (it was down at send time) keeps its line title without a link or image; one that is not
 * on the Online Store, or no longer exists, is left out. Lines without a product (custom items, tips) are
 * never shown. Engineers building `review_url` take the first product with a `url`.
 */
export function productLinksFor(input: ProductLinksInput): FeedbackProduct[] {
  const lines = typeof input.lineItems === "string" || !input.lineItems ? parseLineItems(input.lineItems as string | null) : input.lineItems;
  const locales = translationLocales(input.locale, input.primaryLocale);
  const links: FeedbackProduct[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    if (links.length >= MAX_FEEDBACK_PRODUCTS) break;
    if (!line.productId || seen.has(line.productId)) continue;
    seen.add(line.productId);
    const entry = input.products.get(line.productId);
    if (!entry) {
      if (line.title) links.push({ title: line.title, url: null, image_url: null });
      continue;
    }
    const url = webUrl(entry.onlineStoreUrl);
    if (!url) continue;
    links.push({ title: translatedTitle(entry, locales) ?? line.title, url, image_url: webUrl(entry.imageUrl) });
  }
  return links;
}

/** The first product page among `products`, for a "Leave a review" button with no review URL set. */
export function firstProductUrl(products: readonly FeedbackProduct[]): string | null {
  return products.find((product) => product.url)?.url ?? null;
}

/** The shop's storefront home: its primary domain when read from the Admin API, else its myshopify domain. */
export function storefrontUrlFor(shop: { domain: string; storefrontUrl?: string | null }): string {
  return webUrl(shop.storefrontUrl) ?? `https://${shop.domain}/`;
}
