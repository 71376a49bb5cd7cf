// The product cache behind `feedback.products`: each shop's purchased products (handle, Online Store URL,
// featured image, title and its translations) read through the Admin API, 25 a call, and kept per shop
// and product. Filled by the products job outside any webhook's transaction; read in one query per mail
// batch, with a best-effort read-through for what is still missing or stale. A mail never waits on, or
// fails because of, the Admin API: what it cannot read falls back to the line titles.
import type { ProductCache } from "@prisma/client";
import type { Db } from "~/db.server";
import { adminQuery, throttleWaitMs, type GraphqlFunction, type ThrottleStatus } from "~/shops/admin-graphql.server";
import type { ParcelwiseFeedbackProductsQuery } from "~/types/admin.generated";
import { needsFetch, PRODUCT_STALE_MS, type CachedProduct } from "./products";

/** Product ids per Admin API call (nodes(ids:) takes up to 250; 25 keeps a call's cost small). */
export const PRODUCTS_PER_CALL = 25;

const PRODUCTS_QUERY = `#graphql
  query ParcelwiseFeedbackProducts($ids: [ID!]!, $locale: String!, $translate: Boolean!) {
    shop { primaryDomain { url } }
    nodes(ids: $ids) {
      ... on Product {
        id handle title onlineStoreUrl
        featuredMedia { preview { image { url(transform: { maxWidth: 600, maxHeight: 600 }) } } }
        translations(locale: $locale) @include(if: $translate) { key value }
      }
    }
  }`;

type ProductNode = Extract<NonNullable<ParcelwiseFeedbackProductsQuery["nodes"][number]>, { handle: string }>;

const productGid = (id: string) => `gid://shopify/Product/${id}`;

export function cachedProductOf(row: Pick<ProductCache, "productId" | "handle" | "onlineStoreUrl" | "title" | "imageUrl" | "titles" | "fetchedAt">): CachedProduct {
  let titles: Record<string, string | null> = {};
  try {
    const parsed: unknown = JSON.parse(row.titles);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) titles = parsed as Record<string, string | null>;
  } catch {
    // An unreadable column reads as no translations: they are asked for again.
  }
  return { productId: row.productId, handle: row.handle, onlineStoreUrl: row.onlineStoreUrl, title: row.title, imageUrl: row.imageUrl, titles, fetchedAt: row.fetchedAt };
}

/** What one answer says of a product: its node, or null when Shopify has no such product (deleted). */
export function productFromNode(productId: string, node: ProductNode | null, locale: string | null, now: Date): CachedProduct {
  if (!node) return { productId, handle: null, onlineStoreUrl: null, title: null, imageUrl: null, titles: locale ? { [locale]: null } : {}, fetchedAt: now };
  const translated = node.translations?.find((t) => t.key === "title")?.value?.trim() || null;
  return {
    productId,
    handle: node.handle,
    onlineStoreUrl: node.onlineStoreUrl ?? null,
    title: node.title,
    imageUrl: node.featuredMedia?.preview?.image?.url ?? null,
    titles: locale ? { [locale]: translated } : {},
    fetchedAt: now,
  };
}

export interface FetchOptions {
  /** Whether the shop granted read_translations (else titles stay in the shop's language). */
  translate: boolean;
  wait?: (ms: number) => Promise<unknown>;
  /** THROTTLED answers retried (waiting for the bucket) before the call fails. */
  maxAttempts?: number;
}

export interface FetchedProducts {
  products: CachedProduct[];
  storefrontUrl: string | null;
  /** The bucket after the last call, so a caller can pace the next. */
  cost?: { requestedQueryCost: number; throttleStatus: ThrottleStatus | undefined };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads `productIds` for a buyer in `locale` (null: no translation wanted), PRODUCTS_PER_CALL a call,
 * waiting between calls when the bucket would not cover the next. Throws AdminApiError on failure.
 */
export async function fetchProducts(graphql: GraphqlFunction, productIds: readonly string[], locale: string | null, options: FetchOptions, now: Date): Promise<FetchedProducts> {
  const wait = options.wait ?? sleep;
  const translate = options.translate && locale !== null;
  const result: FetchedProducts = { products: [], storefrontUrl: null };
  for (let start = 0; start < productIds.length; start += PRODUCTS_PER_CALL) {
    const ids = productIds.slice(start, start + PRODUCTS_PER_CALL);
    const cost = result.cost;
    if (cost?.throttleStatus && cost.throttleStatus.currentlyAvailable < cost.requestedQueryCost) {
      await wait(throttleWaitMs(cost.requestedQueryCost, cost.throttleStatus));
    }
    const data = await adminQuery<ParcelwiseFeedbackProductsQuery>(
      graphql,
      PRODUCTS_QUERY,
      { ids: ids.map(productGid), locale: locale ?? "en", translate },
      { wait, maxAttempts: options.maxAttempts, onCost: (c) => (result.cost = c) },
    );
    result.storefrontUrl = data.shop.primaryDomain.url;
    const byId = new Map<string, ProductNode>();
    for (const node of data.nodes) if (node && "handle" in node) byId.set(node.id.split("/").pop()!, node);
    for (const id of ids) result.products.push(productFromNode(id, byId.get(id) ?? null, translate ? locale : null, now));
  }
  return result;
}

/** The shop's cached products among `productIds`, by product id. */
export async function loadCachedProducts(db: Db, shop: string, productIds: readonly string[]): Promise<Map<string, CachedProduct>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.productCache.findMany({ where: { shop, productId: { in: [...productIds] } } });
  return new Map(rows.map((row) => [row.productId, cachedProductOf(row)]));
}

