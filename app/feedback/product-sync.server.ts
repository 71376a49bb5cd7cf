// Fills the product cache from recorded orders, outside the record path: per shop, the orders recorded
// since its cursor (ProductSync), 50 at a time, their products read through the Admin API where the
// cache lacks them or holds them for longer than 7 days. An Admin API failure leaves the cursor where it
// was and backs the shop off (1 minute doubling to an hour); the mail falls back meanwhile.
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import type { GraphqlFunction } from "~/shops/admin-graphql.server";
import { HOUR_MS, MINUTE_MS } from "~/time";
import { productScopes, refreshProducts, type WantedProduct } from "./product-cache.server";
import { parseLineItems, productIdsOf, translationLocales } from "./products";

/** Orders read per shop and run. */
export const ORDERS_PER_RUN = 50;

export interface ProductSyncDeps {
  db: Db;
  /** The shop's offline Admin GraphQL client. */
  graphqlFor: (shop: string) => Promise<GraphqlFunction>;
  wait?: (ms: number) => Promise<unknown>;
  /** The first backoff after a failed run (doubling, at most an hour). */
  retryBaseMs?: number;
}

export type ProductSyncOutcome = "idle" | "read" | "more" | "waiting" | "no_scope" | "failed";

/** The backoff after `failures` failed runs in a row. */
export const retryDelayMs = (failures: number, baseMs = MINUTE_MS) => Math.min(HOUR_MS, baseMs * 2 ** Math.max(0, failures - 1));

/** Every installed shop with an offline session; true when some shop has more orders waiting. */
export async function syncProducts(deps: ProductSyncDeps, now: Date): Promise<boolean> {
  const shops = await deps.db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true, primaryLocale: true } });
  const sessions = await deps.db.session.findMany({
    where: { isOnline: false, shop: { in: shops.map((s) => s.domain) } },
    select: { shop: true, scope: true },
    distinct: ["shop"],
  });
  const primary = new Map(shops.map((s) => [s.domain, s.primaryLocale]));
  let more = false;
  for (const session of sessions) {
    const outcome = await syncShopProducts(deps, { domain: session.shop, primaryLocale: primary.get(session.shop) ?? "en", scope: session.scope }, now);
    if (outcome === "more") more = true;
  }
  return more;
}

/** One shop's next orders. */
export async function syncShopProducts(
  deps: ProductSyncDeps,
  shop: { domain: string; primaryLocale: string; scope: string | null },
  now: Date,
): Promise<ProductSyncOutcome> {
  const { db } = deps;
  const scopes = productScopes(shop.scope);
  if (!scopes.products) return "no_scope";
  const sync = await db.productSync.findUnique({ where: { shop: shop.domain } });
  if (sync?.retryAt && sync.retryAt > now) return "waiting";
  const after = sync?.cursorAt
    ? { OR: [{ createdAt: { gt: sync.cursorAt } }, { createdAt: sync.cursorAt, id: { gt: sync.cursorId ?? "" } }] }
    : {};
  const orders = await db.order.findMany({
    where: { shop: shop.domain, importedAt: null, lineItems: { not: null }, ...after },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: ORDERS_PER_RUN,
    select: { id: true, createdAt: true, lineItems: true, locale: true },
  });
  if (orders.length === 0) return "idle";
  const wanted = new Map<string, Set<string>>();
  for (const order of orders) {
    const locales = translationLocales(order.locale, shop.primaryLocale);
    for (const productId of productIdsOf(parseLineItems(order.lineItems))) {
      const set = wanted.get(productId) ?? new Set<string>();
      for (const locale of locales) set.add(locale);
      wanted.set(productId, set);
    }
  }
  const last = orders.at(-1)!;
  try {
    if (wanted.size > 0) {
      const list: WantedProduct[] = [...wanted].map(([productId, locales]) => ({ productId, locales: [...locales] }));
      await refreshProducts(db, shop.domain, await deps.graphqlFor(shop.domain), list, { translate: scopes.translations, wait: deps.wait }, now);
    }
  } catch (error) {
    const failures = (sync?.failures ?? 0) + 1;
    const retryAt = new Date(now.getTime() + retryDelayMs(failures, deps.retryBaseMs));
    const lastError = error instanceof Error ? error.message : String(error);
    await db.productSync.upsert({ where: { shop: shop.domain }, create: { shop: shop.domain, failures, retryAt, lastError }, update: { failures, retryAt, lastError } });
    log.warn("reading the products of recorded orders failed; retrying later", { shop: shop.domain, error });
    return "failed";
  }
  const done = { cursorAt: last.createdAt, cursorId: last.id, failures: 0, retryAt: null, lastError: null };
  await db.productSync.upsert({ where: { shop: shop.domain }, create: { shop: shop.domain, ...done }, update: done });
  return orders.length === ORDERS_PER_RUN ? "more" : "read";
}
