// The Admin API stand-in's products: `nodes(ids: [gid://shopify/Product/…])` answered with each product's
// handle, Online Store URL, featured image and, when asked (`translations(locale:) @include(if: $translate)`),
// its translated title, plus `shop { primaryDomain { url } }`. Faults can be queued for the next calls:
// THROTTLED (a 200 with Shopify's THROTTLED error and an empty bucket), an HTTP status such as 500 or 503,
// or "hang" (no answer until the stand-in closes).

export type ProductsFault = "THROTTLED" | "hang" | number;

export interface StandinProduct {
  id: string;
  handle: string;
  title: string;
  /** Null: not published on the Online Store. */
  onlineStoreUrl: string | null;
  imageUrl: string | null;
  /** Translated titles by locale. */
  translations?: Record<string, string>;
}

export interface ProductsCatalog {
  products: Map<string, StandinProduct>;
  /** Consumed one per products call, first in first out. */
  faults: ProductsFault[];
  /** The shop's primary domain, as `shop.primaryDomain.url` gives it. */
  primaryDomainUrl: string;
  /** Every products call: the product ids asked for, the locale (null: no translations) and what it got. */
  calls: Array<{ ids: string[]; locale: string | null; answered: ProductsFault | "products" }>;
  answer(variables: Record<string, unknown>): { status: number; body: unknown } | "hang";
}

export function createProductsCatalog(primaryDomainUrl: string): ProductsCatalog {
  const catalog: ProductsCatalog = {
    products: new Map(),
    faults: [],
    primaryDomainUrl,
    calls: [],
    answer(variables) {
      const gids = Array.isArray(variables.ids) ? variables.ids.map(String) : [];
      const ids = gids.map((gid) => gid.split("/").pop() ?? "");
      const locale = variables.translate === true && typeof variables.locale === "string" ? variables.locale : null;
      const fault = catalog.faults.shift();
      const cost = { requestedQueryCost: 1 + 3 * ids.length, actualQueryCost: 1 + 3 * ids.length, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } };
      if (fault !== undefined) catalog.calls.push({ ids, locale, answered: fault });
      if (fault === "hang") return "hang";
      if (typeof fault === "number") return { status: fault, body: { errors: "Internal Server Error" } };
      if (fault === "THROTTLED") {
        const throttled = { ...cost, throttleStatus: { ...cost.throttleStatus, currentlyAvailable: 0 } };
        return { status: 200, body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: throttled } } };
      }
      catalog.calls.push({ ids, locale, answered: "products" });
      const nodes = gids.map((gid, i) => {
        const product = catalog.products.get(ids[i]!);
        if (!product || !gid.startsWith("gid://shopify/Product/")) return null;
        const title = locale ? product.translations?.[locale] : undefined;
        return {
          id: gid,
          handle: product.handle,
          title: product.title,
          onlineStoreUrl: product.onlineStoreUrl,
          featuredMedia: product.imageUrl ? { preview: { image: { url: product.imageUrl } } } : null,
          ...(locale ? { translations: title ? [{ key: "title", value: title }] : [] } : {}),
        };
      });
      return { status: 200, body: { data: { shop: { primaryDomain: { url: catalog.primaryDomainUrl } }, nodes }, extensions: { cost } } };
    },
  };
  return catalog;
}
