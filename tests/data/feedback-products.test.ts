// The feedback request's product cache against real databases and the Admin API stand-in: the products
// job reads each product once for every order that bought it, in the buyer's language, pages by cursor,
// backs off on Admin API errors and waits out THROTTLED; the mail batch's read-through never holds a
// batch longer than its limit and falls back to what is cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { syncShopProducts, ORDERS_PER_RUN } from "~/feedback/product-sync.server";
import { loadFeedbackProducts } from "~/feedback/read-through.server";
import { STANDIN_SCOPES, startAdminApiStandin, type AdminApiStandin } from "#tests/standins/admin-api-standin";
import { standinGraphql } from "#tests/demo/seed.server";
import { ago, backends, buyer, DAY, MINUTE, NOW, useDatabase } from "./harness";

const lineItems = (...products: Array<[number, string]>) => products.map(([id, title]) => ({ product_id: id, variant_id: id * 10, title, quantity: 1 }));

describe.each(backends)("feedback products on $name", (backend) => {
  const suite = useDatabase(backend);
  const { newShop, paidOrder } = suite;
  let db: Db;
  let standin: AdminApiStandin;
  const deps = () => ({ db, graphqlFor: async () => standinGraphql(standin.url), wait: async () => undefined });
  const shopOf = (domain: string, primaryLocale = "en") => ({ domain, primaryLocale, scope: STANDIN_SCOPES });

  beforeAll(async () => {
    db = suite.db;
    standin = await startAdminApiStandin({ name: "Kumo", email: "kumo@example.test", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", primaryLocale: "en" });
    for (const [id, handle, title, de] of [
      ["101", "celadon-tea-bowl", "Celadon tea bowl", "Seladon-Teeschale"],
      ["102", "sake-set", "Sake set", null],
      ["103", "draft-vase", "Draft vase", null],
    ] as const) {
      standin.catalog.products.set(id, {
        id,
        handle,
        title,
        onlineStoreUrl: id === "103" ? null : `https://kumo.example/products/${handle}`,
        imageUrl: `https://cdn.shopify.com/s/files/1/${handle}.jpg`,
        translations: de ? { de } : {},
      });
    }
  });
  afterAll(async () => {
    await standin.close();
  });

  it("reads a product once for every order that bought it, with the German title for a German buyer", async () => {
    const shop = await newShop("products-once");
    standin.catalog.calls.length = 0;
    await paidOrder(shop, 5101, buyer("Anna", { locale: "de" }), ago(DAY), { line_items: lineItems([101, "Teeschale"], [102, "Sake-Set"]) });
    await paidOrder(shop, 5102, buyer("Bob"), ago(DAY), { line_items: lineItems([101, "Celadon tea bowl"]) });
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("read");
    // One call for both products, with German titles (the English buyer's bowl needs no translation).
    expect(standin.catalog.calls).toEqual([{ ids: ["101", "102"], locale: "de", answered: "products" }]);
    const cached = await db.productCache.findMany({ where: { shop }, orderBy: { productId: "asc" } });
    expect(cached.map((p) => [p.productId, p.handle, p.onlineStoreUrl, JSON.parse(p.titles)])).toEqual([
      ["101", "celadon-tea-bowl", "https://kumo.example/products/celadon-tea-bowl", { de: "Seladon-Teeschale" }],
      ["102", "sake-set", "https://kumo.example/products/sake-set", { de: null }],
    ]);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: shop } })).storefrontUrl).toBe("https://parcelwise-standin-shop.example");

    // Nothing new: the next run asks the Admin API nothing.
    const calls = standin.catalog.calls.length;
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("idle");
    // A later order of a cached product: no call either; a French buyer's costs one call for French titles.
    await paidOrder(shop, 5103, buyer("Carl"), ago(DAY), { line_items: lineItems([102, "Sake set"]) });
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("read");
    expect(standin.catalog.calls.length).toBe(calls);
    await paidOrder(shop, 5104, buyer("Chloé", { locale: "fr" }), ago(DAY), { line_items: lineItems([101, "Bol"]) });
    await syncShopProducts(deps(), shopOf(shop), NOW);
    expect(standin.catalog.calls.slice(calls)).toEqual([{ ids: ["101"], locale: "fr", answered: "products" }]);
    const bowl = await db.productCache.findUniqueOrThrow({ where: { shop_productId: { shop, productId: "101" } } });
    expect(JSON.parse(bowl.titles)).toEqual({ de: "Seladon-Teeschale", fr: null });
  });

  it("reads a product again once its entry is older than 7 days", async () => {
    const shop = await newShop("products-stale");
    await paidOrder(shop, 5201, buyer("Dana"), ago(DAY), { line_items: lineItems([102, "Sake set"]) });
    await syncShopProducts(deps(), shopOf(shop), ago(8 * DAY));
    await paidOrder(shop, 5202, buyer("Eli"), ago(DAY), { line_items: lineItems([102, "Sake set"]) });
    const before = standin.catalog.calls.length;
    await syncShopProducts(deps(), shopOf(shop), NOW);
    expect(standin.catalog.calls.slice(before).map((c) => c.ids)).toEqual([["102"]]);
    expect((await db.productCache.findUniqueOrThrow({ where: { shop_productId: { shop, productId: "102" } } })).fetchedAt).toEqual(NOW);
  });

  it("backs off after an Admin API error without moving its cursor, and waits out THROTTLED", async () => {
    const shop = await newShop("products-errors");
    await paidOrder(shop, 5301, buyer("Finn"), ago(DAY), { line_items: lineItems([101, "Bowl"]) });
    standin.catalog.faults.push(500);
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("failed");
    const failed = await db.productSync.findUniqueOrThrow({ where: { shop } });
    expect(failed).toMatchObject({ failures: 1, cursorAt: null, retryAt: new Date(NOW.getTime() + MINUTE) });
    expect(await syncShopProducts(deps(), shopOf(shop), new Date(NOW.getTime() + 30_000))).toBe("waiting");
    standin.catalog.faults.push(503);
    expect(await syncShopProducts(deps(), shopOf(shop), new Date(NOW.getTime() + MINUTE))).toBe("failed");
    expect((await db.productSync.findUniqueOrThrow({ where: { shop } })).retryAt).toEqual(new Date(NOW.getTime() + 3 * MINUTE));
    standin.catalog.faults.push("THROTTLED");
    expect(await syncShopProducts(deps(), shopOf(shop), new Date(NOW.getTime() + 3 * MINUTE))).toBe("read");
    expect(await db.productSync.findUniqueOrThrow({ where: { shop } })).toMatchObject({ failures: 0, retryAt: null, lastError: null });
    expect(await db.productCache.count({ where: { shop } })).toBe(1);
  });

  it("pages through a shop's orders by cursor, and leaves a shop without read_products alone", async () => {
    const shop = await newShop("products-pages");
    for (let i = 0; i < ORDERS_PER_RUN + 3; i++) await db.order.create({ data: { shop, shopifyId: String(6000 + i), name: `#${i}`, shopifyUpdatedAt: NOW, lineItems: JSON.stringify([{ productId: "102", variantId: null, title: "Sake set", quantity: 1 }]) } });
    expect(await syncShopProducts(deps(), { domain: shop, primaryLocale: "en", scope: "read_orders" }, NOW)).toBe("no_scope");
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("more");
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("read");
    expect(await syncShopProducts(deps(), shopOf(shop), NOW)).toBe("idle");
  });

  it("reads through what the cache lacks at send time, and falls back to it when the Admin API hangs", async () => {
    const shop = await newShop("products-read-through");
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: STANDIN_SCOPES, accessToken: "x" } });
    const order = { shop, lineItems: JSON.stringify([{ productId: "101", variantId: null, title: "Teeschale", quantity: 1 }]), locale: "de" };
    const readThrough = { graphqlFor: async () => standinGraphql(standin.url), timeoutMs: 300, cooldownMs: 60_000 };
    const products = await loadFeedbackProducts(db, [order], new Map([[shop, "en"]]), readThrough, NOW);
    expect(products.get(shop)?.get("101")).toMatchObject({ onlineStoreUrl: "https://kumo.example/products/celadon-tea-bowl", titles: { de: "Seladon-Teeschale" } });

    // Stale now, and the Admin API hangs: the batch waits at most its limit and uses the stale entry.
    const later = new Date(NOW.getTime() + 8 * DAY);
    standin.catalog.faults.push("hang");
    const started = Date.now();
    const stale = await loadFeedbackProducts(db, [order], new Map([[shop, "en"]]), readThrough, later);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stale.get(shop)?.get("101")?.fetchedAt).toEqual(NOW);
    // Cooling down: the next batch does not ask again.
    const calls = standin.catalog.calls.length;
    await loadFeedbackProducts(db, [order], new Map([[shop, "en"]]), readThrough, later);
    expect(standin.catalog.calls.length).toBe(calls);
  });
});
