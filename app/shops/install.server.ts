// On install (and re-install), record the shop's identity and preferences from the Admin API.
import type { Db } from "~/db.server";
import type { ParcelwiseShopQuery } from "~/types/admin.generated";
import { adminQuery, type GraphqlFunction } from "./admin-graphql.server";
import { replanShop } from "~/notifications/replan.server";
import { log } from "~/log.server";

const SHOP_QUERY = `#graphql
  query ParcelwiseShop {
    shop { name email contactEmail currencyCode ianaTimezone billingAddress { countryCodeV2 } }
    shopLocales(published: true) { locale primary }
  }`;

/** Records the shop; true when this is a first install or a return after an uninstall. */
export async function recordInstall(db: Db, domain: string, graphql: GraphqlFunction): Promise<boolean> {
  const { shop, shopLocales } = await adminQuery<ParcelwiseShopQuery>(graphql, SHOP_QUERY);
  const details = {
    name: shop.name,
    contactEmail: shop.contactEmail ?? shop.email,
    currency: shop.currencyCode,
    timezone: shop.ianaTimezone,
    country: shop.billingAddress?.countryCodeV2 ?? null,
    primaryLocale: shopLocales.find((locale) => locale.primary)?.locale ?? "en",
    uninstalledAt: null,
  };
  const before = await db.shop.findUnique({ where: { domain }, select: { uninstalledAt: true } });
  await db.shop.upsert({ where: { domain }, create: { domain, ...details }, update: details });
  if (before?.uninstalledAt) {
    // Back after an uninstall (and before shop/redact): bring back the messages the uninstall cancelled
    // that are still wanted. In the background: the merchant's first page load must not wait for it.
    void replanShop(db, domain, new Date()).then(
      (orders) => log.info("re-install: re-planned the shop's orders", { shop: domain, orders }),
      (error: unknown) => log.error("re-install: re-planning failed", { shop: domain, error }),
    );
  }
  return !before || before.uninstalledAt !== null;
}
