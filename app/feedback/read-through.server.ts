// The products a batch of feedback requests shows, loaded in one query; what the products job has not
// cached yet (or holds stale) is read through the Admin API, best effort: a few seconds at most, and a
// shop whose Admin API failed is not asked again for five minutes. Whatever happens, the batch goes on
// with what the cache has (stale entries included) and the line titles for the rest.
import type { Db } from "~/db.server";
import { inScopedSlices } from "~/db/in-lists";
import { log } from "~/log.server";
import type { GraphqlFunction } from "~/shops/admin-graphql.server";
import { MINUTE_MS } from "~/time";
import { cachedProductOf, productScopes, refreshProducts, type WantedProduct } from "./product-cache.server";
import { needsFetch, parseLineItems, productIdsOf, translationLocales, type CachedProduct } from "./products";

export interface ProductReadThrough {
  graphqlFor: (shop: string) => Promise<GraphqlFunction>;
  /** How long a batch waits for the Admin API (default 3 s). */
  timeoutMs?: number;
  /** After a failure, how long the shop is left alone (default 5 minutes). */
  cooldownMs?: number;
}

/** An order a feedback request is about: its shop, stored line items and the buyer's locale. */
export interface FeedbackOrder {
  shop: string;
  lineItems: string | null;
  locale: string | null;
}

const coolingUntil = new Map<string, number>();

/** Per shop, its cached products among the orders' products (after a read-through of what is missing). */
export async function loadFeedbackProducts(
  db: Db,
  orders: readonly FeedbackOrder[],
  primaryLocales: ReadonlyMap<string, string>,
  readThrough: ProductReadThrough | undefined,
  now: Date,
): Promise<Map<string, Map<string, CachedProduct>>> {
  const wanted = new Map<string, Map<string, Set<string>>>();
  for (const order of orders) {
    const ids = productIdsOf(parseLineItems(order.lineItems));
    if (ids.length === 0) continue;
    const shopWanted = wanted.get(order.shop) ?? new Map<string, Set<string>>();
    const locales = translationLocales(order.locale, primaryLocales.get(order.shop) ?? "en");
    for (const id of ids) shopWanted.set(id, new Set([...(shopWanted.get(id) ?? []), ...locales]));
    wanted.set(order.shop, shopWanted);
  }
  const byShop = new Map<string, Map<string, CachedProduct>>();
  if (wanted.size === 0) return byShop;
  // A batch's orders can name thousands of products: a few hundred a statement (app/db/in-lists.ts).
  const lists = [...wanted].map(([shop, ids]) => ({ shop, ids: [...ids.keys()] }));
  const rows = await inScopedSlices(lists, (group) => db.productCache.findMany({ where: { OR: group.map((s) => ({ shop: s.shop, productId: { in: s.ids } })) } }));
  for (const row of rows) {
    const shopProducts = byShop.get(row.shop) ?? new Map<string, CachedProduct>();
    shopProducts.set(row.productId, cachedProductOf(row));
    byShop.set(row.shop, shopProducts);
  }
  if (!readThrough) return byShop;
  await Promise.all(
    [...wanted].map(async ([shop, ids]) => {
      const cache = byShop.get(shop) ?? new Map<string, CachedProduct>();
      byShop.set(shop, cache);
      const list: WantedProduct[] = [...ids].map(([productId, locales]) => ({ productId, locales: [...locales] }));
      if (!list.some((w) => needsFetch(cache.get(w.productId), w.locales, now))) return;
      if ((coolingUntil.get(shop) ?? 0) > Date.now()) return;
      await readThroughShop(db, shop, list, cache, readThrough, now);
    }),
  );
  return byShop;
}

async function readThroughShop(db: Db, shop: string, list: WantedProduct[], cache: Map<string, CachedProduct>, readThrough: ProductReadThrough, now: Date): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const session = await db.session.findFirst({ where: { shop, isOnline: false }, select: { scope: true } });
    const scopes = productScopes(session?.scope);
    if (!session || !scopes.products) return;
    // Read into a copy: entries land in the batch's cache only when the whole read finished in time.
    const reading = (async () => refreshProducts(db, shop, await readThrough.graphqlFor(shop), list, { translate: scopes.translations, maxAttempts: 2 }, now, new Map(cache)))();
    reading.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the Admin API did not answer within ${readThrough.timeoutMs ?? 3000} ms`)), readThrough.timeoutMs ?? 3000);
    });
    const fresh = await Promise.race([reading, timeout]);
    for (const [id, product] of fresh) cache.set(id, product);
  } catch (error) {
    coolingUntil.set(shop, Date.now() + (readThrough.cooldownMs ?? 5 * MINUTE_MS));
    log.warn("reading products for feedback requests failed; sending with what is cached", { shop, error });
  } finally {
    clearTimeout(timer);
  }
}