/**
 * Keeps what was read, merging translated titles with those already cached for other locales, and the
 * shop's storefront URL. Returns the merged entries.
 */
export async function storeProducts(db: Db, shop: string, fetched: FetchedProducts, known: ReadonlyMap<string, CachedProduct>): Promise<CachedProduct[]> {
  const merged = fetched.products.map((product) => {
    const before = known.get(product.productId);
    // A re-read drops translations for locales it did not ask for only when the product itself changed.
    const keep = before && before.title === product.title ? before.titles : {};
    return { ...product, titles: { ...keep, ...product.titles } };
  });
  for (const product of merged) {
    const data = {
      handle: product.handle,
      onlineStoreUrl: product.onlineStoreUrl,
      title: product.title,
      imageUrl: product.imageUrl,
      titles: JSON.stringify(product.titles),
      fetchedAt: product.fetchedAt,
    };
    await db.productCache.upsert({ where: { shop_productId: { shop, productId: product.productId } }, create: { shop, productId: product.productId, ...data }, update: data });
  }
  const storefrontUrl = fetched.storefrontUrl;
  if (storefrontUrl) {
    await db.shop.updateMany({ where: { domain: shop, OR: [{ storefrontUrl: null }, { storefrontUrl: { not: storefrontUrl } }] }, data: { storefrontUrl } });
  }
  return merged;
}

/** A product wanted for a buyer: its id and the locales (best first) its title could be shown in. */
export interface WantedProduct {
  productId: string;
  locales: string[];
}

/**
 * Reads what the cache lacks (missing, stale, or without the wanted translation) and stores it; one
 * series of calls per locale (each call asks for one locale's translations). Returns the cache after.
 */
export async function refreshProducts(
  db: Db,
  shop: string,
  graphql: GraphqlFunction,
  wanted: readonly WantedProduct[],
  options: FetchOptions,
  now: Date,
  known?: Map<string, CachedProduct>,
): Promise<Map<string, CachedProduct>> {
  const cache = known ?? (await loadCachedProducts(db, shop, wanted.map((w) => w.productId)));
  const byLocale = new Map<string | null, Set<string>>();
  for (const { productId, locales } of wanted) {
    const asked = options.translate ? locales : [];
    const entry = cache.get(productId);
    if (!needsFetch(entry, asked, now)) continue;
    // Stale or missing: read again with every wanted locale; else only the locales it lacks. One call series per locale.
    const current = entry && now.getTime() - entry.fetchedAt.getTime() <= PRODUCT_STALE_MS;
    const lacking = current ? asked.filter((locale) => !(locale in entry.titles)) : asked;
    for (const locale of lacking.length ? lacking : [null]) byLocale.set(locale, (byLocale.get(locale) ?? new Set()).add(productId));
  }
  for (const [locale, ids] of byLocale) {
    const fetched = await fetchProducts(graphql, [...ids], locale, options, now);
    for (const product of await storeProducts(db, shop, fetched, cache)) cache.set(product.productId, product);
  }
  return cache;
}

/** Whether a session's granted scopes allow reading products, and their translations (write_* implies read_*). */
export function productScopes(scope: string | null | undefined): { products: boolean; translations: boolean } {
  // A session that does not say what it was granted is tried; Shopify answers ACCESS_DENIED if it must.
  if (scope === null || scope === undefined) return { products: true, translations: true };
  const granted = new Set(scope.split(",").map((s) => s.trim()));
  return {
    products: granted.has("read_products") || granted.has("write_products"),
    translations: granted.has("read_translations") || granted.has("write_translations"),
  };
}
